/**
 * Where each card goes, top to bottom in the order a citizen walks the flow, the start at the top. Positions are
 * the canvas's only; the flow file holds none, so any flow, however written, is laid out.
 *
 * A flow of up to LARGE_FLOW nodes is laid out by dagre (layered, with its search for the fewest crossings). A
 * larger one by `layered` below: the same idea in one pass, in a few milliseconds where dagre takes 100-150 ms on
 * this machine for 200 nodes, most of the editor's time to open such a flow, and several times that on a busy one.
 */
import { Graph, layout } from '@dagrejs/dagre';

export const CARD_WIDTH = 240;
export const CARD_HEIGHT = 92;
const NODE_SEP = 40;
const RANK_SEP = 70;
const MARGIN = 20;
const LARGE_FLOW = 80;

export interface Positioned {
  x: number;
  y: number;
}

type Edges = ReadonlyArray<{ source: string; target: string; dangling?: boolean }>;

export function layoutFlow(nodes: ReadonlyArray<{ id: string }>, edges: Edges, start: string): Map<string, Positioned> {
  return nodes.length > LARGE_FLOW ? layered(nodes, edges, start) : withDagre(nodes, edges, start);
}

function withDagre(nodes: ReadonlyArray<{ id: string }>, edges: Edges, start: string): Map<string, Positioned> {
  const g = new Graph();
  // tight-tree ranks in two thirds of network-simplex's time, and reads as well top to bottom.
  g.setGraph({ rankdir: 'TB', nodesep: NODE_SEP, ranksep: RANK_SEP, marginx: MARGIN, marginy: MARGIN, ranker: 'tight-tree' });
  g.setDefaultEdgeLabel(() => ({}));
  // The start first: dagre keeps the order nodes come in where it can.
  const ordered = [...nodes].sort((a, b) => Number(b.id === start) - Number(a.id === start));
  for (const n of ordered) g.setNode(n.id, { width: CARD_WIDTH, height: CARD_HEIGHT });
  // One edge per pair of nodes: five choices leading to the same question weigh as one in the layout.
  for (const e of edges) if (!e.dangling && e.source !== e.target && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  layout(g);
  const out = new Map<string, Positioned>();
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number } | undefined;
    out.set(n.id, { x: (p?.x ?? 0) - CARD_WIDTH / 2, y: (p?.y ?? 0) - CARD_HEIGHT / 2 });
  }
  return out;
}

/**
 * Layers in one pass. A node's row is its distance in steps from the start (breadth first, so a way back to the
 * menu does not push the menu down); nodes no way reaches start rows of their own, from the top, in the flow's
 * order. Within a row, each node wants to sit under the middle of the nodes leading to it, in the order they were
 * reached; cards are then pushed apart to their width and the row centred on what its cards wanted.
 */
export function layered(nodes: ReadonlyArray<{ id: string }>, edges: Edges, start: string): Map<string, Positioned> {
  const known = new Set(nodes.map((n) => n.id));
  const out = new Map<string, string[]>();
  const into = new Map<string, string[]>();
  for (const e of edges) {
    if (e.dangling || e.source === e.target || !known.has(e.source) || !known.has(e.target)) continue;
    const o = out.get(e.source) ?? [];
    if (!o.includes(e.target)) o.push(e.target);
    out.set(e.source, o);
    const i = into.get(e.target) ?? [];
    if (!i.includes(e.source)) i.push(e.source);
    into.set(e.target, i);
  }

  const rank = new Map<string, number>();
  const reached: string[] = [];
  const walk = (root: string) => {
    rank.set(root, 0);
    const queue = [root];
    for (let head = 0; head < queue.length; head++) {
      const at = queue[head]!;
      reached.push(at);
      for (const next of out.get(at) ?? []) {
        if (rank.has(next)) continue;
        rank.set(next, rank.get(at)! + 1);
        queue.push(next);
      }
    }
  };
  if (known.has(start)) walk(start);
  for (const n of nodes) if (!rank.has(n.id)) walk(n.id);

  const rows: string[][] = [];
  for (const id of reached) (rows[rank.get(id)!] ??= []).push(id);
  const x = new Map<string, number>();
  const step = CARD_WIDTH + NODE_SEP;
  for (const row of rows) {
    if (!row) continue;
    // What each card wants: under its parents (those already placed, on the rows above), else where it was reached.
    const wants = row.map((id, i) => {
      const above = (into.get(id) ?? []).filter((p) => rank.get(p)! < rank.get(id)! && x.has(p));
      return { id, want: above.length ? above.reduce((s, p) => s + x.get(p)!, 0) / above.length : i * step, i };
    });
    wants.sort((a, b) => a.want - b.want || a.i - b.i);
    const placed = wants.map((w) => w.want);
    for (let i = 1; i < placed.length; i++) placed[i] = Math.max(placed[i]!, placed[i - 1]! + step);
    const shift = wants.reduce((s, w, i) => s + (w.want - placed[i]!), 0) / wants.length;
    wants.forEach((w, i) => x.set(w.id, placed[i]! + shift));
  }

  const left = Math.min(...x.values());
  const positions = new Map<string, Positioned>();
  for (const n of nodes) positions.set(n.id, { x: MARGIN + x.get(n.id)! - left, y: MARGIN + rank.get(n.id)! * (CARD_HEIGHT + RANK_SEP) });
  return positions;
}
