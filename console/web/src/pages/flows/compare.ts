/**
 * A draft against another version (the live one unless chosen): the validator's diff (flows/definition/diff.ts),
 * and for the canvas each node's mark. A node is changed when its fields changed or when a text it shows was
 * reworded; a node of the other version that the draft no longer has is drawn as a ghost. Pure.
 */
import { diffFlows, type FlowDiff } from '../../../../../flows/definition/diff';
import type { FlowDefinition } from '../../../../../flows/definition/types';
import { textUses } from '../../../../../flows/definition/warnings';

export type NodeChange = 'added' | 'changed' | 'removed';

export interface Comparison {
  diff: FlowDiff;
  marks: Map<string, NodeChange>;
  /** The nodes of the other version that are gone, to draw where they were. */
  removed: Array<{ id: string; node: FlowDefinition['nodes'][string] }>;
}

export function compare(base: FlowDefinition, draft: FlowDefinition): Comparison {
  const diff = diffFlows(base, draft);
  const marks = new Map<string, NodeChange>();
  for (const id of diff.nodes.added) marks.set(id, 'added');
  for (const { id } of diff.nodes.changed) marks.set(id, 'changed');
  const reworded = new Set([...diff.texts.th.changed, ...diff.texts.en.changed, ...diff.texts.th.added, ...diff.texts.en.added].map((t) => t.key));
  for (const use of textUses(draft)) {
    const id = use.path.split('.')[1]!;
    if (reworded.has(use.key) && !marks.has(id) && id in base.nodes) marks.set(id, 'changed');
  }
  for (const id of diff.nodes.removed) marks.set(id, 'removed');
  return { diff, marks, removed: diff.nodes.removed.map((id) => ({ id, node: base.nodes[id]! })) };
}

/** Counts for the summary line: "2 added, 3 changed, 1 removed, 4 texts". */
export function summaryOf(c: Comparison): { added: number; changed: number; removed: number; texts: number } {
  const t = (x: FlowDiff['texts']['th']) => x.added.length + x.removed.length + x.changed.length;
  let changed = 0;
  for (const m of c.marks.values()) if (m === 'changed') changed++;
  return { added: c.diff.nodes.added.length, changed, removed: c.diff.nodes.removed.length, texts: t(c.diff.texts.th) + t(c.diff.texts.en) };
}
