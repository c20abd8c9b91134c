/**
 * A flow as a graph, for the editor's canvas: its nodes in their order, and one edge for each way out of a node (a
 * `next`, an option, a branch's case, an action's outcome, a give-up, a return). Pure and lossless: the graph keeps
 * each node as written, so a definition drawn and turned back is the same definition, key for key.
 */
import type { FlowDefinition, FlowNode } from '../../../../../flows/definition/types';

export type NodeKind = FlowNode['kind'];
export const NODE_KINDS: readonly NodeKind[] = ['say', 'ask', 'choose', 'branch', 'action', 'call', 'handoff', 'end'];

/** What an exit is, for its label on the canvas. */
export type ExitLabel =
  | { kind: 'next' }
  | { kind: 'giveUp' }
  | { kind: 'option'; index: number; text: string }
  | { kind: 'returnTo'; index: number; text: string }
  | { kind: 'case'; index: number }
  | { kind: 'otherwise' }
  | { kind: 'outcome'; name: string };

export interface Exit {
  /** Where the target is written inside the node, as a dotted path: `next`, `options.2.next`, `outcomes.ok`. */
  field: string;
  target: string;
  label: ExitLabel;
}

export interface GraphNode {
  id: string;
  node: FlowNode;
  start: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  field: string;
  label: ExitLabel;
  /** The target names no node (a typo, a deleted node): drawn as a stub, reported by the validator. */
  dangling: boolean;
}

export interface FlowGraph {
  /** Everything of the definition but its nodes, as written. */
  meta: Omit<FlowDefinition, 'nodes'>;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function exitsOf(node: FlowNode): Exit[] {
  switch (node.kind) {
    case 'say':
    case 'call':
      return [{ field: 'next', target: node.next, label: { kind: 'next' } }];
    case 'ask':
      return [
        { field: 'next', target: node.next, label: { kind: 'next' } },
        ...(node.onGiveUp === undefined ? [] : [{ field: 'onGiveUp', target: node.onGiveUp, label: { kind: 'giveUp' } as const }]),
      ];
    case 'choose':
      return node.options.flatMap((o, i): Exit[] => [
        { field: `options.${i}.next`, target: o.next, label: { kind: 'option', index: i, text: o.label } },
        ...(o.returnTo === undefined ? [] : [{ field: `options.${i}.returnTo`, target: o.returnTo, label: { kind: 'returnTo', index: i, text: o.label } as const }]),
      ]);
    case 'branch':
      return [
        ...node.cases.map((c, i): Exit => ({ field: `cases.${i}.next`, target: c.next, label: { kind: 'case', index: i } })),
        { field: 'otherwise', target: node.otherwise, label: { kind: 'otherwise' } },
      ];
    case 'action':
      return Object.entries(node.outcomes).map(([name, target]) => ({ field: `outcomes.${name}`, target, label: { kind: 'outcome', name } }));
    case 'handoff':
    case 'end':
      return [];
  }
}

export function graphOf(def: FlowDefinition): FlowGraph {
  const { nodes, ...meta } = def;
  const graphNodes = Object.entries(nodes).map(([id, node]): GraphNode => ({ id, node, start: id === def.start }));
  const edges = graphNodes.flatMap(({ id, node }) =>
    exitsOf(node).map((e): GraphEdge => ({ id: `${id}:${e.field}`, source: id, target: e.target, field: e.field, label: e.label, dangling: !(e.target in nodes) })),
  );
  return { meta, nodes: graphNodes, edges };
}

/** The graph back into a definition: meta first, nodes last, as the shipped files are written. */
export function definitionOf(g: FlowGraph): FlowDefinition {
  return { ...g.meta, nodes: Object.fromEntries(g.nodes.map((n) => [n.id, n.node])) } as FlowDefinition;
}

/** Nodes that lead to `id`, for the side panel's "comes from". */
export function incoming(def: FlowDefinition, id: string): Array<{ source: string; field: string }> {
  return Object.entries(def.nodes).flatMap(([source, node]) => exitsOf(node).filter((e) => e.target === id).map((e) => ({ source, field: e.field })));
}
