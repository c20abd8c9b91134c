/**
 * Erasing personal data, the one place that knows where it lies. A deletion request (privacy/requests.ts) and the
 * retention purge (privacy/retention.ts) both call these, so what "erased" means is written once.
 *
 * Erasing keeps the row and what reports count (category, topic, channel, status, district and subdistrict, dates,
 * ending reason, the rating's number) and empties what tells who, or what they said: names, numbers, address,
 * place, the story and its notes, photos and files, chats. Every function is idempotent: run twice, it finds nothing
 * the second time and counts 0.
 */
import type { Tx } from '../storage/database';

type Queryable = Pick<Tx, 'query'>;

/** What an inbox event's payload becomes once erased: still JSON, no longer a message (the chat skips it). */
export const ERASED_PAYLOAD = '{"erased":true}';

/** How many rows each kind of erasure touched; a kind left out touched none. */
export type ErasedCounts = Partial<Record<ErasedKind, number>>;

export const ERASED_KINDS = [
  'casePersonalData',
  'caseNotes',
  'evidence',
  'surveyComments',
  'notices',
  'chats',
  'chatMessages',
  'officerMessages',
  'media',
  'sessions',
  'conversationLog',
  'profiles',
] as const;
export type ErasedKind = (typeof ERASED_KINDS)[number];

export function addCounts(into: ErasedCounts, more: ErasedCounts): ErasedCounts {
  for (const [k, v] of Object.entries(more) as [ErasedKind, number][]) if (v) into[k] = (into[k] ?? 0) + v;
  return into;
}

/** Rows changed by an UPDATE or DELETE, as each engine reports it (pg: RETURNING rows; SQLite: the same). */
async function changed(q: Queryable, sql: string, params: unknown[]): Promise<number> {
  const rows = await q.query<{ id: unknown }>(`${sql} RETURNING 1 AS id`, params);
  return rows.length;
}

/**
 * A case keeps its place in the register and in every count, and loses what identifies or quotes the person:
 * complainant, numbers, address, place, story, subject, request, every note of its timeline (an officer's note
 * quotes the citizen as often as not), its evidence, the comment of its rating; and its link to the citizen.
 */
export async function eraseCasePersonalData(q: Queryable, caseId: number, now: number): Promise<ErasedCounts> {
  const counts: ErasedCounts = {};
  counts.casePersonalData = await changed(
    q,
    `UPDATE cases SET story = '', free_text_enc = NULL, location = NULL, subject = NULL, request = NULL,
       complainant_name = NULL, address = NULL, phone_enc = NULL, phone_hash = NULL, phone_last4 = NULL,
       national_id_enc = NULL, national_id_hash = NULL, citizen_id = NULL, personal_erased_at = $2
     WHERE id = $1 AND personal_erased_at IS NULL`,
    [caseId, now],
  );
  counts.caseNotes = await changed(
    q,
    `UPDATE case_event SET note = NULL, note_enc = NULL, actor_id = CASE WHEN actor_type = 'citizen' THEN NULL ELSE actor_id END
     WHERE case_id = $1 AND (note IS NOT NULL OR note_enc IS NOT NULL OR (actor_type = 'citizen' AND actor_id IS NOT NULL))`,
    [caseId],
  );
  // The chat's own copy of each piece of evidence goes with it: the same bytes under the chat's id.
  counts.media = await changed(
    q,
    `DELETE FROM line_content WHERE message_id IN (SELECT line_message_id FROM attachment WHERE case_id = $1 AND line_message_id IS NOT NULL)`,
    [caseId],
  );
  counts.evidence = await changed(q, 'DELETE FROM attachment WHERE case_id = $1', [caseId]);
  counts.surveyComments = await changed(
    q,
    `UPDATE survey_response SET comment = NULL WHERE case_id = $1 AND comment IS NOT NULL`,
    [caseId],
  );
  // The officers' notices of the case (keyed by its number, or number:due) carry its summary line: once delivered
  // they are history, and history without the words. One still to be sent keeps them: officers must act on it.
  const [c] = await q.query<{ tracking_number: string }>('SELECT tracking_number FROM cases WHERE id = $1', [caseId]);
  if (c) {
    counts.notices = await changed(
      q,
      `UPDATE notification SET payload = $3 WHERE (subject_key = $1 OR subject_key LIKE $2) AND status IN ('sent', 'failed') AND payload <> $3`,
      [c.tracking_number, `${c.tracking_number}:%`, ERASED_NOTICE],
    );
  }
  return counts;
}

/** What a delivered notice's payload becomes once its case's personal data is erased. */
export const ERASED_NOTICE = '{"erased":true}';

export interface ChatErasure {
  /** Only what happened before this time (the retention purge); every message when absent (a deletion). */
  before?: number;
  /** Photos and files that are evidence of these cases are kept: the case keeps its own copy anyway. */
  keepMediaOfCases?: number[];
}

/**
 * A chat's messages, both ways, the media the citizen sent, the conversation's log and its session. Events still
 * waiting to be handled are left alone: erasing them would lose a message the citizen is waiting on.
 */
