/**
 * Each kind of data the retention purge erases, as SQL: how many are due (a dry run), how many rows hold the kind at
 * all (before and after), and erasing one batch after a key. A batch is one statement, or a few per case, chat or
 * citizen, so that a run is many small transactions and a live server's own writes never wait long behind it.
 *
 * What is erased keeps its row where reports count it (a case, a handoff with its times, a rating's number) and
 * loses what tells who or what was said; rows that only record who wrote when are deleted after the chat period.
 * Nothing still on its way is touched: inbox events not yet handled, outbox messages not yet sent.
 */
import type { Tx } from '../storage/database';
import { ERASED_BODY } from '../storage/outbox';
import { CLOSED_STATUSES } from '../domain/cases';
import { addCounts, ERASED_PAYLOAD, eraseCasePersonalData, eraseChat, eraseCitizenProfile, type ErasedCounts } from './erase';
import { chatEraseBefore, type RetentionCutoffs, type RetentionKind } from './retention-policy';

type Queryable = Pick<Tx, 'query'>;
type Key = string | number;

export interface Batch {
  /** How many of the kind this batch erased (rows, or cases, chats, citizens). */
  purged: number;
  /** The rows erase.ts touched, for the kinds that call it. */
  rows: ErasedCounts;
  /** The last key this batch took: the next one starts after it. */
  after: Key | null;
  /** Nothing more of the kind is due. */
  done: boolean;
}

export interface KindSql {
  /** How many the kind would erase now. */
  due(q: Queryable, c: RetentionCutoffs): Promise<number>;
  /** How many rows hold this kind of data, erased or not yet (the census before and after a run). */
  held(q: Queryable): Promise<number>;
  /** Erases up to `limit` after `after`; `now` stamps what erase.ts marks as erased. */
  purge(q: Queryable, c: RetentionCutoffs, after: Key | null, limit: number, now: number): Promise<Batch>;
}

/** Numbered placeholders ($1, $2 ...) added as a statement is put together. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

const FINISHED_EVENT = `('done', 'ignored', 'failed')`;
const CLOSED = `(${CLOSED_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Inside a handoff whose chat is not erased yet: the chat's to keep or erase, not its own kind's. */
const inChat = (alias: string, at: string) =>
  `EXISTS (SELECT 1 FROM handoff_request h WHERE h.chat_id = ${alias}.chat_id AND h.chat_erased_at IS NULL
     AND ${alias}.${at} >= h.requested_at AND (h.closed_at IS NULL OR ${alias}.${at} <= h.closed_at))`;

/** Inside a handoff still kept: open, or ended at or after the chat period's line. */
const inKeptChat = (alias: string, at: string, chatCutoff: string) =>
  `EXISTS (SELECT 1 FROM handoff_request h WHERE h.chat_id = ${alias}.chat_id AND h.chat_erased_at IS NULL
     AND (h.status <> 'closed' OR h.closed_at >= ${chatCutoff})
     AND ${alias}.${at} >= h.requested_at AND (h.closed_at IS NULL OR ${alias}.${at} <= h.closed_at))`;

async function count(q: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await q.query<{ n: unknown }>(sql, params);
  return Number(row?.n ?? 0);
}

const maxKey = (keys: Key[]): Key | null => keys.reduce<Key | null>((m, k) => (m === null || k > m ? k : m), null);

interface RowKind {
  table: string;
  alias: string;
  key: string;
  /** The condition of a due row, its placeholders added to p. */
  where(p: Params, c: RetentionCutoffs): string;
  /** `SET ...` to erase in place, or null to delete the row. */
  set: ((p: Params) => string) | null;
  /** The condition of a row that holds this kind of data (erased or not yet): the census. */
  holds?: string;
}

/** A kind erased row by row in one statement per batch: the keys after the cursor, in key order. */
function rowKind(k: RowKind): KindSql {
  const { table, alias: a, key } = k;
  return {
    async due(q, c) {
      const p = new Params();
      return count(q, `SELECT COUNT(*) AS n FROM ${table} ${a} WHERE ${k.where(p, c)}`, p.values);
    },
    held: (q) => count(q, `SELECT COUNT(*) AS n FROM ${table}${k.holds ? ` WHERE ${k.holds}` : ''}`),
    async purge(q, c, after, limit) {
      const p = new Params();
      const action = k.set ? `UPDATE ${table} SET ${k.set(p)}` : `DELETE FROM ${table}`;
      const from = after === null ? '' : ` AND ${a}.${key} > ${p.add(after)}`;
      const where = k.where(p, c);
      const rows = await q.query<{ k: Key }>(
        `${action} WHERE ${key} IN (
           SELECT ${a}.${key} FROM ${table} ${a} WHERE ${where}${from} ORDER BY ${a}.${key} LIMIT ${p.add(limit)})
         RETURNING ${key} AS k`,
        p.values,
      );
      const keys = rows.map((r) => (typeof r.k === 'string' ? r.k : Number(r.k)));
      return { purged: rows.length, rows: {}, after: maxKey(keys) ?? after, done: rows.length < limit };
    },
  };
}

