/**
 * Data requests as the center decides them (PDPA s.30 access, s.33 erasure): the list a supervisor works from, with
 * the 30 days the law allows (s.30 para. 3), what a deletion would erase and what it must keep, and carrying the
 * decision out. The citizen asks in the chat (cases/my-data.ts records the request); here an officer with the right
 * decides, and the citizen is told in the same chat. A copy of one's data (kind 'export') is served at once by a
 * one-time link, so it needs no decision; it is listed so the supervisor sees every request in one place.
 *
 * A request lies where the citizen's cases and chats lie: a supervisor sees it when all of them are in their
 * province; one with no place, or spread over two provinces, is the admins' (console/auth/permissions.ts).
 */
import type { Tx } from '../storage/database';
import type { CaseStatus } from '../domain/cases';
import { retainedUntil, retentionOf, type RetainedCase } from '../cases/my-data';
import { addCounts, eraseCasePersonalData, eraseChat, eraseCitizenProfile, type ErasedCounts } from './erase';

type Queryable = Pick<Tx, 'query'>;

const DAY = 86_400_000;
/** PDPA s.30 para. 3: a request is answered within 30 days of receipt. */
export const DECISION_DAYS = 30;

export type DataRequestKind = 'export' | 'deletion';
/** export: issued → downloaded | superseded; deletion: pending → done | refused. */
export type DataRequestStatus = 'issued' | 'downloaded' | 'superseded' | 'pending' | 'done' | 'refused';

export interface DataRequestRow {
  id: number;
  kind: DataRequestKind;
  status: DataRequestStatus;
  citizenId: number;
  requestedAt: number;
  /** The day the law's 30 days run out. */
  dueAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
  decisionNote: string | null;
  /** The one province all the citizen's cases and chats lie in; null when none or more than one. */
  provinceCode: string | null;
  /** Their districts, for the list. */
  districtCodes: string[];
  outcome: DeletionOutcome | null;
}

export class DataRequestNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`no data request ${id}`);
    this.name = 'DataRequestNotFoundError';
  }
}

export class DataRequestDecidedError extends Error {
  constructor(readonly id: number, readonly status: string) {
    super(`data request ${id} is ${status}: only a pending deletion request can be decided`);
    this.name = 'DataRequestDecidedError';
  }
}

