/**
 * The training corpus (language/corpus/): `<intent>.txt` one example a line, and `complaint/<subject>.txt` with an
 * optional `<category>\t` prefix. Parsing is pure (files come in as path + content) so tests can build a corpus
 * in memory; the scripts do the reading.
 */
import { INTENTS, SUBJECTS, type Intent, type Subject } from '../intents';
import { CATEGORIES, type Category } from '../categories';
import { fnv1a } from './prng';
import { normalizeForFeatures } from '../normalize';

export interface Example {
  text: string;
  intent: Intent;
  subject?: Subject;
  category?: Category;
  source: string; // file:line, for error messages and misread reports
}

export class CorpusError extends Error {
  override name = 'CorpusError';
  constructor(
    message: string,
    readonly source: string,
  ) {
    super(`${source}: ${message}`);
  }
}

const isIntent = (s: string): s is Intent => (INTENTS as readonly string[]).includes(s);
const isSubject = (s: string): s is Subject => (SUBJECTS as readonly string[]).includes(s);
const isCategory = (s: string): s is Category => (CATEGORIES as readonly string[]).includes(s);

/** Parses one corpus file; `path` is relative to the corpus folder, with forward slashes. */
export function parseCorpusFile(path: string, content: string): Example[] {
  const m = /^(?:complaint\/([a-z_]+)|([a-z_]+))\.txt$/.exec(path);
  if (!m) throw new CorpusError('not a corpus file name (<intent>.txt or complaint/<subject>.txt)', path);
  const [, subjectName, intentName] = m;
  if (intentName !== undefined && (!isIntent(intentName) || intentName === 'complaint')) {
    throw new CorpusError(`unknown intent "${intentName}"; intents: ${INTENTS.join(', ')}`, path);
  }
  if (subjectName !== undefined && !isSubject(subjectName)) {
    throw new CorpusError(`unknown subject "${subjectName}"; subjects: ${SUBJECTS.join(', ')}`, path);
  }
  const out: Example[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    const source = `${path}:${i + 1}`;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    if (intentName !== undefined) {
      out.push({ text: line.trim(), intent: intentName as Intent, source });
      return;
    }
    const tab = line.indexOf('\t');
    let category: Category = 'complaint';
    let text = line;
    if (tab >= 0) {
      const code = line.slice(0, tab).trim();
      if (!isCategory(code)) throw new CorpusError(`unknown category "${code}"; categories: ${CATEGORIES.join(', ')}`, source);
      category = code;
      text = line.slice(tab + 1);
    }
    if (text.trim() !== '') out.push({ text: text.trim(), intent: 'complaint', subject: subjectName as Subject, category, source });
  });
  return out;
}

/** Parses a whole corpus; files sorted by path so the example order never depends on the file system. */
export function parseCorpus(files: { path: string; content: string }[]): Example[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).flatMap((f) => parseCorpusFile(f.path, f.content));
}

/**
 * The held-out split: an example is held out when the hash of its normalised text falls in the lowest `share` of
 * the range. By text, not by position, so a line that moves or a copy in another file lands on the same side;
 * hashing is uniform, so every intent is held out in about the same proportion (stratified in expectation).
 */
export function isHeldOut(text: string, share = 0.2): boolean {
  return fnv1a(normalizeForFeatures(text)) / 4294967296 < share;
}

export function splitCorpus(examples: Example[], share = 0.2): { train: Example[]; test: Example[] } {
  const train: Example[] = [];
  const test: Example[] = [];
  for (const e of examples) (isHeldOut(e.text, share) ? test : train).push(e);
  return { train, test };
}