export async function eraseChat(q: Queryable, chatId: string, now: number, o: ChatErasure = {}): Promise<ErasedCounts> {
  const before = o.before ?? Number.MAX_SAFE_INTEGER;
  const counts: ErasedCounts = {};
  counts.chatMessages = await changed(
    q,
    `UPDATE inbox_event SET payload = $3 WHERE chat_id = $1 AND received_at < $2 AND status IN ('done', 'ignored', 'failed') AND payload <> $3`,
    [chatId, before, ERASED_PAYLOAD],
  );
  counts.officerMessages = await changed(
    q,
    `UPDATE console_message SET text = '' WHERE chat_id = $1 AND at < $2 AND text <> ''`,
    [chatId, before],
  );
  counts.chats = await changed(
    q,
    `UPDATE handoff_request SET chat_erased_at = $3 WHERE chat_id = $1 AND requested_at < $2 AND chat_erased_at IS NULL AND status = 'closed'`,
    [chatId, before, now],
  );
  // A message LINE never took (parked as failed) keeps its encrypted body for a retry by hand: not once erased.
  counts.chatMessages += await changed(
    q,
    `UPDATE outbox_message SET messages = '[]' WHERE chat_id = $1 AND status = 'failed' AND created_at < $2 AND messages <> '[]'`,
    [chatId, before],
  );
  const keep = o.keepMediaOfCases ?? [];
  const keepClause = keep.length
    ? ` AND message_id NOT IN (SELECT line_message_id FROM attachment WHERE line_message_id IS NOT NULL AND case_id IN (${keep.map((_, i) => `$${i + 3}`).join(', ')}))`
    : '';
  counts.media = await changed(q, `DELETE FROM line_content WHERE chat_id = $1 AND fetched_at < $2${keepClause}`, [chatId, before, ...keep]);
  counts.conversationLog = await changed(
    q,
    `UPDATE conversation_event SET detail = NULL WHERE chat_id = $1 AND at < $2 AND detail IS NOT NULL`,
    [chatId, before],
  );
  counts.sessions = await changed(q, 'DELETE FROM conversation_session WHERE chat_id = $1 AND updated_at < $2', [chatId, before]);
  return counts;
}

/**
 * What LINE told us of the person (display name, picture), the tracking lock-out, and, when nothing they filed is
 * kept any longer, the LINE user id itself: the citizen row stays for the counts, under a name that links to no one.
 * While a case is kept the id stays, or the center could not tell the person how their case ends.
 */
export async function eraseCitizenProfile(q: Queryable, citizenId: number, now: number, o: { unlink: boolean }): Promise<ErasedCounts> {
  const [row] = await q.query<{ line_user_id: string }>('SELECT line_user_id FROM citizen WHERE id = $1', [citizenId]);
  if (!row) return {};
  const counts: ErasedCounts = {};
  counts.profiles = await changed(
    q,
    `UPDATE citizen SET display_name = NULL, picture_url = NULL, erased_at = $2 WHERE id = $1 AND (display_name IS NOT NULL OR picture_url IS NOT NULL OR erased_at IS NULL)`,
    [citizenId, now],
  );
  await q.query('DELETE FROM track_attempt WHERE line_user_id = $1', [row.line_user_id]);
  if (o.unlink && !row.line_user_id.startsWith('erased:')) {
    const pseudonym = `erased:${citizenId}`;
    await unlinkChat(q, row.line_user_id, pseudonym);
    await q.query('UPDATE citizen SET line_user_id = $2 WHERE id = $1', [citizenId, pseudonym]);
  }
  return counts;
}

/**
 * Rewrites the LINE user id wherever a finished record of the chat keeps it, so what is left (times, counts) names
 * no one. Messages still to be handled or sent keep it: they are on their way to the person.
 */
async function unlinkChat(q: Queryable, chatId: string, pseudonym: string): Promise<void> {
  await q.query(`UPDATE inbox_event SET chat_id = $2 WHERE chat_id = $1 AND status IN ('done', 'ignored', 'failed')`, [chatId, pseudonym]);
  await q.query(`UPDATE outbox_message SET chat_id = $2 WHERE chat_id = $1 AND status IN ('sent', 'failed')`, [chatId, pseudonym]);
  await q.query(`UPDATE handoff_request SET chat_id = $2 WHERE chat_id = $1 AND status = 'closed'`, [chatId, pseudonym]);
  await q.query('UPDATE console_message SET chat_id = $2 WHERE chat_id = $1 AND handoff_id IN (SELECT id FROM handoff_request WHERE chat_id = $2)', [chatId, pseudonym]);
  await q.query('UPDATE conversation_event SET chat_id = $2 WHERE chat_id = $1', [chatId, pseudonym]);
  await q.query('UPDATE survey_response SET chat_id = $2 WHERE chat_id = $1', [chatId, pseudonym]);
  await q.query('UPDATE line_content SET chat_id = $2 WHERE chat_id = $1', [chatId, pseudonym]);
  await q.query('DELETE FROM conversation_session WHERE chat_id = $1', [chatId]);
}
