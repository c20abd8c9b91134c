import type { FlowDefinition, NodeId, TextKey } from './types';

/**
 * What changed between two versions of a flow, for an admin to read before publishing: which nodes came and
 * went, which fields of a node changed (as paths inside the node, e.g. `options.1.next`), and every wording
 * change per language with the old and the new text side by side.
 */
export interface FlowDiff {
  from: { id: string; version: number };
  to: { id: string; version: number };
  /** True when nothing but the version number differs. */
  same: boolean;
  start?: { from: NodeId; to: NodeId };
  keepTextAs?: { from: string | null; to: string | null };
  keywords: { th: ListChange; en: ListChange };
  nodes: {
    added: NodeId[];
    removed: NodeId[];
    changed: Array<{ id: NodeId; fields: string[] }>;
  };
  texts: { th: TextChanges; en: TextChanges };
}

export interface ListChange {
  added: string[];
  removed: string[];
}

export interface TextChanges {
  added: Array<{ key: TextKey; text: string }>;
  removed: Array<{ key: TextKey; text: string }>;
  changed: Array<{ key: TextKey; from: string; to: string }>;
}

export function diffFlows(a: FlowDefinition, b: FlowDefinition): FlowDiff {
  const nodeIds = union(Object.keys(a.nodes), Object.keys(b.nodes));
  const nodes: FlowDiff['nodes'] = { added: [], removed: [], changed: [] };
  for (const id of nodeIds) {
    const [x, y] = [a.nodes[id], b.nodes[id]];
    if (x === undefined) nodes.added.push(id);
    else if (y === undefined) nodes.removed.push(id);
    else {
      const fields = changedPaths(x, y, '');
      if (fields.length > 0) nodes.changed.push({ id, fields });
    }
  }
  const texts = { th: diffTexts(a.texts.th, b.texts.th), en: diffTexts(a.texts.en, b.texts.en) };
  const keywords = {
    th: diffList(a.keywords?.th ?? [], b.keywords?.th ?? []),
    en: diffList(a.keywords?.en ?? [], b.keywords?.en ?? []),
  };
  const diff: FlowDiff = {
    from: { id: a.id, version: a.version },
    to: { id: b.id, version: b.version },
    same: false,
    keywords,
    nodes,
    texts,
  };
  if (a.start !== b.start) diff.start = { from: a.start, to: b.start };
  if (a.keepTextAs !== b.keepTextAs) diff.keepTextAs = { from: a.keepTextAs ?? null, to: b.keepTextAs ?? null };
  const empty = (c: { added: unknown[]; removed: unknown[]; changed?: unknown[] }) =>
    c.added.length === 0 && c.removed.length === 0 && (c.changed?.length ?? 0) === 0;
  diff.same =
    a.id === b.id && !diff.start && !diff.keepTextAs && empty(nodes) && empty(texts.th) && empty(texts.en) && empty(keywords.th) && empty(keywords.en);
  return diff;
}

function diffTexts(a: Record<TextKey, string>, b: Record<TextKey, string>): TextChanges {
  const out: TextChanges = { added: [], removed: [], changed: [] };
  for (const key of union(Object.keys(a), Object.keys(b))) {
    const [x, y] = [a[key], b[key]];
    if (x === undefined && y !== undefined) out.added.push({ key, text: y });
    else if (y === undefined && x !== undefined) out.removed.push({ key, text: x });
    else if (x !== undefined && y !== undefined && x !== y) out.changed.push({ key, from: x, to: y });
  }
  return out;
}

function diffList(a: readonly string[], b: readonly string[]): ListChange {
  return { added: b.filter((w) => !a.includes(w)), removed: a.filter((w) => !b.includes(w)) };
}

/** Leaf paths where two JSON values differ; a whole subtree counts as one path when only one side has it. */
function changedPaths(a: unknown, b: unknown, at: string): string[] {
  const join = (k: string | number) => (at === '' ? String(k) : `${at}.${k}`);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_, i) => (i < a.length && i < b.length ? changedPaths(a[i], b[i], join(i)) : [join(i)])).flat();
  }
  if (isRecord(a) && isRecord(b)) {
    return union(Object.keys(a), Object.keys(b)).flatMap((k) =>
      k in a && k in b ? changedPaths(a[k], b[k], join(k)) : [join(k)],
    );
  }
  return Object.is(a, b) ? [] : [at];
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keys of the first, then new keys of the second: the order an admin wrote them in. */
function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
