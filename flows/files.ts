import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { validateFlow, type FlowDefinition } from './definition';
import { flowIdErrors, idOf, locate, parseFlowSource, type FlowFormat, type FlowSource, type LocatedFlowError, type ParsedFlowSource } from './source';
import { validationContext } from './registry';

export * from './source';

/**
 * Flow files on disk (YAML, so admins can comment them, or JSON) and the checks run on them before they ship.
 * Errors carry the line as well as the dotted path: a person fixing a file looks for a line, not a path.
 */

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
