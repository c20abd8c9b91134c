/**
 * Keeps the YAML text in step with the canvas without losing what only the text holds: comments, key order, the
 * layout of lists. A change made on the canvas is the difference between two definitions; only the places that
 * differ are written into the parsed document, then it is printed again. Pure.
 */
import { isMap, isScalar, isSeq, parseDocument, stringify, type Document } from 'yaml';

type Path = Array<string | number>;

/** How the editor prints YAML: no folding of long Thai lines, two-space indents, as the shipped files. */
export const PRINT = { lineWidth: 0, indent: 2 } as const;

export function toYaml(value: unknown): string {
  return stringify(value, PRINT);
}

/** `source` changed as `before` became `after`; a text that does not parse is written anew from `after`. */
export function applyToYaml(source: string, before: unknown, after: unknown): string {
  const doc = parseDocument(source);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return toYaml(after);
  patch(doc, [], before, after);
  return doc.toString(PRINT);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function patch(doc: Document, path: Path, a: unknown, b: unknown): void {
  if (Object.is(a, b)) return;
  const here = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isRecord(a) && isRecord(b) && isMap(here)) {
    for (const k of Object.keys(a)) if (!(k in b)) doc.deleteIn([...path, k]);
    for (const [k, v] of Object.entries(b)) {
      if (!(k in a)) doc.setIn([...path, k], doc.createNode(v));
      else patch(doc, [...path, k], a[k], v);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && isSeq(here)) {
    for (let i = a.length - 1; i >= b.length; i--) doc.deleteIn([...path, i]);
    b.forEach((v, i) => {
      if (i < a.length) patch(doc, [...path, i], a[i], v);
      else doc.addIn(path, doc.createNode(v));
    });
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  // A scalar keeps its node, and with it the comment beside it and its quoting.
  if (isScalar(here) && (b === null || typeof b !== 'object')) here.value = b;
  else doc.setIn(path, doc.createNode(b));
}
