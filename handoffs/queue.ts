/**
 * The handoffs officers see: one handoff with its district, the citizen's name and the claim on it, and the queue
 * of those still waiting. A handoff's district is its own, fixed when the citizen asked (handoffs/store.ts; for
 * handoffs from before it was kept and without a case, CENTER_DISTRICT), never the citizen's newest case, and never
 * from what a page sends.
 */
import type { Tx } from '../storage/database';
import { districtOrCenter } from '../office/chat-district';

type Queryable = Pick<Tx, 'query'>;

export interface HandoffRow {
  id: number;
  chatId: string;
  reason: string;
  status: string;
  requestedAt: number;
  closedAt: number | null;
  districtCode: string | null;
  /** The LINE profile's name as stored: encrypted (cipher.reveal opens it; a row from before that holds it plain). */
  displayName: string | null;
  locale: 'th' | 'en';
  /** When an officer's first answer is due (what the citizen was told); null for handoffs from before it was kept. */
  answerBy: number | null;
  claim: { officerId: number; officerName: string | null; claimedAt: number; firstReplyAt: number | null } | null;
}

const HANDOFF_SELECT = `
  SELECT h.id, h.chat_id, h.reason, h.status, h.requested_at, h.closed_at, h.answer_by, h.district_code,
         z.display_name, z.locale,
         c.officer_id, c.claimed_at, c.first_reply_at, o.display_name AS officer_name
    FROM handoff_request h
    LEFT JOIN citizen z ON z.line_user_id = h.chat_id
    LEFT JOIN handoff_claim c ON c.handoff_id = h.id
    LEFT JOIN officer o ON o.id = c.officer_id`;

type RawHandoff = Record<string, unknown>;

function handoffOf(r: RawHandoff, centerDistrict: string | null): HandoffRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id),
    chatId: String(r.chat_id),
    reason: String(r.reason),
    status: String(r.status),
    requestedAt: Number(r.requested_at),
    closedAt: n(r.closed_at),
    districtCode: districtOrCenter(r.district_code as string | null, centerDistrict),
    displayName: (r.display_name as string | null) ?? null,
    locale: r.locale === 'en' ? 'en' : 'th',
    answerBy: n(r.answer_by),
    claim:
      r.officer_id === null || r.officer_id === undefined
        ? null
        : { officerId: Number(r.officer_id), officerName: (r.officer_name as string | null) ?? null, claimedAt: Number(r.claimed_at), firstReplyAt: n(r.first_reply_at) },
  };
}

export async function handoffById(q: Queryable, id: number, centerDistrict: string | null): Promise<HandoffRow | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const [r] = await q.query<RawHandoff>(`${HANDOFF_SELECT} WHERE h.id = $1`, [id]);
  return r ? handoffOf(r, centerDistrict) : null;
}

/** The open handoffs (waiting or claimed), oldest first. */
export async function openHandoffs(q: Queryable, centerDistrict: string | null): Promise<HandoffRow[]> {
  const rows = await q.query<RawHandoff>(`${HANDOFF_SELECT} WHERE h.status = 'waiting' ORDER BY h.requested_at, h.id LIMIT 1000`);
  return rows.map((r) => handoffOf(r, centerDistrict));
}

/** Every handoff of a chat (open or ended), newest first: a file the citizen sent belongs to at most one of them. */
export async function handoffsOfChat(q: Queryable, chatId: string, centerDistrict: string | null): Promise<HandoffRow[]> {
  const rows = await q.query<RawHandoff>(`${HANDOFF_SELECT} WHERE h.chat_id = $1 ORDER BY h.id DESC LIMIT 1000`, [chatId]);
  return rows.map((r) => handoffOf(r, centerDistrict));
}

/**
 * The first-answer clock as the queue shows it: due by `answerBy`; `answered` once an officer replied (a claim
 * alone does not answer the citizen); overdue once answerBy has passed unanswered, by `overdueSeconds` on the
 * server's clock.
 */
export function firstAnswer(
  h: Pick<HandoffRow, 'answerBy' | 'claim'>,
  at: number,
): { answerBy: number | null; answered: boolean; overdue: boolean; overdueSeconds: number } {
  const answered = h.claim?.firstReplyAt !== null && h.claim?.firstReplyAt !== undefined;
  const overdue = h.answerBy !== null && at >= h.answerBy && !answered;
  return { answerBy: h.answerBy, answered, overdue, overdueSeconds: overdue ? Math.floor((at - h.answerBy!) / 1000) : 0 };
}
