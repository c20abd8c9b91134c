/**
 * A district's canned replies (canned_reply): short answers officers send in a chat with one click, in Thai and
 * English. Who may read or change them, and the audit line of a change, are the console's
 * (console/api/canned-replies.ts); the writes take the caller's transaction so that line commits with them.
 */
import type { Tx } from '../storage/database';

type Queryable = Pick<Tx, 'query'>;

export interface CannedReply {
  id: number;
  districtCode: string;
  title: string;
  textTh: string;
  textEn: string;
  createdAt: number;
}

/** What an officer writes of a canned reply. */
export interface CannedText {
  title: string;
  textTh: string;
  textEn: string;
}

interface Row {
  id: number;
  district_code: string;
  title: string;
  text_th: string;
  text_en: string;
  created_at: number;
}

const cannedOf = (r: Row): CannedReply => ({
  id: Number(r.id),
  districtCode: r.district_code,
  title: r.title,
  textTh: r.text_th,
  textEn: r.text_en,
  createdAt: Number(r.created_at),
});

export async function cannedRepliesOf(q: Queryable, districtCode: string): Promise<CannedReply[]> {
  const rows = await q.query<Row>('SELECT id, district_code, title, text_th, text_en, created_at FROM canned_reply WHERE district_code = $1 ORDER BY title, id', [
    districtCode,
  ]);
  return rows.map(cannedOf);
}

export async function cannedReplyById(q: Queryable, id: number): Promise<CannedReply | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const [r] = await q.query<Row>('SELECT id, district_code, title, text_th, text_en, created_at FROM canned_reply WHERE id = $1', [id]);
  return r ? cannedOf(r) : null;
}

/**
 * The text of a canned reply as a chat of the district sends it, in both languages; null when the reply is not
 * the district's (a reply of another district is as good as none).
 */
export async function cannedTextFor(q: Queryable, id: number, districtCode: string): Promise<{ textTh: string; textEn: string } | null> {
  const [c] = await q.query<{ text_th: string; text_en: string }>('SELECT text_th, text_en FROM canned_reply WHERE id = $1 AND district_code = $2', [id, districtCode]);
  return c ? { textTh: c.text_th, textEn: c.text_en } : null;
}

/** Adds a reply to the district's and returns its id. */
export async function createCannedReply(tx: Queryable, c: CannedText & { districtCode: string; createdBy: number | null; at: number }): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    'INSERT INTO canned_reply (district_code, title, text_th, text_en, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [c.districtCode, c.title, c.textTh, c.textEn, c.createdBy, c.at],
  );
  return Number(row!.id);
}

/** Rewrites a reply; null when it is gone. */
export async function updateCannedReply(tx: Queryable, id: number, c: CannedText): Promise<CannedReply | null> {
  const rows = await tx.query<Row>(
    'UPDATE canned_reply SET title = $2, text_th = $3, text_en = $4 WHERE id = $1 RETURNING id, district_code, title, text_th, text_en, created_at',
    [id, c.title, c.textTh, c.textEn],
  );
  return rows[0] ? cannedOf(rows[0]) : null;
}

/** Deletes a reply; false when it was gone already. */
export async function deleteCannedReply(tx: Queryable, id: number): Promise<boolean> {
  const rows = await tx.query<{ id: number }>('DELETE FROM canned_reply WHERE id = $1 RETURNING id', [id]);
  return rows.length > 0;
}