const inboxPayloads = rowKind({
  table: 'inbox_event',
  alias: 'e',
  key: 'id',
  where: (p, c) =>
    `e.status IN ${FINISHED_EVENT} AND e.received_at < ${p.add(c.inbox)} AND e.payload <> ${p.add(ERASED_PAYLOAD)} AND NOT ${inChat('e', 'received_at')}`,
  set: (p) => `payload = ${p.add(ERASED_PAYLOAD)}`,
  holds: `payload <> '${ERASED_PAYLOAD}'`,
});

const outboxBodies = rowKind({
  table: 'outbox_message',
  alias: 'o',
  key: 'id',
  // Only bodies parked as failed are left: a sent one is erased as it is marked sent (storage/outbox.ts).
  where: (p, c) => `o.status = 'failed' AND o.created_at < ${p.add(c.outbox)} AND o.messages <> ${p.add(ERASED_BODY)}`,
  set: (p) => `messages = ${p.add(ERASED_BODY)}`,
  holds: `messages <> '${ERASED_BODY}'`,
});

const notifications = rowKind({
  table: 'notification',
  alias: 'n',
  key: 'id',
  // Nothing sends a failed notice again (notify/sender.ts), so a parked one's summary goes as a sent one's does.
  where: (p, c) => `n.status IN ('sent', 'failed') AND n.created_at < ${p.add(c.notifications)} AND n.payload <> ${p.add(ERASED_PAYLOAD)}`,
  set: (p) => `payload = ${p.add(ERASED_PAYLOAD)}`,
  holds: `payload <> '${ERASED_PAYLOAD}'`,
});

// Deleted whole: a sample is the citizen's words and how they were read; an example an admin made of one is a row
// of language_example, kept as the model's.
const languageSamples = rowKind({
  table: 'language_sample',
  alias: 's',
  key: 'id',
  where: (p, c) => `s.at < ${p.add(c.languageSamples)}`,
  set: null,
});

const media = rowKind({
  table: 'line_content',
  alias: 'l',
  key: 'message_id',
  where: (p, c) =>
    `l.fetched_at < ${p.add(c.media)} AND NOT EXISTS (SELECT 1 FROM attachment x WHERE x.line_message_id = l.message_id)
     AND NOT ${inChat('l', 'fetched_at')}`,
  set: null,
});

const inboxRows = rowKind({
  table: 'inbox_event',
  alias: 'e',
  key: 'id',
  where: (p, c) => `e.status IN ${FINISHED_EVENT} AND e.received_at < ${p.add(c.rows)} AND NOT ${inKeptChat('e', 'received_at', p.add(c.chats))}`,
  set: null,
});

const outboxRows = rowKind({
  table: 'outbox_message',
  alias: 'o',
  key: 'id',
  where: (p, c) => `o.status IN ('sent', 'failed') AND o.created_at < ${p.add(c.rows)}`,
  set: null,
});

/** A conversation idle since the line, unless its chat is with an officer now (the session says so). */
const conversationSessions = rowKind({
  table: 'conversation_session',
  alias: 's',
  key: 'chat_id',
  where: (p, c) =>
    `s.updated_at < ${p.add(c.sessions)} AND NOT EXISTS (SELECT 1 FROM handoff_request h WHERE h.chat_id = s.chat_id AND h.status <> 'closed')`,
  set: null,
});

/** Tracking lock-outs idle as long (one small row per LINE user who mistyped): with the sessions, in one statement. */
const lockoutsDue = (p: Params, c: RetentionCutoffs) => `updated_at < ${p.add(c.sessions)} AND (locked_until IS NULL OR locked_until < ${p.add(c.asOf)})`;

const sessions: KindSql = {
  async due(q, c) {
    const p = new Params();
    return (await conversationSessions.due(q, c)) + (await count(q, `SELECT COUNT(*) AS n FROM track_attempt WHERE ${lockoutsDue(p, c)}`, p.values));
  },
  held: async (q) => (await conversationSessions.held(q)) + (await count(q, 'SELECT COUNT(*) AS n FROM track_attempt')),
  async purge(q, c, after, limit, now) {
    const batch = await conversationSessions.purge(q, c, after, limit, now);
    if (!batch.done) return batch;
    const p = new Params();
    const gone = await q.query(`DELETE FROM track_attempt WHERE ${lockoutsDue(p, c)} RETURNING 1 AS k`, p.values);
    return { ...batch, purged: batch.purged + gone.length };
  },
};

