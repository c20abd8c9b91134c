/**
 * Completion in the YAML view, from the flow's JSON Schema (flows/definition/schema.ts, the one editors use for
 * the files) and from the flow itself: at a key, the keys the schema allows there (a node's by its `kind`); at a
 * value, the schema's choices, or the node ids, text keys, actions, conditions and flows the value must name.
 * Pure: the text up to the cursor in, the choices out. Block-style YAML, as the flows are written.
 */
type Schema = Record<string, unknown>;

export interface Vocabulary {
  nodes: readonly string[];
  texts: readonly string[];
  actions: readonly string[];
  conditions: readonly string[];
  inputs: readonly string[];
  flows: readonly string[];
  intents: readonly string[];
}

export interface Completion {
  /** Offset where the word being completed starts. */
  from: number;
  options: Array<{ label: string; type: 'property' | 'enum' | 'variable' }>;
}

const TARGET_KEYS = new Set(['next', 'otherwise', 'onGiveUp', 'returnTo', 'start']);
const TEXT_KEYS = new Set(['prompt', 'reprompt', 'label', 'message', 'text', 'altText']);

interface Line {
  indent: number;
  dash: boolean;
  key: string | null;
  value: string;
}

function lineOf(raw: string): Line | null {
  if (/^\s*(#.*)?$/.test(raw)) return null;
  const m = /^( *)(- +)?(.*)$/.exec(raw)!;
  const body = m[3]!;
  const kv = /^([^\s:#'"][^:#]*?):(?:\s+(.*))?$/.exec(body);
  return { indent: m[1]!.length + (m[2]?.length ?? 0), dash: m[2] !== undefined, key: kv ? kv[1]! : null, value: kv ? (kv[2] ?? '').trim() : body.trim() };
}

/** Where the cursor is: the keys above it, the keys beside it, and whether a key or a value is being typed. */
export function contextAt(text: string, offset: number): { path: string[]; siblings: Map<string, string>; mode: 'key' | 'value'; key: string | null; from: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  const current = lines.pop() ?? '';
  const m = /^( *)(- +)?(.*)$/.exec(current)!;
  const indent = m[1]!.length + (m[2]?.length ?? 0);
  const body = m[3]!;
  const colon = /^([^\s:#'"][^:#]*?):\s*(.*)$/.exec(body);
  let mode: 'key' | 'value';
  let key: string | null = null;
  let word: string;
  if (colon) {
    mode = 'value';
    key = colon[1]!;
    word = colon[2]!.replace(/^['"[{ ]+/, '').split(/[,\s[\]{}]+/).pop() ?? '';
  } else if (m[2] !== undefined && /^\S*$/.test(body) && isListOfValues(lines, m[1]!.length)) {
    mode = 'value';
    word = body;
  } else {
    mode = 'key';
    word = body.trim();
  }
  const siblings = new Map<string, string>();
  const path: string[] = [];
  let want = indent;
  let inItem = m[2] !== undefined;
  if (inItem && mode === 'value' && !colon) inItem = false;
  let listOwnerAt: number | null = m[2] !== undefined ? m[1]!.length : null;
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lineOf(lines[i]!);
    if (!l) continue;
    if (listOwnerAt !== null) {
      // The key that owns the list this item is in: at the dash's indent or less, not itself an item.
      if (l.indent <= listOwnerAt && !(l.dash && l.indent - 2 === listOwnerAt) && l.key !== null && l.value === '') {
        path.unshift(l.key, '*');
        want = l.indent;
        listOwnerAt = null;
        if (l.dash) listOwnerAt = l.indent - 2;
        continue;
      }
      continue;
    }
    if (l.indent === want && l.key !== null && !inItem) siblings.set(l.key, l.value);
    if (l.indent === want && l.dash) {
      if (l.key !== null) siblings.set(l.key, l.value);
      listOwnerAt = l.indent - 2;
      continue;
    }
    if (l.indent < want && l.key !== null && l.value === '') {
      path.unshift(l.key);
      want = l.indent;
      if (l.dash) listOwnerAt = l.indent - 2;
    }
  }
  // Keys after the cursor in the same mapping count as siblings too (a node's `kind` written below).
  const after = text.slice(offset).split('\n').slice(1);
  for (const raw of after) {
    const l = lineOf(raw);
    if (!l) continue;
    if (l.indent < indent || (l.dash && l.indent === indent)) break;
    if (l.indent === indent && l.key !== null) siblings.set(l.key, l.value);
  }
  if (mode === 'key' && m[2] !== undefined) path.push('*');
  return { path, siblings, mode, key, from: offset - word.length };
}

function isListOfValues(lines: string[], dashIndent: number): boolean {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lineOf(lines[i]!);
    if (!l) continue;
    if (l.indent <= dashIndent && !l.dash) return l.key !== null && ['intents', 'params', 'synonyms'].includes(l.key);
    if (l.dash && l.key !== null) return false;
  }
  return false;
}

function resolve(root: Schema, s: Schema | undefined): Schema | undefined {
  const ref = s?.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) return resolve(root, (root.$defs as Record<string, Schema>)[ref.slice(8)]);
  return s;
}

/** The schemas a path may lead to (several where a union is not yet decided). */
function schemasAt(root: Schema, path: readonly string[], kind: string | undefined): Schema[] {
  let here: Schema[] = [root];
  for (const [i, step] of path.entries()) {
    const last = i === path.length - 1;
    here = here.flatMap((s) => variants(root, s, last ? kind : undefined)).flatMap((s): Schema[] => {
      if (step === '*') return s.items ? [resolve(root, s.items as Schema)!] : [];
      const props = s.properties as Record<string, Schema> | undefined;
      if (props?.[step]) return [resolve(root, props[step])!];
      if (s.additionalProperties && typeof s.additionalProperties === 'object') return [resolve(root, s.additionalProperties as Schema)!];
      return [];
    });
  }
  return here.flatMap((s) => variants(root, s, kind));
}

function variants(root: Schema, s: Schema, kind: string | undefined): Schema[] {
  const r = resolve(root, s);
  if (!r) return [];
  const alts = (r.oneOf ?? r.anyOf) as Schema[] | undefined;
  if (!alts) return [r];
  const all = alts.flatMap((a) => variants(root, a, kind));
  const byKind = all.filter((a) => ((a.properties as Record<string, Schema> | undefined)?.kind?.const ?? null) === kind);
  return kind !== undefined && byKind.length > 0 ? byKind : all;
}

export function completionsAt(text: string, offset: number, schema: Schema, vocab: Vocabulary): Completion {
  const ctx = contextAt(text, offset);
  const kind = ctx.siblings.get('kind');
  const options: Completion['options'] = [];
  if (ctx.mode === 'key') {
    const keys = new Set<string>();
    for (const s of schemasAt(schema, ctx.path, kind)) for (const k of Object.keys((s.properties as object | undefined) ?? {})) keys.add(k);
    for (const k of keys) if (!ctx.siblings.has(k)) options.push({ label: k, type: 'property' });
    return { from: ctx.from, options };
  }
  const key = ctx.key ?? ctx.path.at(-2) ?? '';
  const parent = ctx.path.at(-1);
  const named = (list: readonly string[]) => list.forEach((label) => options.push({ label, type: 'variable' }));
  if (TARGET_KEYS.has(key) || parent === 'outcomes') named(vocab.nodes);
  else if (TEXT_KEYS.has(key)) named(vocab.texts);
  else if (key === 'action') named(vocab.actions);
  else if (key === 'condition') named(vocab.conditions);
  else if (key === 'flow') named(vocab.flows);
  else if (key === 'type' && parent === 'input') named(vocab.inputs);
  else if (key === 'intents') named(vocab.intents);
  else {
    const path = ctx.key === null ? ctx.path : [...ctx.path, ctx.key];
    for (const s of schemasAt(schema, path, ctx.key === 'kind' ? undefined : kind)) {
      const props = s as { const?: unknown; enum?: unknown[]; type?: string; items?: Schema };
      if (typeof props.const === 'string') options.push({ label: props.const, type: 'enum' });
      for (const e of props.enum ?? []) if (typeof e === 'string') options.push({ label: e, type: 'enum' });
      if (props.type === 'boolean') options.push({ label: 'true', type: 'enum' }, { label: 'false', type: 'enum' });
    }
    if (ctx.key === 'kind') {
      const kinds = new Set<string>();
      for (const s of schemasAt(schema, ctx.path, undefined)) {
        const k = (s.properties as Record<string, { const?: string }> | undefined)?.kind?.const;
        if (k) kinds.add(k);
      }
      for (const k of kinds) options.push({ label: k, type: 'enum' });
    }
  }
  const seen = new Set<string>();
  return { from: ctx.from, options: options.filter((o) => !seen.has(o.label) && seen.add(o.label)) };
}