/** What a deletion did, or would do: read by the supervisor before deciding and told to the citizen after. */
export interface DeletionOutcome {
  /** Cases whose personal data is erased (closed, past retention). */
  erasedCases: string[];
  /** Cases the law still keeps, and until when. */
  kept: RetainedCase[];
  /**
   * Royal petitions of this person in the register (ทะเบียนฎีกา), kept as the official record: until RETENTION_YEARS
   * after it was forwarded or concluded (retention then erases who asked what), or while it is still being handled.
   * Absent from an outcome recorded before petitions were listed.
   */
  keptPetitions?: KeptPetition[];
  /** Row counts by kind: what was (or would be) erased. */
  counts: ErasedCounts;
  /** The LINE user id is replaced by a pseudonym: nothing kept names the person any more. */
  unlinked: boolean;
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export const dueAtOf = (requestedAt: number): number => requestedAt + DECISION_DAYS * DAY;

/** Where a citizen's records lie: the districts of their cases and of their handoffs. */
async function placesOf(q: Queryable, citizenIds: number[]): Promise<Map<number, Set<string>>> {
  const out = new Map<number, Set<string>>(citizenIds.map((id) => [id, new Set<string>()]));
  if (!citizenIds.length) return out;
  const list = citizenIds.map((_, i) => `$${i + 1}`).join(', ');
  const rows = await q.query<{ citizen_id: unknown; district_code: string }>(
    `SELECT citizen_id, district_code FROM cases WHERE citizen_id IN (${list}) AND district_code IS NOT NULL
     UNION SELECT z.id AS citizen_id, h.district_code FROM handoff_request h JOIN citizen z ON z.line_user_id = h.chat_id
      WHERE z.id IN (${list}) AND h.district_code IS NOT NULL`,
    citizenIds,
  );
  for (const r of rows) out.get(num(r.citizen_id))?.add(r.district_code);
  return out;
}

const provinceOfPlaces = (districts: Set<string>): string | null => {
  const provinces = new Set([...districts].map((d) => d.slice(0, 2)));
  return provinces.size === 1 ? [...provinces][0]! : null;
};

interface RawRequest {
  id: unknown;
  citizen_id: unknown;
  kind: DataRequestKind;
  status: DataRequestStatus;
  requested_at: unknown;
  decided_at: unknown;
  decided_by: string | null;
  decision_note: string | null;
  outcome: string | null;
}

async function rowsOf(q: Queryable, raw: RawRequest[]): Promise<DataRequestRow[]> {
  const places = await placesOf(q, [...new Set(raw.map((r) => num(r.citizen_id)))]);
  return raw.map((r) => {
    const districts = places.get(num(r.citizen_id)) ?? new Set<string>();
    return {
      id: num(r.id),
      kind: r.kind,
      status: r.status,
      citizenId: num(r.citizen_id),
      requestedAt: num(r.requested_at),
      dueAt: dueAtOf(num(r.requested_at)),
      decidedAt: numOrNull(r.decided_at),
      decidedBy: r.decided_by,
      decisionNote: r.decision_note,
      provinceCode: provinceOfPlaces(districts),
      districtCodes: [...districts].sort(),
      outcome: r.outcome ? (JSON.parse(r.outcome) as DeletionOutcome) : null,
    };
  });
}

const COLUMNS = 'id, citizen_id, kind, status, requested_at, decided_at, decided_by, decision_note, outcome';

/** Requests, pending deletions first (oldest first: the nearest deadline on top), then the rest, newest first. */
export async function listDataRequests(q: Queryable, o: { limit?: number } = {}): Promise<DataRequestRow[]> {
  const limit = Math.min(o.limit ?? 200, 500);
  const pending = await q.query<RawRequest>(
    `SELECT ${COLUMNS} FROM data_request WHERE kind = 'deletion' AND status = 'pending' ORDER BY requested_at, id LIMIT ${limit}`,
  );
  const rest = await q.query<RawRequest>(
    `SELECT ${COLUMNS} FROM data_request WHERE NOT (kind = 'deletion' AND status = 'pending') ORDER BY requested_at DESC, id DESC LIMIT ${limit}`,
  );
  return rowsOf(q, [...pending, ...rest]);
}

export async function dataRequestById(q: Queryable, id: number): Promise<DataRequestRow | null> {
  const raw = await q.query<RawRequest>(`SELECT ${COLUMNS} FROM data_request WHERE id = $1`, [id]);
  const [row] = await rowsOf(q, raw);
  return row ?? null;
}

interface CitizenCase {
  id: number;
  trackingNumber: string;
  status: CaseStatus;
  closedAt: number | null;
  updatedAt: number;
  erased: boolean;
}

async function casesOf(q: Queryable, citizenId: number): Promise<CitizenCase[]> {
  const rows = await q.query<{ id: unknown; tracking_number: string; status: CaseStatus; closed_at: unknown; updated_at: unknown; personal_erased_at: unknown }>(
    `SELECT id, tracking_number, status, closed_at, updated_at, personal_erased_at FROM cases WHERE citizen_id = $1 ORDER BY created_at, id`,
    [citizenId],
  );
  return rows.map((r) => ({
    id: num(r.id),
    trackingNumber: r.tracking_number,
    status: r.status,
    closedAt: numOrNull(r.closed_at),
    updatedAt: num(r.updated_at),
    erased: r.personal_erased_at !== null && r.personal_erased_at !== undefined,
  }));
}

/** Counts what erasing the citizen's chats would touch, without touching it. */
async function chatCounts(q: Queryable, chatId: string, keepCaseIds: number[]): Promise<ErasedCounts> {
  const one = async (sql: string, params: unknown[]) => num((await q.query<{ n: unknown }>(sql, params))[0]?.n ?? 0);
  const keep = keepCaseIds.length
    ? ` AND message_id NOT IN (SELECT line_message_id FROM attachment WHERE line_message_id IS NOT NULL AND case_id IN (${keepCaseIds.map((_, i) => `$${i + 2}`).join(', ')}))`
    : '';
  return {
    chatMessages: await one(`SELECT COUNT(*) AS n FROM inbox_event WHERE chat_id = $1 AND status IN ('done', 'ignored', 'failed') AND payload <> '{"erased":true}'`, [chatId]),
    officerMessages: await one(`SELECT COUNT(*) AS n FROM console_message WHERE chat_id = $1 AND text <> ''`, [chatId]),
    media: await one(`SELECT COUNT(*) AS n FROM line_content WHERE chat_id = $1${keep}`, [chatId, ...keepCaseIds]),
    sessions: await one('SELECT COUNT(*) AS n FROM conversation_session WHERE chat_id = $1', [chatId]),
    conversationLog: await one('SELECT COUNT(*) AS n FROM conversation_event WHERE chat_id = $1 AND detail IS NOT NULL', [chatId]),
  };
}

export interface KeptPetition {
  registerNumber: string;
  /** Until when (epoch ms); absent while the petition is still being handled. */
  until?: number;
}

/**
 * The person's entries in the royal petitions register that still hold what they asked: found through the chat
 * handed to an officer (a petition is never filed as a case, so it has no citizen of its own).
 */
export async function keptPetitionsOf(q: Queryable, chatId: string | null, years?: number): Promise<KeptPetition[]> {
  if (!chatId) return [];
  const rows = await q.query<{ register_number: string; status: string; updated_at: unknown }>(
    `SELECT r.register_number, r.status, r.updated_at FROM royal_petition r JOIN handoff_request h ON h.id = r.handoff_id
      WHERE h.chat_id = $1 AND (r.words_enc IS NOT NULL OR r.petitioner_name_enc IS NOT NULL OR r.petitioner_phone_enc IS NOT NULL)
      ORDER BY r.be_year, r.seq`,
    [chatId],
  );
  return rows.map((r) => (r.status === 'received' ? { registerNumber: r.register_number } : { registerNumber: r.register_number, until: retainedUntil(Number(r.updated_at), years) }));
}

function sortCases(cases: CitizenCase[], now: number, retentionYears?: number): { erase: CitizenCase[]; kept: RetainedCase[]; keptIds: number[] } {
  const erase: CitizenCase[] = [];
  const kept: RetainedCase[] = [];
  const keptIds: number[] = [];
  for (const c of cases) {
    if (c.erased) continue;
    const why = retentionOf({ status: c.status, closedAt: c.closedAt, updatedAt: c.updatedAt }, now, retentionYears);
    if (why) {
      kept.push({ trackingNumber: c.trackingNumber, ...why });
      keptIds.push(c.id);
    } else erase.push(c);
  }
  return { erase, kept, keptIds };
}

/** What approving the deletion would do now: read-only, for the supervisor deciding. */
export async function planDeletion(q: Queryable, citizenId: number, now: number, retentionYears?: number): Promise<DeletionOutcome> {
  const [citizen] = await q.query<{ line_user_id: string }>('SELECT line_user_id FROM citizen WHERE id = $1', [citizenId]);
  const cases = await casesOf(q, citizenId);
  const { erase, kept, keptIds } = sortCases(cases, now, retentionYears);
  const counts: ErasedCounts = { casePersonalData: erase.length };
  const chatId = citizen && !citizen.line_user_id.startsWith('erased:') ? citizen.line_user_id : null;
  if (chatId) addCounts(counts, await chatCounts(q, chatId, keptIds));
  const keptPetitions = await keptPetitionsOf(q, chatId, retentionYears);
  return { erasedCases: erase.map((c) => c.trackingNumber), kept, keptPetitions, counts, unlinked: kept.length === 0 };
}

/**
 * Carries out an approved deletion in the caller's transaction: the personal data of every case the law no longer
 * keeps, every chat (messages both ways, the media not kept as evidence of a kept case, the conversation's log
 * and session), the LINE profile, open "my data" links; and, when no case is kept, the LINE user id itself.
 * Returns what it did; the request row records it.
 */
export async function carryOutDeletion(
  tx: Pick<Tx, 'query'>,
  requestId: number,
  decider: { username: string; note: string },
  now: number,
  retentionYears?: number,
): Promise<{ outcome: DeletionOutcome; chatId: string | null; locale: string }> {
  const request = await pendingDeletion(tx, requestId, now);
  const [citizen] = await tx.query<{ line_user_id: string; locale: string }>('SELECT line_user_id, locale FROM citizen WHERE id = $1', [request.citizenId]);
  const chatId = citizen && !citizen.line_user_id.startsWith('erased:') ? citizen.line_user_id : null;
  const { erase, kept, keptIds } = sortCases(await casesOf(tx, request.citizenId), now, retentionYears);
  // Read before the chat is erased: the handoff is how a petition is found.
  const keptPetitions = await keptPetitionsOf(tx, chatId, retentionYears);
  const counts: ErasedCounts = {};
  for (const c of erase) addCounts(counts, await eraseCasePersonalData(tx, c.id, now));
  if (chatId) addCounts(counts, await eraseChat(tx, chatId, now, { keepMediaOfCases: keptIds }));
  // A link sent earlier would still hand out the file: no longer.
  await tx.query(`UPDATE data_request SET status = 'superseded', token_hash = NULL, decided_at = $2 WHERE citizen_id = $1 AND kind = 'export' AND status = 'issued'`, [request.citizenId, now]);
  await tx.query(`UPDATE data_request SET token_hash = NULL WHERE citizen_id = $1 AND token_hash IS NOT NULL`, [request.citizenId]);
  const unlinked = kept.length === 0;
  addCounts(counts, await eraseCitizenProfile(tx, request.citizenId, now, { unlink: unlinked }));
  const outcome: DeletionOutcome = { erasedCases: erase.map((c) => c.trackingNumber), kept, keptPetitions, counts, unlinked };
  await tx.query(
    `UPDATE data_request SET status = 'done', decided_at = $2, decided_by = $3, decision_note = $4, outcome = $5 WHERE id = $1`,
    [requestId, now, decider.username.slice(0, 64), decider.note, JSON.stringify(outcome)],
  );
  return { outcome, chatId, locale: citizen?.locale ?? 'th' };
}

/** A refusal keeps everything and says why; the citizen is told the reason and where to complain (the PDPC). */
export async function refuseRequest(
  tx: Pick<Tx, 'query'>,
  requestId: number,
  decider: { username: string; note: string },
  now: number,
): Promise<{ chatId: string | null; locale: string }> {
  const request = await pendingDeletion(tx, requestId, now);
  await tx.query(
    `UPDATE data_request SET status = 'refused', decided_at = $2, decided_by = $3, decision_note = $4 WHERE id = $1`,
    [requestId, now, decider.username.slice(0, 64), decider.note],
  );
  const [citizen] = await tx.query<{ line_user_id: string; locale: string }>('SELECT line_user_id, locale FROM citizen WHERE id = $1', [request.citizenId]);
  const chatId = citizen && !citizen.line_user_id.startsWith('erased:') ? citizen.line_user_id : null;
  return { chatId, locale: citizen?.locale ?? 'th' };
}

/**
 * Takes the request for this decision: the conditional update is the lock, so two supervisors pressing at once
 * decide it once (PostgreSQL makes the second wait for the first and then finds it decided; SQLite runs one
 * transaction at a time).
 */
async function pendingDeletion(q: Queryable, id: number, now: number): Promise<DataRequestRow> {
  const claimed = await q.query<{ id: unknown }>(
    `UPDATE data_request SET decided_at = $2 WHERE id = $1 AND kind = 'deletion' AND status = 'pending' RETURNING id`,
    [id, now],
  );
  const row = await dataRequestById(q, id);
  if (!row) throw new DataRequestNotFoundError(id);
  if (!claimed.length) throw new DataRequestDecidedError(id, row.status);
  return row;
}

export const isOverdue = (r: Pick<DataRequestRow, 'status' | 'dueAt'>, now: number): boolean => r.status === 'pending' && now > r.dueAt;

