/**
 * The editor's changes to a flow, each a pure function from one definition to the next (never changing the one it
 * is given), so that undo is keeping the earlier one and the YAML text can be brought in step by comparing the two.
 * A new text is created in Thai only: until its English is written the validator says so, on the node and field.
 */
import type { ChooseOption, FlowDefinition, FlowNode } from '../../../../../flows/definition/types';
import { textUses } from '../../../../../flows/definition/warnings';
import { exitsOf, type NodeKind } from './graph';

/** LINE shows at most 13 quick replies. */
export const MAX_CHOICES = 13;

const clone = <T>(v: T): T => structuredClone(v);

/** The value at a dotted path inside a node (`options.2.next`). */
export function getAt(node: unknown, field: string): unknown {
  return field.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), node);
}

function setAt<T>(node: T, field: string, value: unknown): T {
  const copy = clone(node);
  const keys = field.split('.');
  let here = copy as unknown as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) here = here[k] as Record<string, unknown>;
  here[keys.at(-1)!] = value;
  return copy;
}

/** A node id not yet taken: `base`, else `base_2`, `base_3`... */
export function freeId(taken: Iterable<string>, base: string): string {
  const used = new Set(taken);
  const clean = base.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'node';
  if (!used.has(clean)) return clean;
  for (let n = 2; ; n++) if (!used.has(`${clean}_${n}`)) return `${clean}_${n}`;
}

/** A text key not yet used in either language. */
function freeKey(def: FlowDefinition, base: string): string {
  return freeId([...Object.keys(def.texts.th), ...Object.keys(def.texts.en)], base);
}

export function replaceNode(def: FlowDefinition, id: string, node: FlowNode): FlowDefinition {
  return { ...def, nodes: { ...def.nodes, [id]: node } };
}

/** Points one exit of a node (`field`, as in graph.ts) at another node: picking a target, or dragging an edge. */
export function setTarget(def: FlowDefinition, id: string, field: string, target: string): FlowDefinition {
  const node = def.nodes[id];
  if (!node) return def;
  return replaceNode(def, id, setAt(node, field, target));
}

export function setText(def: FlowDefinition, lang: 'th' | 'en', key: string, text: string): FlowDefinition {
  return { ...def, texts: { ...def.texts, [lang]: { ...def.texts[lang], [key]: text } } };
}

export function setStart(def: FlowDefinition, id: string): FlowDefinition {
  return { ...def, start: id };
}

/** A new node of a kind, with its texts in Thai waiting for words, leading to `next` (or to itself's first neighbour). */
export function addNode(def: FlowDefinition, kind: NodeKind, next: string = def.start): { def: FlowDefinition; id: string } {
  const id = freeId(Object.keys(def.nodes), kind);
  let d = def;
  const text = (suffix: string) => {
    const key = freeKey(d, `${id}_${suffix}`);
    d = setText(d, 'th', key, '');
    return key;
  };
  let node: FlowNode;
  switch (kind) {
    case 'say':
      node = { kind, messages: [{ text: text('text') }], next };
      break;
    case 'ask':
      node = { kind, input: { type: 'text' }, slot: freeId([], id), prompt: text('prompt'), reprompt: text('reprompt'), retries: 3, next };
      break;
    case 'choose':
      node = { kind, prompt: text('prompt'), options: [{ label: text('option1'), next }] };
      break;
    case 'branch':
      node = { kind, cases: [], otherwise: next };
      break;
    case 'action':
      node = { kind, action: 'case.listMine', outcomes: { some: next, none: next } };
      break;
    case 'call':
      node = { kind, flow: 'faq', next };
      break;
    case 'handoff':
      node = { kind, reason: 'flow' };
      break;
    case 'end':
      node = { kind };
      break;
  }
  return { def: replaceNode(d, id, node), id };
}

