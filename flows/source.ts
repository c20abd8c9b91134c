import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { FlowError } from './definition';

/**
 * A flow's text (YAML, so admins can comment it, or JSON) parsed into a value, with a map from a dotted path to
 * its line: a person fixing a file looks for a line, not a path. Pure (no files), so the console's editor in the
 * browser reads and locates exactly as the server and `npm run flows:check` do.
 */

export type FlowFormat = 'yaml' | 'json';

export interface LocatedFlowError extends FlowError {
  /** 1-based line in the source text, when the path (or the syntax error) can be placed. */
  line?: number;
}

export interface FlowSource {
  file: string;
  format: FlowFormat;
  text: string;
  /** The parsed value, not yet validated. */
  value: unknown;
  /** The line where a dotted path (as in FlowError.path) starts, or of its nearest existing parent. */
  lineOf(path: string): number | undefined;
}

export type ParsedFlowSource = { ok: true; source: FlowSource } | { ok: false; errors: LocatedFlowError[] };

/** Flow ids appear in URLs of the admin API and in logs: lower case, short, no spaces. */
export const FLOW_ID = /^[a-z][a-z0-9_-]{0,63}$/;

/** The id rule, beyond the schema's "a non-empty string"; nothing to say when there is no string id at all. */
export function flowIdErrors(value: unknown, file: string): FlowError[] {
  const id = idOf(value);
  if (id === undefined || FLOW_ID.test(id)) return [];
  const fixed = id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 64);
  return [{ file, path: 'id', message: `flow id "${id}" must be a lower-case letter then up to 63 of a-z, 0-9, _ or -`, ...(fixed ? { suggestion: `use "${fixed}"` } : {}) }];
}

/**
 * Parses without validating. JSON is parsed by JSON.parse (strict), but its line map comes from the YAML parser:
 * JSON is YAML, so one path-to-line walk serves both formats.
 */
export function parseFlowSource(text: string, file: string, format: FlowFormat): ParsedFlowSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lines.linePos(offset).line || 1;
  const syntaxError = (message: string, line: number | undefined): ParsedFlowSource => ({
    ok: false,
    errors: [{ file, path: '', message, ...(line === undefined ? {} : { line }) }],
  });

  let value: unknown;
  if (format === 'json') {
    try {
      value = JSON.parse(text);
    } catch (err) {
      const located = jsonErrorOffset((err as Error).message);
      const yamlError = doc.errors[0];
      const line = located !== undefined ? lineAt(located) : yamlError ? lineAt(yamlError.pos[0]) : undefined;
      return syntaxError(`invalid JSON: ${jsonErrorMessage((err as Error).message)}`, line);
    }
  } else {
    const first = doc.errors[0];
    if (first) return syntaxError(`invalid YAML: ${first.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '')}`, lineAt(first.pos[0]));
    try {
      value = doc.toJS({ maxAliasCount: 50 });
    } catch (err) {
      // An unresolved alias, or an alias bomb: both surface only when the document is turned into values.
      return syntaxError(`invalid YAML: ${(err as Error).message}`, undefined);
    }
  }
  // Best effort: JSON the YAML parser frowns on (it is stricter about some whitespace) still maps where it can.
  const root = doc.contents as YamlNode | null;
  const lineOf = (path: string): number | undefined => {
    if (!root) return undefined;
    const offset = offsetOf(root, path === '' ? [] : path.split('.'));
    return offset === undefined ? undefined : lineAt(offset);
  };
  return { ok: true, source: { file, format, text, value, lineOf } };
}

/** Adds the line of each error's path. */
export function locate(errors: readonly FlowError[], source: Pick<FlowSource, 'lineOf'>): LocatedFlowError[] {
  return errors.map((e) => {
    const line = source.lineOf(e.path);
    return line === undefined ? { ...e } : { ...e, line };
  });
}

export function idOf(value: unknown): string | undefined {
  const id = value !== null && typeof value === 'object' ? (value as Record<string, unknown>).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Walks a dotted path through the YAML tree and returns the offset of its deepest existing step: the key of a
 * map entry (where a person reads "next: ..."), or the item of a list. Keys may contain dots themselves
 * (a text key "menu.title"), so at each map the longest key matching the next segments wins.
 */
function offsetOf(node: unknown, segments: string[]): number | undefined {
  const start = (n: unknown) => (n && typeof n === 'object' && 'range' in n ? (n as YamlNode).range?.[0] : undefined);
  let here: unknown = node;
  let offset = start(node);
  let rest = segments;
  while (rest.length > 0) {
    let step: { node: unknown; offset: number | undefined; used: number } | undefined;
    if (isMap(here)) {
      for (let n = rest.length; n >= 1 && !step; n--) {
        const key = rest.slice(0, n).join('.');
        const pair = here.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
        if (pair) step = { node: pair.value, offset: start(pair.key), used: n };
      }
    } else if (isSeq(here) && /^\d+$/.test(rest[0]!)) {
      const item = here.items[Number(rest[0])];
      if (item !== undefined) step = { node: item, offset: start(item), used: 1 };
    }
    if (!step) break;
    here = step.node;
    offset = step.offset ?? offset;
    rest = rest.slice(step.used);
  }
  return offset;
}

function jsonErrorOffset(message: string): number | undefined {
  const m = /at position (\d+)/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** V8's JSON messages quote the whole input when short; keep only what went wrong. */
function jsonErrorMessage(message: string): string {
  const quoted = /^(Unexpected token .+?), "[\s\S]*" is not valid JSON$/.exec(message);
  if (quoted) return quoted[1]!;
  return message.replace(/ in JSON at position \d+.*$/s, '');
}

/**
 * The YAML text with its `version:` set, comments and layout kept: a published draft is stored as the next version
 * whatever number the admin's text carried, and its stored text must say the same.
 */
export function withVersion(text: string, version: number): string {
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) return text;
  doc.set('version', version);
  return doc.toString({ lineWidth: 0 });
}
