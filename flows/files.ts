import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { validateFlow, type FlowDefinition, type FlowError } from './definition';
import { validationContext } from './registry';

/**
 * Flow files on disk (YAML, so admins can comment them, or JSON) and the checks run on them before they ship.
 * Errors carry the line as well as the dotted path: a person fixing a file looks for a line, not a path.
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

export interface CheckedFlow {
  file: string;
  flow: FlowDefinition;
  source: FlowSource;
}

export interface FlowCheck {
  ok: boolean;
  /** The files that passed, in the order given. */
  flows: CheckedFlow[];
  /** Every error, grouped by file in the order given, by line within a file. */
  errors: LocatedFlowError[];
}

export const FLOW_FILE_EXTENSIONS: Readonly<Record<string, FlowFormat>> = { '.yaml': 'yaml', '.yml': 'yaml', '.json': 'json' };

/** Flow ids appear in URLs of the admin API and in logs: lower case, short, no spaces. */
export const FLOW_ID = /^[a-z][a-z0-9_-]{0,63}$/;

/** The id rule, beyond the schema's "a non-empty string"; nothing to say when there is no string id at all. */
export function flowIdErrors(value: unknown, file: string): FlowError[] {
  const id = idOf(value);
  if (id === undefined || FLOW_ID.test(id)) return [];
  const fixed = id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 64);
  return [{ file, path: 'id', message: `flow id "${id}" must be a lower-case letter then up to 63 of a-z, 0-9, _ or -`, ...(fixed ? { suggestion: `use "${fixed}"` } : {}) }];
}

export function formatOf(path: string): FlowFormat | undefined {
  return FLOW_FILE_EXTENSIONS[extname(path).toLowerCase()];
}

/** The flow files of a directory (not its subdirectories), sorted by name; dotfiles (editor backups) skipped. */
export async function listFlowFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && formatOf(e.name) !== undefined)
    .map((e) => e.name)
    .sort()
    .map((name) => join(dir, name));
}

export async function loadFlowFile(path: string): Promise<ParsedFlowSource> {
  const format = formatOf(path);
  if (!format) {
    return { ok: false, errors: [{ file: path, path: '', message: 'not a flow file', suggestion: 'name it *.yaml, *.yml or *.json' }] };
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { ok: false, errors: [{ file: path, path: '', message: `cannot read the file: ${(err as Error).message}` }] };
  }
  return parseFlowSource(text, path, format);
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

/**
 * Validates files together: each against the code's registry, `call` targets against the ids of all of them,
 * and no two files may define the same flow id.
 */
export async function checkFlowFiles(paths: readonly string[]): Promise<FlowCheck> {
  const parsed = await Promise.all(paths.map((p) => loadFlowFile(p)));
  const errorsByFile = new Map<string, LocatedFlowError[]>(paths.map((p) => [p, []]));
  const add = (file: string, errs: LocatedFlowError[]) => errorsByFile.get(file)?.push(...errs);

  // Ids from every parsed file, valid or not, so that one broken file does not make its callers fail too.
  const ids = new Set<string>();
  const firstFileOf = new Map<string, string>();
  parsed.forEach((p, i) => {
    const file = paths[i]!;
    if (!p.ok) return add(file, p.errors);
    const id = idOf(p.source.value);
    if (id === undefined) return;
    ids.add(id);
    const first = firstFileOf.get(id);
    if (first === undefined) firstFileOf.set(id, file);
    else add(file, locate([{ file, path: 'id', message: `flow id "${id}" is already defined in ${first}`, suggestion: 'give each flow its own id, or remove one of the files' }], p.source));
  });

  const flows: CheckedFlow[] = [];
  parsed.forEach((p, i) => {
    const file = paths[i]!;
    if (!p.ok) return;
    add(file, locate(flowIdErrors(p.source.value, file), p.source));
    const result = validateFlow(p.source.value, validationContext(file, ids));
    if (!result.ok) add(file, locate(result.errors, p.source));
    else if (errorsByFile.get(file)?.length === 0) flows.push({ file, flow: result.flow, source: p.source });
  });

  const errors = [...errorsByFile.values()].flatMap((errs) => errs.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity)));
  return { ok: errors.length === 0, flows, errors };
}

/** `file:line path: message (suggestion)`, the way compilers print, so editors can jump to it. */
export function formatFlowError(e: LocatedFlowError): string {
  const where = e.line === undefined ? e.file : `${e.file}:${e.line}`;
  const path = e.path === '' ? '' : ` ${e.path}`;
  return `${where}${path}: ${e.message}${e.suggestion ? ` (${e.suggestion})` : ''}`;
}

function idOf(value: unknown): string | undefined {
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