const dueCase = (p: Params, c: RetentionCutoffs, k = 'k') =>
  `${k}.status IN ${CLOSED} AND ${k}.personal_erased_at IS NULL AND COALESCE(${k}.closed_at, ${k}.updated_at) <= ${p.add(c.cases)}`;

const cases: KindSql = {
  async due(q, c) {
    const p = new Params();
    return count(q, `SELECT COUNT(*) AS n FROM cases k WHERE ${dueCase(p, c)}`, p.values);
  },
  held: (q) => count(q, 'SELECT COUNT(*) AS n FROM cases WHERE personal_erased_at IS NULL'),
  async purge(q, c, after, limit, now) {
    const p = new Params();
    const from = after === null ? '' : ` AND k.id > ${p.add(after)}`;
    const ids = (await q.query<{ id: unknown }>(`SELECT k.id FROM cases k WHERE ${dueCase(p, c)}${from} ORDER BY k.id LIMIT ${p.add(limit)}`, p.values)).map((r) => Number(r.id));
    const rows: ErasedCounts = {};
    let purged = 0;
    for (const id of ids) {
      const erased = await eraseCasePersonalData(q, id, now);
      purged += erased.casePersonalData ?? 0;
      addCounts(rows, erased);
    }
    return { purged, rows, after: ids.at(-1) ?? after, done: ids.length < limit };
  },
};

// The royal petitions' register keeps its entries (number, kind, status, district, where and when it was sent: what
// the E-Report counts) and loses, as a case does after the same years, what tells who asked what: the petitioner's
// words, name and phone, the gist and the result. An entry still being handled ('received') is never touched.
const PETITION_PERSONAL = ['words_enc', 'summary_enc', 'petitioner_name_enc', 'petitioner_phone_enc', 'result_enc'];
const petitionHolds = (alias = '') => `(${PETITION_PERSONAL.map((c) => `${alias}${c} IS NOT NULL`).join(' OR ')})`;
const petitions = rowKind({
  table: 'royal_petition',
  alias: 'r',
  key: 'id',
  where: (p, c) => `r.status IN ('forwarded', 'concluded') AND r.updated_at <= ${p.add(c.cases)} AND ${petitionHolds('r.')}`,
  set: () => PETITION_PERSONAL.map((c) => `${c} = NULL`).join(', '),
  holds: petitionHolds(),
});

const dueHandoff = (p: Params, c: RetentionCutoffs) => `h.status = 'closed' AND h.chat_erased_at IS NULL AND h.closed_at < ${p.add(c.chats)}`;

const chats: KindSql = {
  async due(q, c) {
    const p = new Params();
    return count(q, `SELECT COUNT(*) AS n FROM handoff_request h WHERE ${dueHandoff(p, c)}`, p.values);
  },
  held: (q) => count(q, 'SELECT COUNT(*) AS n FROM handoff_request WHERE chat_erased_at IS NULL'),
  async purge(q, c, after, limit, now) {
    const p = new Params();
    const from = after === null ? '' : ` AND h.chat_id > ${p.add(after)}`;
    const chatIds = (
      await q.query<{ chat_id: string }>(
        `SELECT DISTINCT h.chat_id FROM handoff_request h WHERE ${dueHandoff(p, c)}${from} ORDER BY h.chat_id LIMIT ${p.add(limit)}`,
        p.values,
      )
    ).map((r) => r.chat_id);
    const rows: ErasedCounts = {};
    let purged = 0;
    for (const chatId of chatIds) {
      const kept = await q.query<{ requested_at: unknown }>(
        `SELECT requested_at FROM handoff_request WHERE chat_id = $1 AND chat_erased_at IS NULL AND (status <> 'closed' OR closed_at >= $2)`,
        [chatId, c.chats],
      );
      const before = chatEraseBefore(c.chats, kept.map((r) => Number(r.requested_at)));
      // What eraseChat marks as erased: every ended handoff of the chat asked for before that line.
      purged += await count(
        q,
        `SELECT COUNT(*) AS n FROM handoff_request WHERE chat_id = $1 AND status = 'closed' AND chat_erased_at IS NULL AND requested_at < $2`,
        [chatId, before],
      );
      // A photo that is a case's evidence stays with the case, which erases it when its own time comes.
      const evidenceOf = await q.query<{ case_id: unknown }>(
        `SELECT DISTINCT x.case_id FROM attachment x JOIN line_content l ON l.message_id = x.line_message_id WHERE l.chat_id = $1`,
        [chatId],
      );
      addCounts(rows, await eraseChat(q, chatId, now, { before, keepMediaOfCases: evidenceOf.map((r) => Number(r.case_id)) }));
    }
    return { purged, rows, after: chatIds.at(-1) ?? after, done: chatIds.length < limit };
  },
};

