/**
 * The person behind a case, as an officer reads them beside it: their other cases, their chats with officers,
 * their ratings (of cases and of chats), and this case's own rating and comment. Everything the person did, to be
 * narrowed by the caller to what the reader may see. An anonymous case has no person; neither does a case whose
 * citizen was unlinked by a deletion.
 */
import type { Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';

type Queryable = Pick<Tx, 'query'>;

export interface PersonCase {
  id: number;
  number: string;
  category: string;
  status: string;
  channel: string;
  districtCode: string | null;
  provinceCode: string | null;
  confidential: boolean;
  createdAt: number;
}

export interface PersonChat {
  id: number;
  reason: string;
  status: string;
  districtCode: string | null;
  requestedAt: number;
  closedAt: number | null;
}

export interface PersonRating {
  subject: 'case' | 'chat';
  rating: number;
  comment: string | null;
  at: number;
  caseId: number | null;
  caseNumber: string | null;
  /** The chat rated: the handoff closed just before the rating. */
  handoffId: number | null;
}

export interface Person {
  anonymous: boolean;
  /** Whether the case is linked to a LINE user at all (a counter case may not be). */
  linked: boolean;
  cases: PersonCase[];
  chats: PersonChat[];
  ratings: PersonRating[];
  /** This case's latest rating and comment. */
  own: { rating: number; comment: string | null; at: number } | null;
}

const num = (v: unknown) => Number(v);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const bool = (v: unknown) => v === true || v === 1 || v === '1';

export async function personOfCase(q: Queryable, cipher: DataCipher, caseId: number): Promise<Person> {
  const [c] = await q.query<{ citizen_id: unknown; anonymous: unknown }>('SELECT citizen_id, anonymous FROM cases WHERE id = $1', [caseId]);
  const own = await ownRating(q, cipher, caseId);
  const none = { cases: [], chats: [], ratings: [], own };
  if (!c || bool(c.anonymous)) return { anonymous: Boolean(c && bool(c.anonymous)), linked: false, ...none };
  if (c.citizen_id === null || c.citizen_id === undefined) return { anonymous: false, linked: false, ...none };
  const citizenId = num(c.citizen_id);
  const [z] = await q.query<{ line_user_id: string }>('SELECT line_user_id FROM citizen WHERE id = $1', [citizenId]);
  const chatId = z && !z.line_user_id.startsWith('erased:') ? z.line_user_id : null;

  const cases = (
    await q.query<{ id: unknown; tracking_number: string; category: string; status: string; channel: string; district_code: string | null; province_code: string | null; confidential: unknown; created_at: unknown }>(
      `SELECT id, tracking_number, category, status, channel, district_code, province_code, confidential, created_at
       FROM cases WHERE citizen_id = $1 AND id <> $2 ORDER BY created_at DESC, id DESC LIMIT 100`,
      [citizenId, caseId],
    )
  ).map((r) => ({
    id: num(r.id),
    number: r.tracking_number,
    category: r.category,
    status: r.status,
    channel: r.channel,
    districtCode: r.district_code,
    provinceCode: r.province_code ?? r.district_code?.slice(0, 2) ?? null,
    confidential: bool(r.confidential),
    createdAt: num(r.created_at),
  }));

  const chats = chatId
    ? (
        await q.query<{ id: unknown; reason: string; status: string; district_code: string | null; requested_at: unknown; closed_at: unknown }>(
          `SELECT id, reason, status, district_code, requested_at, closed_at FROM handoff_request WHERE chat_id = $1 ORDER BY requested_at DESC, id DESC LIMIT 100`,
          [chatId],
        )
      ).map((h) => ({ id: num(h.id), reason: h.reason, status: h.status, districtCode: h.district_code, requestedAt: num(h.requested_at), closedAt: numOrNull(h.closed_at) }))
    : [];

  const ids = [caseId, ...cases.map((k) => k.id)];
  const caseRatings = await q.query<{ case_id: unknown; rating: unknown; comment: string | null; at: unknown; tracking_number: string }>(
    `SELECT s.case_id, s.rating, s.comment, s.at, k.tracking_number FROM survey_response s JOIN cases k ON k.id = s.case_id
     WHERE s.subject = 'case' AND s.rating > 0 AND s.case_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY s.at DESC`,
    ids,
  );
  const chatRatings = chatId
    ? await q.query<{ rating: unknown; comment: string | null; at: unknown }>(
        `SELECT rating, comment, at FROM survey_response WHERE subject = 'chat' AND rating > 0 AND chat_id = $1 ORDER BY at DESC LIMIT 100`,
        [chatId],
      )
    : [];
  // A chat's rating is asked when an officer ends the chat: it belongs to the last chat closed before it.
  const closed = chats.filter((h) => h.closedAt !== null).sort((a, b) => a.closedAt! - b.closedAt!);
  const chatOf = (at: number) => [...closed].reverse().find((h) => h.closedAt! <= at)?.id ?? null;
  const ratings: PersonRating[] = [
    ...caseRatings.map((r) => ({ subject: 'case' as const, rating: num(r.rating), comment: r.comment ? cipher.reveal(r.comment) : null, at: num(r.at), caseId: num(r.case_id), caseNumber: r.tracking_number, handoffId: null })),
    ...chatRatings.map((r) => ({ subject: 'chat' as const, rating: num(r.rating), comment: r.comment ? cipher.reveal(r.comment) : null, at: num(r.at), caseId: null, caseNumber: null, handoffId: chatOf(num(r.at)) })),
  ].sort((a, b) => b.at - a.at);
  return { anonymous: false, linked: chatId !== null, cases, chats, ratings, own };
}

async function ownRating(q: Queryable, cipher: DataCipher, caseId: number): Promise<Person['own']> {
  const [r] = await q.query<{ rating: unknown; comment: string | null; at: unknown }>(
    `SELECT rating, comment, at FROM survey_response WHERE case_id = $1 AND subject = 'case' AND rating > 0 ORDER BY at DESC, id DESC LIMIT 1`,
    [caseId],
  );
  return r ? { rating: num(r.rating), comment: r.comment ? cipher.reveal(r.comment) : null, at: num(r.at) } : null;
}
