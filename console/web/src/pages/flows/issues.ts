/**
 * The validator's errors and the warnings, placed where the admin looks: on a node and a field of it (and the
 * language, for a text), or on the flow itself. A text's problem is shown on every node that shows the text.
 * Pure: the editor checks on every change in the browser with the server's own code (flows/check.ts).
 */
import { checkFlow } from '../../../../../flows/check';
import type { FlowError } from '../../../../../flows/definition/validate';
import type { FlowDefinition } from '../../../../../flows/definition/types';
import { flowWarnings, textUses } from '../../../../../flows/definition/warnings';
import { flowSchema } from '../../../../../flows/definition/schema';
import type { KnownCategories } from '../../../../../flows/definition/categories';
import { validationContext } from '../../../../../flows/registry';

export type Severity = 'error' | 'warning';

export interface Issue {
  severity: Severity;
  path: string;
  message: string;
  suggestion?: string;
  /** The node it belongs to; null: the flow as a whole (its id, start, texts no node shows). */
  node: string | null;
  /** Inside the node, as a dotted path (`prompt`, `options.8.label`); '' for the node itself. */
  field: string;
  /** For a text: the language whose text it is about. */
  lang?: 'th' | 'en';
}

export interface Checked {
  issues: Issue[];
  errors: number;
  warnings: number;
  /** The definition, when its shape passed the schema: what the canvas draws and the preview runs. */
  flow: FlowDefinition | null;
}

/**
 * Runs the whole check (as the server does before publishing) and places each finding. `categories`: the case
 * categories as the server has them (GET /categories), so that a choice filing into an unknown or retired one is
 * shown at once; until they are read, they are not checked (the server checks again on publishing).
 */
export function checkDraft(value: unknown, flowIds: Iterable<string>, categories?: KnownCategories): Checked {
  const result = checkFlow(value, 'draft', flowIds, (file, ids) => validationContext(file, ids, categories));
  const shape = flowSchema.safeParse(value);
  const flow = shape.success ? (shape.data as FlowDefinition) : null;
  const errors = result.ok ? [] : result.errors;
  const warnings = flow ? flowWarnings(flow) : [];
  const nodes = flow ? Object.keys(flow.nodes) : nodeIdsOf(value);
  const uses = flow ? textUses(flow) : [];
  const issues = [...errors.flatMap((e) => place(e, 'error', nodes, uses)), ...warnings.flatMap((w) => place(w, 'warning', nodes, uses))];
  return { issues, errors: errors.length, warnings: warnings.length, flow };
}

function nodeIdsOf(value: unknown): string[] {
  const nodes = value !== null && typeof value === 'object' ? (value as { nodes?: unknown }).nodes : undefined;
  return nodes !== null && typeof nodes === 'object' ? Object.keys(nodes as object) : [];
}

/** Node ids may hold dots: the longest id that the path starts with wins. */
function nodeOfPath(rest: string, nodes: readonly string[]): { node: string; field: string } | null {
  let best: string | null = null;
  for (const id of nodes) if ((rest === id || rest.startsWith(`${id}.`)) && (best === null || id.length > best.length)) best = id;
  return best === null ? null : { node: best, field: rest.slice(best.length + 1) };
}

export function place(e: FlowError, severity: Severity, nodes: readonly string[], uses: ReadonlyArray<{ key: string; path: string }>): Issue[] {
  const base = { severity, path: e.path, message: e.message, ...(e.suggestion ? { suggestion: e.suggestion } : {}) };
  if (e.path.startsWith('nodes.')) {
    const at = nodeOfPath(e.path.slice('nodes.'.length), nodes);
    if (at) return [{ ...base, ...at, ...langOfMessage(e.message) }];
  }
  const text = /^texts\.(th|en)\.(.+)$/.exec(e.path);
  if (text) {
    const [, lang, key] = text as unknown as [string, 'th' | 'en', string];
    const where = uses.filter((u) => u.key === key);
    if (where.length > 0) {
      return where.map((u) => {
        const at = nodeOfPath(u.path.slice('nodes.'.length), nodes)!;
        return { ...base, ...at, lang };
      });
    }
    return [{ ...base, node: null, field: e.path, lang }];
  }
  return [{ ...base, node: null, field: e.path }];
}

/** "text "x" is missing in en": the English box is the one to fill. */
function langOfMessage(message: string): { lang?: 'th' | 'en' } {
  const m = / is missing in (th|en)$/.exec(message);
  return m ? { lang: m[1] as 'th' | 'en' } : {};
}

/** The issues of one node, by field: what the card counts and the side panel shows beside each field. */
export function issuesOfNode(issues: readonly Issue[], node: string): Issue[] {
  return issues.filter((i) => i.node === node);
}

/** The issues of a field of a node (and of anything inside it), optionally of one language. */
export function issuesOfField(issues: readonly Issue[], field: string, lang?: 'th' | 'en'): Issue[] {
  return issues.filter((i) => (i.field === field || i.field.startsWith(`${field}.`)) && (lang === undefined || i.lang === undefined || i.lang === lang));
}
