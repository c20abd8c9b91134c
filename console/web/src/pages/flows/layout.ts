/**
 * Where each card goes: dagre's layered layout, top to bottom in the order a citizen walks the flow, the start at
 * the top. Positions are the canvas's only; the flow file holds none, so any flow, however written, is laid out.
 */
import { Graph, layout } from '@dagrejs/dagre';

export const CARD_WIDTH = 240;
export const CARD_HEIGHT = 92;
const LARGE_FLOW = 80;

export interface Positioned {
  x: number;
  y: number;
}

export function layoutFlow(
  nodes: ReadonlyArray<{ id: string }>,
  edges: ReadonlyArray<{ source: string; target: string; dangling?: boolean }>,
  start: string,
): Map<string, Positioned> {
  const g = new Graph();
  // tight-tree ranks a 200-node flow in two thirds of network-simplex's time, and reads as well top to bottom.
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 20, marginy: 20, ranker: 'tight-tree' });
  g.setDefaultEdgeLabel(() => ({}));
  // The start first: dagre keeps the order nodes come in where it can.
  const ordered = [...nodes].sort((a, b) => Number(b.id === start) - Number(a.id === start));
  for (const n of ordered) g.setNode(n.id, { width: CARD_WIDTH, height: CARD_HEIGHT });
  // One edge per pair of nodes: five choices leading to the same question weigh as one in the layout, and dagre's
  // ordering, which is most of its time, has fewer edges to cross.
  for (const e of edges) if (!e.dangling && e.source !== e.target && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  // Past this size dagre's search for the order with fewest crossings is most of its time; flows read top to bottom
  // and their first order is a good one, so a large flow is drawn in about two thirds of the time without it.
  layout(g, { disableOptimalOrderHeuristic: nodes.length > LARGE_FLOW });
  const out = new Map<string, Positioned>();
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number } | undefined;
    out.set(n.id, { x: (p?.x ?? 0) - CARD_WIDTH / 2, y: (p?.y ?? 0) - CARD_HEIGHT / 2 });
  }
  return out;
}
