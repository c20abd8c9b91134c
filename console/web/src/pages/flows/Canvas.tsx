/**
 * The flow drawn: one card per node, saying what it does in plain words, laid out top to bottom (layout.ts); one
 * edge per way out, labelled with its option, condition or outcome. Dragging from a card's exit to another card,
 * or dragging an edge's end to another card, points that exit there. Problems, the comparison's marks and the
 * node the preview waits at are drawn on the cards.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { applyNodeChanges, Background, Controls, Handle, MarkerType, MiniMap, Position, ReactFlow, useReactFlow, type Connection, type Edge, type Node, type NodeChange as RfChange, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { FlowDefinition, FlowNode } from '../../../../../flows/definition/types';
import { useUi } from '../../ui';
import { exitsOf, graphOf, type Exit } from './graph';
import { layoutFlow, CARD_HEIGHT, CARD_WIDTH, type Positioned } from './layout';
import { exitWords, firstText, summaryOf } from './describe';
import type { Issue } from './issues';
import type { NodeChange } from './compare';

interface CardData extends Record<string, unknown> {
  id: string;
  node: FlowNode;
  start: boolean;
  summary: string;
  text: string;
  exits: Array<Exit & { words: string }>;
  errors: number;
  warnings: number;
  mark: NodeChange | null;
  running: boolean;
  ghost: boolean;
}

type CardNode = Node<CardData, 'card'>;

const Card = memo(function Card({ data, selected }: NodeProps<CardNode>) {
  const { t } = useUi();
  const classes = ['flow-card', `k-${data.node.kind}`, selected ? 'selected' : '', data.mark ? `m-${data.mark}` : '', data.running ? 'running' : '', data.ghost ? 'ghost' : '', data.errors ? 'has-errors' : ''];
  const n = data.exits.length;
  return (
    <div className={classes.filter(Boolean).join(' ')} data-testid="flow-node" data-node={data.id} data-kind={data.node.kind} data-mark={data.mark ?? undefined} data-running={data.running || undefined}>
      <Handle type="target" position={Position.Top} id="in" className="flow-in" isConnectable={!data.ghost} />
      <div className="flow-card-head">
        <span className="flow-kind">{t(`flows.kind.${data.node.kind}`)}</span>
        <strong className="flow-card-id">{data.id}</strong>
        {data.start ? <span className="flow-start">{t('flows.start')}</span> : null}
        {data.errors ? (
          <span className="flow-count err" data-testid="node-errors" title={t('flows.errorsN', { n: data.errors })}>
            {data.errors}
          </span>
        ) : null}
        {data.warnings ? (
          <span className="flow-count warn" data-testid="node-warnings" title={t('flows.warningsN', { n: data.warnings })}>
            {data.warnings}
          </span>
        ) : null}
      </div>
      <div className="flow-card-does">{data.summary}</div>
      {data.text ? <div className="flow-card-text">{data.text}</div> : null}
      {data.exits.map((e, i) => (
        <Handle
          key={e.field}
          type="source"
          position={Position.Bottom}
          id={e.field}
          className={`flow-out ${e.label.kind}`}
          style={{ left: `${((i + 1) / (n + 1)) * 100}%` }}
          title={e.words || t('flows.exit.next')}
          isConnectable={!data.ghost}
        />
      ))}
    </div>
  );
});

const nodeTypes = { card: Card };

export interface CanvasProps {
  flow: FlowDefinition;
  issues: readonly Issue[];
  selected: string | null;
  onSelect(id: string | null): void;
  onTarget(source: string, field: string, target: string): void;
  marks: ReadonlyMap<string, NodeChange> | null;
  ghosts: ReadonlyArray<{ id: string; node: FlowNode }>;
  running: string | null;
  readOnly: boolean;
  /** Asked to bring a node into view (from the problems list or the preview). */
  focus: { id: string; at: number } | null;
  /** Told once the first layout is on screen, with how long it took from the flow arriving. */
  onLaidOut?(ms: number): void;
}