/**
 * A citizen is unlinked from their LINE account when nothing kept needs it any more: every case they filed is due
 * (or already erased, which already dropped the link), no chat with an officer is kept, they have not written for
 * the chat period, no deletion request of theirs waits for a decision, and nothing is on its way to or from them.
 */
function dueCitizen(p: Params, c: RetentionCutoffs): string {
  const chatCutoff = p.add(c.chats);
  const caseCutoff = p.add(c.cases);
  return `substr(z.line_user_id, 1, 7) <> 'erased:' AND z.last_seen_at < ${chatCutoff}
    AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.citizen_id = z.id
      AND NOT (k.status IN ${CLOSED} AND COALESCE(k.closed_at, k.updated_at) <= ${caseCutoff}))
    AND NOT EXISTS (SELECT 1 FROM handoff_request h WHERE h.chat_id = z.line_user_id
      AND (h.status <> 'closed' OR (h.chat_erased_at IS NULL AND h.closed_at >= ${chatCutoff})))
    AND NOT EXISTS (SELECT 1 FROM inbox_event e WHERE e.chat_id = z.line_user_id
      AND (e.received_at >= ${chatCutoff} OR e.status IN ('pending', 'processing')))
    AND NOT EXISTS (SELECT 1 FROM outbox_message o WHERE o.chat_id = z.line_user_id AND o.status IN ('pending', 'sending'))
    AND NOT EXISTS (SELECT 1 FROM data_request r WHERE r.citizen_id = z.id AND r.status = 'pending')`;
}

const citizens: KindSql = {
  async due(q, c) {
    const p = new Params();
    return count(q, `SELECT COUNT(*) AS n FROM citizen z WHERE ${dueCitizen(p, c)}`, p.values);
  },
  held: (q) => count(q, `SELECT COUNT(*) AS n FROM citizen WHERE substr(line_user_id, 1, 7) <> 'erased:'`),
  async purge(q, c, after, limit, now) {
    const p = new Params();
    const from = after === null ? '' : ` AND z.id > ${p.add(after)}`;
    const ids = (await q.query<{ id: unknown }>(`SELECT z.id FROM citizen z WHERE ${dueCitizen(p, c)}${from} ORDER BY z.id LIMIT ${p.add(limit)}`, p.values)).map((r) =>
      Number(r.id),
    );
    const rows: ErasedCounts = {};
    for (const id of ids) addCounts(rows, await eraseCitizenProfile(q, id, now, { unlink: true }));
    return { purged: ids.length, rows, after: ids.at(-1) ?? after, done: ids.length < limit };
  },
};

export const KINDS: Record<RetentionKind, KindSql> = {
  inboxPayloads,
  outboxBodies,
  notifications,
  languageSamples,
  media,
  sessions,
  cases,
  petitions,
  chats,
  citizens,
  inboxRows,
  outboxRows,
};

/**
 * Rows per transaction. A case, a chat or a citizen is several statements (and a case's evidence is bytes), so they
 * go fewer at a time than rows erased by one statement.
 */
export const BATCH_SIZE: Record<RetentionKind, number> = {
  inboxPayloads: 200,
  outboxBodies: 200,
  notifications: 200,
  languageSamples: 200,
  media: 100,
  sessions: 200,
  cases: 25,
  petitions: 200,
  chats: 25,
  citizens: 50,
  inboxRows: 200,
  outboxRows: 200,
};

export interface CaseDue {
  trackingNumber: string;
  districtCode: string | null;
  closedAt: number;
}

/**
 * The cases whose personal data a run would erase, the longest closed first: what a dry run lists. Limited to a
 * province for a supervisor (a case in no district is the admins' alone, console/auth/permissions.ts).
 */
export async function casesDue(q: Queryable, c: RetentionCutoffs, o: { limit: number; provinceCode?: string | null }): Promise<{ total: number; cases: CaseDue[] }> {
  const p = new Params();
  let where = dueCase(p, c);
  if (o.provinceCode !== undefined) where += ` AND k.district_code IS NOT NULL AND substr(k.district_code, 1, 2) = ${p.add(o.provinceCode ?? '')}`;
  const total = await count(q, `SELECT COUNT(*) AS n FROM cases k WHERE ${where}`, [...p.values]);
  const rows = await q.query<{ tracking_number: string; district_code: string | null; closed: unknown }>(
    `SELECT k.tracking_number, k.district_code, COALESCE(k.closed_at, k.updated_at) AS closed FROM cases k WHERE ${where}
     ORDER BY COALESCE(k.closed_at, k.updated_at), k.id LIMIT ${p.add(o.limit)}`,
    p.values,
  );
  return { total, cases: rows.map((r) => ({ trackingNumber: r.tracking_number, districtCode: r.district_code, closedAt: Number(r.closed) })) };
}
