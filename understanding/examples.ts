/**
 * Training examples admins add (language_example): from a kept sample with one click (its masked words), or
 * typed. Each says what the words mean (an intent) and, for a complaint, its category and topic when known. They
 * are trained on with the corpus (understanding/training.ts); deleting one made from a sample puts the sample
 * back among those to review.
 */
import type { Database, Tx } from '../storage/database';
import { maskNumbersInText } from '../flows/engine/format';
import { CATEGORIES, INTENTS, SUBJECTS, type Category, type Intent, type Subject } from '../language';
import { reopenSample, reviewSample, type Sample } from './samples';

type Q = Pick<Tx, 'query'>;

export const EXAMPLE_TEXT_MAX = 1000;
export const EXAMPLE_PAGE_MAX = 200;

/** What an example teaches: the intent, and for a complaint its category and topic when the admin knows them. */
export interface ExampleLabel {
  intent: Intent;
  category?: Category | undefined;
  topic?: Subject | undefined;
}

export interface StoredExample {
  id: number;
  text: string;
  intent: Intent;
  category: Category | null;
  topic: Subject | null;
  sampleId: number | null;
  addedBy: string;
  addedAt: number;
}

/** A label this code cannot train on: an unknown intent, category or topic, or a category for what is no complaint. */
export class ExampleLabelError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ExampleLabelError';
  }
}

/** Checks a label; the API's schema says the same, this keeps every writer (and the training) honest. */
export function checkLabel(l: ExampleLabel): void {
  if (!(INTENTS as readonly string[]).includes(l.intent)) throw new ExampleLabelError(`unknown intent "${l.intent}"`, 'intent');
  if (l.category !== undefined && !(CATEGORIES as readonly string[]).includes(l.category)) throw new ExampleLabelError(`unknown category "${l.category}"`, 'category');
  if (l.topic !== undefined && !(SUBJECTS as readonly string[]).includes(l.topic)) throw new ExampleLabelError(`unknown topic "${l.topic}"`, 'topic');
  if (l.intent !== 'complaint' && (l.category !== undefined || l.topic !== undefined)) {
    throw new ExampleLabelError('a category and a topic are for complaints only', l.category !== undefined ? 'category' : 'topic');
  }
}

interface ExampleRow {
  id: number | string;
  text: string;
  intent: Intent;
  category: Category | null;
  topic: Subject | null;
  sample_id: number | string | null;
  added_by: string;
  added_at: number | string;
}

const exampleOf = (r: ExampleRow): StoredExample => ({
  id: Number(r.id),
  text: r.text,
  intent: r.intent,
  category: r.category,
  topic: r.topic,
  sampleId: r.sample_id === null ? null : Number(r.sample_id),
  addedBy: r.added_by,
  addedAt: Number(r.added_at),
});

const COLUMNS = 'id, text, intent, category, topic, sample_id, added_by, added_at';

/** Stores an example (numbers masked, as in samples) and returns it. */
export async function addExample(tx: Q, e: ExampleLabel & { text: string; sampleId?: number; by: string; at: number }): Promise<StoredExample> {
  checkLabel(e);
  const text = maskNumbersInText(e.text.trim()).slice(0, EXAMPLE_TEXT_MAX);
  if (text === '') throw new ExampleLabelError('the text is empty', 'text');
  const [row] = await tx.query<{ id: number | string }>(
    'INSERT INTO language_example (intent, category, topic, text, sample_id, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
    [e.intent, e.category ?? null, e.topic ?? null, text, e.sampleId ?? null, e.by.slice(0, 64), e.at],
  );
  return (await exampleById(tx, Number(row!.id)))!;
}

/**
 * The one click: the sample's masked words become an example with the admin's label, and the sample is marked
 * added, together. Null when there is no such sample; SampleReviewedError when it was reviewed already.
 */
export async function addExampleFromSample(
  db: Database,
  sampleId: number,
  label: ExampleLabel,
  by: string,
  at: number,
  alsoInTx: (tx: Tx, added: { sample: Sample; example: StoredExample }) => Promise<void> = async () => {},
): Promise<{ sample: Sample; example: StoredExample } | null> {
  checkLabel(label);
  return db.transaction(async (tx) => {
    const sample = await reviewSample(tx, sampleId, 'added', by, at);
    if (!sample) return null;
    const example = await addExample(tx, { ...label, text: sample.text, sampleId, by, at });
    await alsoInTx(tx, { sample, example });
    return { sample, example };
  });
}

export async function exampleById(q: Q, id: number): Promise<StoredExample | null> {
  const [row] = await q.query<ExampleRow>(`SELECT ${COLUMNS} FROM language_example WHERE id = $1`, [id]);
  return row ? exampleOf(row) : null;
}

/** Newest first, a page at a time. */
export async function listExamples(q: Q, page: { page: number; pageSize: number }): Promise<{ total: number; examples: StoredExample[] }> {
  const [count] = await q.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM language_example');
  const size = Math.max(1, Math.min(page.pageSize, EXAMPLE_PAGE_MAX));
  const rows = await q.query<ExampleRow>(`SELECT ${COLUMNS} FROM language_example ORDER BY added_at DESC, id DESC LIMIT $1 OFFSET $2`, [
    size,
    (Math.max(1, page.page) - 1) * size,
  ]);
  return { total: Number(count?.n ?? 0), examples: rows.map(exampleOf) };
}

/** Every example, oldest first: what the training reads. */
export async function allExamples(q: Q): Promise<StoredExample[]> {
  return (await q.query<ExampleRow>(`SELECT ${COLUMNS} FROM language_example ORDER BY id`)).map(exampleOf);
}

/** Deletes an example and returns it (null when there is none); its sample, if any, is to be reviewed again. */
export async function deleteExample(tx: Q, id: number): Promise<StoredExample | null> {
  const example = await exampleById(tx, id);
  if (!example) return null;
  await tx.query('DELETE FROM language_example WHERE id = $1', [id]);
  if (example.sampleId !== null) await reopenSample(tx, example.sampleId);
  return example;
}