/** A copy of a node beside it, with copies of its texts under new keys, so editing one leaves the other alone. */
export function copyNode(def: FlowDefinition, id: string): { def: FlowDefinition; id: string } {
  const node = def.nodes[id];
  if (!node) return { def, id };
  const copyId = freeId(Object.keys(def.nodes), `${id}_copy`);
  let d = def;
  let copy = clone(node);
  for (const use of textUses({ ...def, nodes: { [id]: node } })) {
    const field = use.path.slice(`nodes.${id}.`.length);
    const key = freeKey(d, `${use.key}_copy`);
    for (const lang of ['th', 'en'] as const) {
      const text = def.texts[lang][use.key];
      if (text !== undefined) d = setText(d, lang, key, text);
    }
    copy = setAt(copy, field, key);
  }
  return { def: replaceNode(d, copyId, copy), id: copyId };
}

/**
 * Removes a node and the texts only it showed. What led to it keeps pointing at it, and the validator names each
 * such exit, until it is pointed elsewhere: a deletion never silently rewires the flow.
 */
export function deleteNode(def: FlowDefinition, id: string): FlowDefinition {
  if (!(id in def.nodes)) return def;
  const nodes = { ...def.nodes };
  delete nodes[id];
  const stillUsed = new Set(textUses({ ...def, nodes }).map((u) => u.key));
  const own = textUses({ ...def, nodes: { [id]: def.nodes[id]! } }).map((u) => u.key).filter((k) => !stillUsed.has(k));
  const drop = (texts: Record<string, string>) => Object.fromEntries(Object.entries(texts).filter(([k]) => !own.includes(k)));
  return { ...def, nodes, texts: { th: drop(def.texts.th), en: drop(def.texts.en) } };
}

/** Gives a node another id, and every exit and the start that named it follow. Refused (unchanged) when taken. */
export function renameNode(def: FlowDefinition, from: string, to: string): FlowDefinition {
  if (from === to || to.trim() === '' || to in def.nodes || !(from in def.nodes)) return def;
  const nodes: Record<string, FlowNode> = {};
  for (const [id, node] of Object.entries(def.nodes)) {
    let n = node;
    for (const e of exitsOf(node)) if (e.target === from) n = setAt(n, e.field, to);
    nodes[id === from ? to : id] = n;
  }
  return { ...def, start: def.start === from ? to : def.start, nodes };
}

/** A new choice at the end, with a Thai label to write, going where the last choice goes. */
export function addOption(def: FlowDefinition, id: string): FlowDefinition {
  const node = def.nodes[id];
  if (node?.kind !== 'choose' || node.options.length >= MAX_CHOICES) return def;
  const key = freeKey(def, `${id}_option${node.options.length + 1}`);
  const option: ChooseOption = { label: key, next: node.options.at(-1)?.next ?? def.start };
  return replaceNode(setText(def, 'th', key, ''), id, { ...node, options: [...node.options, option] });
}

export function removeOption(def: FlowDefinition, id: string, index: number): FlowDefinition {
  const node = def.nodes[id];
  if (node?.kind !== 'choose' || node.options.length <= 1) return def;
  return replaceNode(def, id, { ...node, options: node.options.filter((_, i) => i !== index) });
}

export function moveOption(def: FlowDefinition, id: string, index: number, by: -1 | 1): FlowDefinition {
  const node = def.nodes[id];
  if (node?.kind !== 'choose') return def;
  const to = index + by;
  if (to < 0 || to >= node.options.length) return def;
  const options = [...node.options];
  [options[index], options[to]] = [options[to]!, options[index]!];
  return replaceNode(def, id, { ...node, options });
}

/** Changes the fields of a node (from the side panel); keys set to undefined are removed, as YAML would not write them. */
export function patchNode(def: FlowDefinition, id: string, patch: Record<string, unknown>): FlowDefinition {
  const node = def.nodes[id];
  if (!node) return def;
  const next: Record<string, unknown> = { ...node };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  return replaceNode(def, id, next as unknown as FlowNode);
}
