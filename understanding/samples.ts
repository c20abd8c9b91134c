/**
 * What the language layer met in the field (language_sample): messages read with low confidence or not understood,
 * and proposals a citizen corrected. Kept with personal numbers masked and no chat id, for admins to review and
 * turn into training examples.
 */
import type { Tx } from '../storage/database';
import { maskNumbersInText } from '../flows/engine/format';

export type SampleReason = 'low_confidence' | 'not_understood' | 'corrected';
export type SampleStatus = 'new' | 'added' | 'dismissed';

export interface NewSample {
  reason: SampleReason;
  text: string;
  intent: string;
  confidence: number;
  correction?: { slot: string; proposed: string; chosen: string };
  at: number;
}

/** Long stories are cut: the start says what the model needs to learn, and a sample is no copy of a case. */
const MAX_TEXT = 1000;

export async function keepSample(tx: Pick<Tx, 'query'>, s: NewSample): Promise<void> {
  const c = s.correction;
  await tx.query(
    `INSERT INTO language_sample (reason, text, intent, confidence, slot, proposed, chosen, at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new')`,
    [s.reason, maskNumbersInText(s.text).slice(0, MAX_TEXT), s.intent.slice(0, 32), s.confidence, c?.slot.slice(0, 64) ?? null, c?.proposed.slice(0, 64) ?? null, c?.chosen.slice(0, 64) ?? null, s.at],
  );
}

export const SAMPLE_REASONS: readonly SampleReason[] = ['low_confidence', 'not_understood', 'corrected'];
export const SAMPLE_STATUSES: readonly SampleStatus[] = ['new', 'added', 'dismissed'];
export const SAMPLE_PAGE_MAX = 100;

/** A kept sample as an admin reviews it: the masked words, why they were kept, how they were read. */
export interface Sample {
  id: number;
  reason: SampleReason;
  text: string;
  intent: string;
  confidence: number;
  /** For a corrected proposal: the question's slot, what was proposed, what the citizen chose instead. */
  correction: { slot: string; proposed: string; chosen: string } | null;
  at: number;
  status: SampleStatus;
  reviewedBy: string | null;
  reviewedAt: number | null;
}

export interface SampleFilters {
  status?: SampleStatus;
  reason?: SampleReason;
  page: number;
  pageSize: number;
}

/** A sample that was reviewed already: it is turned into an example, or dismissed, once. */
export class SampleReviewedError extends Error {
  constructor(
    readonly id: number,
    readonly status: SampleStatus,
  ) {
    super(`sample ${id} is ${status} already`);
    this.name = 'SampleReviewedError';
  }
}

interface SampleRow {
  id: number | string;
  reason: SampleReason;
  text: string;
  intent: string;
  confidence: number | string;
  slot: string | null;
  proposed: string | null;
  chosen: string | null;
  at: number | string;
  status: SampleStatus;
  reviewed_by: string | null;
  reviewed_at: number | string | null;
}

const COLUMNS = 'id, reason, text, intent, confidence, slot, proposed, chosen, at, status, reviewed_by, reviewed_at';

const sampleOf = (r: SampleRow): Sample => ({
  id: Number(r.id),
  reason: r.reason,
  text: r.text,
  intent: r.intent,
  confidence: Number(r.confidence),
  correction: r.slot !== null && r.proposed !== null && r.chosen !== null ? { slot: r.slot, proposed: r.proposed, chosen: r.chosen } : null,
  at: Number(r.at),
  status: r.status,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at === null ? null : Number(r.reviewed_at),
});

/** Newest first, a page at a time, with the count of all that match. */
export async function listSamples(q: Pick<Tx, 'query'>, f: SampleFilters): Promise<{ total: number; samples: Sample[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.status) where.push(`status = $${params.push(f.status)}`);
  if (f.reason) where.push(`reason = $${params.push(f.reason)}`);
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [count] = await q.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM language_sample ${filter}`, params);
  const size = Math.max(1, Math.min(f.pageSize, SAMPLE_PAGE_MAX));
  const rows = await q.query<SampleRow>(
    `SELECT ${COLUMNS} FROM language_sample ${filter} ORDER BY at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, size, (Math.max(1, f.page) - 1) * size],
  );
  return { total: Number(count?.n ?? 0), samples: rows.map(sampleOf) };
}

export async function sampleById(q: Pick<Tx, 'query'>, id: number): Promise<Sample | null> {
  const [row] = await q.query<SampleRow>(`SELECT ${COLUMNS} FROM language_sample WHERE id = $1`, [id]);
  return row ? sampleOf(row) : null;
}

/**
 * Marks a new sample reviewed (added or dismissed) and returns it; null when there is no such sample. Throws
 * SampleReviewedError when it was reviewed already: two admins at once cannot both add it.
 */
export async function reviewSample(tx: Pick<Tx, 'query'>, id: number, status: 'added' | 'dismissed', by: string, at: number): Promise<Sample | null> {
  const updated = await tx.query<{ id: number }>(
    `UPDATE language_sample SET status = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $1 AND status = 'new' RETURNING id`,
    [id, status, by.slice(0, 64), at],
  );
  const sample = await sampleById(tx, id);
  if (!sample) return null;
  if (updated.length === 0) throw new SampleReviewedError(id, sample.status);
  return sample;
}

/** Puts a reviewed sample back among the new ones (its example was deleted). */
export async function reopenSample(tx: Pick<Tx, 'query'>, id: number): Promise<void> {
  await tx.query(`UPDATE language_sample SET status = 'new', reviewed_by = NULL, reviewed_at = NULL WHERE id = $1`, [id]);
}