export function Canvas(p: CanvasProps) {
  const { t, lang } = useUi();
  const born = useRef(performance.now());
  const host = useRef<HTMLDivElement>(null);
  const graph = useMemo(() => graphOf(p.flow), [p.flow]);
  // Laid out again only when what is connected to what changes, not when a word does.
  const shape = useMemo(
    () => [...graph.nodes.map((n) => n.id), '|', ...graph.edges.map((e) => `${e.source}>${e.target}`), '|', ...p.ghosts.map((g) => g.id)].join(' '),
    [graph, p.ghosts],
  );
  const layout = useMemo(() => {
    const ghostEdges = p.ghosts.flatMap((g) => exitsOf(g.node).map((e) => ({ source: g.id, target: e.target })));
    return layoutFlow([...graph.nodes, ...p.ghosts], [...graph.edges, ...ghostEdges], p.flow.start);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape]);
  const [moved, setMoved] = useState<Map<string, Positioned>>(new Map());
  useEffect(() => setMoved(new Map()), [shape]);

  const counts = useMemo(() => {
    const c = new Map<string, { errors: number; warnings: number }>();
    for (const i of p.issues) {
      if (!i.node) continue;
      const x = c.get(i.node) ?? { errors: 0, warnings: 0 };
      if (i.severity === 'error') x.errors++;
      else x.warnings++;
      c.set(i.node, x);
    }
    return c;
  }, [p.issues]);

  const nodes: CardNode[] = useMemo(() => {
    const card = (id: string, node: FlowNode, ghost: boolean): CardNode => ({
      id,
      type: 'card',
      position: moved.get(id) ?? layout.get(id) ?? { x: 0, y: 0 },
      width: CARD_WIDTH,
      height: CARD_HEIGHT,
      selected: id === p.selected,
      draggable: true,
      connectable: !p.readOnly && !ghost,
      data: {
        id,
        node,
        start: id === p.flow.start,
        summary: summaryOf(t, node),
        text: ghost ? '' : firstText(p.flow, node, lang),
        exits: exitsOf(node).map((e) => ({ ...e, words: exitWords(t, p.flow, node, e.label, lang) })),
        errors: ghost ? 0 : (counts.get(id)?.errors ?? 0),
        warnings: ghost ? 0 : (counts.get(id)?.warnings ?? 0),
        mark: p.marks?.get(id) ?? null,
        running: id === p.running,
        ghost,
      },
    });
    return [...graph.nodes.map((n) => card(n.id, n.node, false)), ...p.ghosts.map((g) => card(g.id, g.node, true))];
  }, [graph, p.ghosts, p.selected, p.flow, p.marks, p.running, p.readOnly, layout, moved, counts, t, lang]);

  const edges: Edge[] = useMemo(() => {
    // Eight choices leading to the same step are eight edges (each can be dragged elsewhere), but one label: the
    // first choice's words and how many more.
    const alike = new Map<string, number>();
    for (const e of graph.edges) alike.set(`${e.source}>${e.target}`, (alike.get(`${e.source}>${e.target}`) ?? 0) + 1);
    const labelled = new Set<string>();
    const real = graph.edges
      .filter((e) => !e.dangling)
      .map((e): Edge => {
        const node = p.flow.nodes[e.source]!;
        const pair = `${e.source}>${e.target}`;
        const more = (alike.get(pair) ?? 1) - 1;
        let words = labelled.has(pair) ? '' : exitWords(t, p.flow, node, e.label, lang);
        labelled.add(pair);
        if (words && more > 0) words = `${words.length > 18 ? `${words.slice(0, 17)}…` : words} +${more}`;
        return {
          id: e.id,
          source: e.source,
          sourceHandle: e.field,
          target: e.target,
          targetHandle: 'in',
          ...(words ? { label: words.length > 24 ? `${words.slice(0, 23)}…` : words } : {}),
          markerEnd: { type: MarkerType.ArrowClosed },
          className: `flow-edge ${e.label.kind}`,
          reconnectable: !p.readOnly,
        };
      });
    const ghosts = p.ghosts.flatMap((g) =>
      exitsOf(g.node)
        .filter((e) => e.target in p.flow.nodes || p.ghosts.some((x) => x.id === e.target))
        .map((e): Edge => ({ id: `${g.id}:${e.field}`, source: g.id, sourceHandle: e.field, target: e.target, targetHandle: 'in', className: 'flow-edge ghost', reconnectable: false })),
    );
    return [...real, ...ghosts];
  }, [graph, p.ghosts, p.flow, p.readOnly, t, lang]);

  // React Flow measures what it draws and moves what is dragged through changes to the nodes; what it measured is
  // carried over when the nodes are made anew from the flow.
  const [shown, setShown] = useState<CardNode[]>(nodes);
  const first = useRef(true);
  useEffect(() => {
    // The first nodes are shown as they are: no second drawing of a large flow before anything was measured.
    if (first.current) return void (first.current = false);
    setShown((prev) => {
    const measured = new Map(prev.map((n) => [n.id, n.measured]));
    return nodes.map((n) => (measured.get(n.id) ? { ...n, measured: measured.get(n.id)! } : n));
    });
  }, [nodes]);
  const onNodesChange = (changes: RfChange<CardNode>[]) => {
    setShown((ns) => applyNodeChanges(changes.filter((c) => c.type !== 'select' && c.type !== 'remove'), ns));
    const positions = changes.filter((c) => c.type === 'position' && c.position);
    if (positions.length > 0) setMoved((m) => {
      const next = new Map(m);
      for (const c of positions) if (c.type === 'position') next.set(c.id, c.position!);
      return next;
    });
  };

  const reported = useRef(false);
  useEffect(() => {
    if (reported.current) return;
    reported.current = true;
    // After the cards are painted: the next frame.
    requestAnimationFrame(() => p.onLaidOut?.(performance.now() - born.current));
  });

  return (
    <div className="flow-canvas" ref={host} data-testid="flow-canvas" data-nodes={graph.nodes.length}>
      <ReactFlow
        nodes={shown}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodeClick={(_e, n) => p.onSelect(n.id)}
        onPaneClick={() => p.onSelect(null)}
        onNodesChange={onNodesChange}
        onConnect={(c: Connection) => c.sourceHandle && c.target && !p.readOnly && p.onTarget(c.source, c.sourceHandle, c.target)}
        onReconnect={(old: Edge, c: Connection) => old.sourceHandle && c.target && !p.readOnly && p.onTarget(old.source, old.sourceHandle, c.target)}
        edgesReconnectable={!p.readOnly}
        nodesConnectable={!p.readOnly}
        deleteKeyCode={null}
        onlyRenderVisibleElements
        minZoom={0.1}
        maxZoom={1.5}
        fitView={graph.nodes.length <= 12}
        onInit={(rf) => {
          // A larger flow opens at its start, readable, rather than shrunk to fit.
          const at = layout.get(p.flow.start);
          const box = host.current;
          if (graph.nodes.length <= 12 || !at || !box) return;
          const zoom = 0.8;
          void rf.setViewport({ x: box.clientWidth / 2 - (at.x + CARD_WIDTH / 2) * zoom, y: 40 - at.y * zoom, zoom });
        }}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeClassName={(n) => `mini-${(n.data as CardData).node.kind}`} />
        <Focus focus={p.focus} layout={layout} moved={moved} />
      </ReactFlow>
      <span className="sr-only">{t('flows.canvasHelp')}</span>
    </div>
  );
}

function Focus({ focus, layout, moved }: { focus: CanvasProps['focus']; layout: Map<string, Positioned>; moved: Map<string, Positioned> }) {
  const rf = useReactFlow();
  useEffect(() => {
    if (!focus) return;
    const at = moved.get(focus.id) ?? layout.get(focus.id);
    if (at) void rf.setCenter(at.x + CARD_WIDTH / 2, at.y + CARD_HEIGHT / 2, { zoom: Math.max(rf.getZoom(), 0.8), duration: 300 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus]);
  return null;
}
