/**
 * Cases in the database. Every function takes the caller's transaction: filing a case, its timeline event, its
 * attachments, its tracking number and its first scheduled job commit together or not at all. Personal numbers
 * are written only encrypted, with a keyed hash for lookups and the last four phone digits for the check a
 * citizen passes when tracking a case filed another way; so are the complainant's name, address and place (a place
 * can be a home), the LINE profile's name, and the photos and files (storage/crypto.ts). Readers accept the plain
 * values of rows written before these were encrypted: the next key rotation seals them.
 */
import { SUBJECTS } from '../language/intents';
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import { nextTrackingNumber } from './tracking-numbers';
import type { LocationValue, Attachment as EvidenceItem } from '../flows/engine/answers';
import type { FlowRef } from '../flows/engine/state';
import { sniffContentType } from './content-type';
import { hasNumbersToMask, maskNumbersInText } from '../flows/engine/format';
import { CLOSED_STATUSES, type CaseEventView, type CaseStatus, type CaseView, type Category, type Channel } from '../domain/cases';
import { categoryList, DEFAULT_CATEGORY, findCategory, readCategory, type CaseCategory } from '../categories';

/** Evidence larger than this is not kept (LINE allows 300 MB for a video; a case needs proof, not footage). */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
const DAY = 86_400_000;

/**
 * A new case may not be filed under this category: no such category, or it was retired. Old cases keep a retired
 * one; new ones do not get it.
 */
export class CategoryRefusedError extends Error {
  constructor(
    readonly code: string,
    readonly reason: 'unknown' | 'retired',
  ) {
    super(reason === 'unknown' ? `no category "${code}"` : `category "${code}" is retired: no new case is filed under it`);
    this.name = 'CategoryRefusedError';
  }
}

export class CaseNotFoundError extends Error {
  constructor() {
    super('no such case');
    this.name = 'CaseNotFoundError';
  }
}

export interface CaseRow {
  id: number;
  tracking_number: string;
  citizen_id: number | null;
  category: Category;
  status: CaseStatus;
  story: string;
  created_at: number;
  updated_at: number;
  due_at: number;
  closed_at: number | null;
  reopen_count: number;
  phone_last4: string | null;
  last_public_update_at: number;
  district_code: string | null;
}

const CASE_COLUMNS = `id, tracking_number, citizen_id, category, status, story, created_at, updated_at, due_at, closed_at,
  reopen_count, phone_last4, last_public_update_at, district_code`;

function normalizeRow(r: CaseRow): CaseRow {
  return {
    ...r,
    id: Number(r.id),
    citizen_id: r.citizen_id === null ? null : Number(r.citizen_id),
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
    due_at: Number(r.due_at),
    closed_at: r.closed_at === null ? null : Number(r.closed_at),
    reopen_count: Number(r.reopen_count),
    last_public_update_at: Number(r.last_public_update_at),
  };
}

/** The citizen behind a LINE user, made on first need; the profile's name and locale kept up to date. */
export async function ensureCitizen(
  tx: Tx,
  cipher: DataCipher,
  c: { lineUserId: string; locale: string; displayName?: string | null; now: number },
): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    `INSERT INTO citizen (line_user_id, locale, display_name, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (line_user_id) DO UPDATE SET locale = $2, display_name = COALESCE($3, citizen.display_name), last_seen_at = $4
     RETURNING id`,
    [c.lineUserId, c.locale, cipher.encryptOptional(c.displayName), c.now],
  );
  return Number(rows[0]!.id);
}

export async function citizenIdOf(tx: Pick<Tx, 'query'>, lineUserId: string): Promise<number | null> {
  const [row] = await tx.query<{ id: number }>('SELECT id FROM citizen WHERE line_user_id = $1', [lineUserId]);
  return row ? Number(row.id) : null;
}

export interface FileCaseInput {
  /** The LINE user filing it; null when an officer records it (cases/counter.ts): the case then has no citizen. */
  lineUserId: string | null;
  locale: string;
  displayName?: string | null;
  /** The intake flow's version; null when an officer records it. */
  flow: FlowRef | null;
  /** How it came in; 'line' unless an officer records it. */
  channel?: Channel;
  /** The officer who records it (their id): the actor of its 'created' event. */
  recordedBy?: string;
  /** The answers of the intake flow, by slot name (see flows/definitions/complaint.yaml). */
  slots: Readonly<Record<string, unknown>>;
  now: number;
  prefix: string;
  /** Days until the citizen must have heard how it is going (15 by default), unless the category sets its own. */
  dueDays: number;
}

export interface FiledCase {
  id: number;
  trackingNumber: string;
  dueAt: number;
  /** Evidence refused, and why (a type that is not a photo, video, audio or document; too large). */
  refusedEvidence: Array<{ contentId: string; reason: 'type' | 'size' | 'missing' }>;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
/** Free text as stored in the clear: a national ID or phone number typed into it is masked (see free_text_enc). */
const shown = (v: unknown): string | null => {
  const t = str(v);
  return t === null ? null : maskNumbersInText(t);
};

/** The originals of free-text fields that had a personal number in them, encrypted; null when none had. */
function sealFreeText(cipher: DataCipher, fields: Record<string, unknown>): string | null {
  const originals: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    const t = str(value);
    if (t !== null && hasNumbersToMask(t)) originals[name] = t;
  }
  return Object.keys(originals).length ? cipher.encrypt(JSON.stringify(originals)) : null;
}

/** What the case is about, as the language layer's topic codes (language/intents.ts SUBJECTS); anything else is none. */
const topicOf = (v: unknown): string | null => (typeof v === 'string' && (SUBJECTS as readonly string[]).includes(v) ? v : null);

/**
 * The category a new case is filed under, read in the filing's transaction (never a stale list). An officer's form
 * was checked against the list already: an unknown or retired code there is refused (CategoryRefusedError). A
 * conversation's flow was validated against the list when it was published, and retiring a category a live flow
 * files into is refused; what can still come is a conversation begun on an older version just before a retirement,
 * or a flow that files the language layer's guess unasked: the citizen's case is not lost, it goes under the
 * default category.
 */
async function filingCategory(tx: Tx, code: string, o: { strict: boolean }): Promise<CaseCategory | null> {
  const found = await readCategory(tx, code);
  if (found && found.retiredAt === null) return found;
  if (o.strict) throw new CategoryRefusedError(code, found ? 'retired' : 'unknown');
  return code === DEFAULT_CATEGORY ? found : readCategory(tx, DEFAULT_CATEGORY);
}

export async function fileCase(tx: Tx, cipher: DataCipher, input: FileCaseInput): Promise<FiledCase> {
  const s = input.slots;
  const asked = str(s.category) ?? DEFAULT_CATEGORY;
  const filedUnder = await filingCategory(tx, asked, { strict: input.flow === null });
  const category: Category = filedUnder?.code ?? DEFAULT_CATEGORY;
  const anonymous = s.anonymous === true;
  // An anonymous tip-off is not linked to the LINE user either: no follow-up, as the person was told.
  const citizenId = anonymous || input.lineUserId === null
    ? null
    : await ensureCitizen(tx, cipher, { lineUserId: input.lineUserId, locale: input.locale, displayName: input.displayName ?? null, now: input.now });
  // The case goes in under a placeholder; its number is taken last, just before commit. On PostgreSQL every other
  // filing of the prefix waits on the sequence row from that moment to the commit, so that moment is kept short.
  const placeholder = `~${randomBytes(12).toString('hex')}`;
  const where = (s.where ?? null) as LocationValue | null;
  const phone = anonymous ? null : str(s.phone);
  const nationalId = anonymous ? null : str(s.nationalId);
  const dueAt = input.now + (filedUnder?.deadlineDays ?? input.dueDays) * DAY;
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO cases (tracking_number, citizen_id, channel, category, status, confidential, royal_petition, anonymous,
       sensitive_consent, story, free_text_enc, occurred_on, location, province_code, district_code, subdistrict_code, subject, request,
       complainant_name, address, phone_enc, phone_hash, phone_last4, national_id_enc, national_id_hash, flow_id,
       flow_version, created_at, updated_at, due_at, last_public_update_at, topic)
     VALUES ($1, $2, $29, $3, 'received', $4, $5, $6, $7, $8, $27, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
       $21, $22, $23, $24, $25, $25, $26, $25, $28) RETURNING id`,
    [
      placeholder,
      citizenId,
      category,
      filedUnder?.confidential ?? false,
      false,
      anonymous,
      typeof s.consent === 'boolean' ? s.consent : null,
      shown(s.story) ?? '',
      str(s.when),
      where ? cipher.encrypt(JSON.stringify(where)) : null,
      // A typed place, or a pin placed by the boundaries (geo/) and confirmed by the citizen.
      where?.province ?? null,
      where?.district ?? null,
      where?.subdistrict ?? null,
      shown(s.subject),
      shown(s.request),
      anonymous ? null : cipher.encryptOptional(str(s.fullName)),
      anonymous ? null : cipher.encryptOptional(shown(s.address)),
      cipher.encryptOptional(phone),
      phone ? cipher.hash('phone', phone) : null,
      phone ? phone.slice(-4) : null,
      cipher.encryptOptional(nationalId),
      nationalId ? cipher.hash('national-id', nationalId) : null,
      input.flow?.id ?? null,
      input.flow?.version ?? null,
      input.now,
      dueAt,
      sealFreeText(cipher, { story: s.story, subject: s.subject, request: s.request, address: anonymous ? null : s.address }),
      topicOf(s.topic),
      input.channel ?? 'line',
    ].map((v) => (typeof v === 'boolean' ? boolFor(tx, v) : v)),
  );
  const caseId = Number(row!.id);
  // An anonymous case keeps nothing that leads back to the chat: no actor on its events, evidence copied without
  // its LINE message id, and the chat's own copies of that evidence gone (their bytes and hash would match).
  const eventId = await addEvent(tx, caseId, {
    at: input.now,
    actorType: input.recordedBy ? 'officer' : 'citizen',
    actorId: input.recordedBy ?? (anonymous ? null : input.lineUserId),
    kind: 'created',
    statusTo: 'received',
    public: true,
  });
  const refusedEvidence = await attachEvidence(tx, cipher, caseId, eventId, (s.evidence ?? []) as EvidenceItem[], input.now, { unlinked: anonymous });
  const trackingNumber = await nextTrackingNumber(tx, input.prefix, input.now);
  await tx.query('UPDATE cases SET tracking_number = $2 WHERE id = $1', [caseId, trackingNumber]);
  return { id: caseId, trackingNumber, dueAt, refusedEvidence };
}

/**
 * A category was made confidential: its cases filed before become for supervisors only too (lists, permissions,
 * notices and open data all read `cases.confidential`). Made not confidential again, they stay so: a case once
 * kept from its district is not handed back to it by a change of settings. Returns how many cases changed.
 */
export async function markCategoryConfidential(tx: Tx, category: string): Promise<number> {
  const rows = await tx.query<{ id: number }>('UPDATE cases SET confidential = $1 WHERE category = $2 AND confidential = $3 RETURNING id', [
    boolFor(tx, true),
    category,
    boolFor(tx, false),
  ]);
  return rows.length;
}

/** SQLite keeps booleans as 0/1; PostgreSQL takes real booleans. */
export function boolFor(tx: Pick<Tx, 'dialect'>, v: boolean): boolean | number {
  return tx.dialect === 'sqlite' ? (v ? 1 : 0) : v;
}

/**
 * Copies photos and files the citizen sent (already fetched from LINE into line_content) onto the case. `unlinked`
 * (an anonymous case): the copy keeps no LINE message id, and the chat's originals are deleted once read, kept or
 * refused, so that neither the id nor the same bytes or hash lead from the case to the chat.
 */
export async function attachEvidence(
  tx: Tx,
  cipher: DataCipher,
  caseId: number,
  eventId: number | null,
  items: readonly EvidenceItem[],
  now: number,
  o: { unlinked?: boolean } = {},
): Promise<FiledCase['refusedEvidence']> {
  const refused: FiledCase['refusedEvidence'] = [];
  for (const item of items) {
    const [content] = await tx.query<{ bytes: Buffer; size: number }>('SELECT bytes, size FROM line_content WHERE message_id = $1', [item.contentId]);
    if (o.unlinked) await tx.query('DELETE FROM line_content WHERE message_id = $1', [item.contentId]);
    if (!content) {
      refused.push({ contentId: item.contentId, reason: 'missing' });
      continue;
    }
    const bytes = cipher.decryptBytes(content.bytes);
    if (bytes.length > MAX_ATTACHMENT_BYTES) {
      refused.push({ contentId: item.contentId, reason: 'size' });
      continue;
    }
    const type = sniffContentType(bytes);
    if (!type) {
      refused.push({ contentId: item.contentId, reason: 'type' });
      continue;
    }
    await tx.query(
      `INSERT INTO attachment (case_id, case_event_id, line_message_id, media_type, content_type, file_name, size, sha256, bytes, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [caseId, eventId, o.unlinked ? null : item.contentId, type.mediaType, type.contentType, item.fileName?.slice(0, 255) ?? null, bytes.length,
        createHash('sha256').update(bytes).digest('hex'), cipher.encryptBytes(bytes), now],
    );
  }
  return refused;
}

export interface NewEvent {
  at: number;
  actorType: 'citizen' | 'officer' | 'system';
  actorId?: string | null;
  kind: string;
  statusFrom?: CaseStatus | null;
  statusTo?: CaseStatus | null;
  note?: string | null;
  /** The note's original, encrypted, when the note shown was masked (a citizen's text with a phone number in it). */
  noteEnc?: string | null;
  /** Why a case was ended or not accepted: a code of cases/reasons.ts (or the citizen's 'withdrawn'). */
  reason?: string | null;
  /** The agency a case was forwarded to, by name. */
  forwardedTo?: string | null;
  public: boolean;
}

/** Appends to a case's timeline; events are never changed or deleted. */
export async function addEvent(tx: Tx, caseId: number, e: NewEvent): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO case_event (case_id, at, actor_type, actor_id, kind, status_from, status_to, note, note_enc, reason, forwarded_to, public)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [caseId, e.at, e.actorType, e.actorId ?? null, e.kind, e.statusFrom ?? null, e.statusTo ?? null, e.note ?? null, e.noteEnc ?? null,
      e.reason ?? null, e.forwardedTo ?? null, boolFor(tx, e.public)],
  );
  if (e.public) await tx.query('UPDATE cases SET updated_at = $2, last_public_update_at = $2 WHERE id = $1', [caseId, e.at]);
  else await tx.query('UPDATE cases SET updated_at = $2 WHERE id = $1', [caseId, e.at]);
  return Number(row!.id);
}

export async function caseByNumber(tx: Pick<Tx, 'query'>, trackingNumber: string): Promise<CaseRow | null> {
  const [row] = await tx.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE tracking_number = $1`, [trackingNumber]);
  return row ? normalizeRow(row) : null;
}

export async function caseById(tx: Pick<Tx, 'query'>, id: number): Promise<CaseRow | null> {
  const [row] = await tx.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1`, [id]);
  return row ? normalizeRow(row) : null;
}

/** A LINE user's own cases, newest first. */
export async function casesOfUser(tx: Pick<Tx, 'query'>, lineUserId: string, limit = 50): Promise<CaseRow[]> {
  const rows = await tx.query<CaseRow>(
    `SELECT ${CASE_COLUMNS.split(',').map((c) => `c.${c.trim()}`).join(', ')} FROM cases c JOIN citizen z ON z.id = c.citizen_id
     WHERE z.line_user_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT ${Math.max(1, Math.min(200, limit))}`,
    [lineUserId],
  );
  return rows.map(normalizeRow);
}

export function isClosed(status: CaseStatus): boolean {
  return CLOSED_STATUSES.includes(status);
}

/** What the citizen may see: the case and its public events, never an internal note. */
export async function caseView(tx: Pick<Tx, 'query' | 'dialect'>, row: CaseRow): Promise<CaseView> {
  const events = await tx.query<{ at: number; kind: string; status_to: CaseStatus | null; note: string | null; actor_type: string; reason: string | null; forwarded_to: string | null }>(
    `SELECT at, kind, status_to, note, actor_type, reason, forwarded_to FROM case_event WHERE case_id = $1 AND public = $2 ORDER BY id`,
    [row.id, boolFor(tx, true)],
  );
  const firstLine = row.story.split('\n')[0] ?? '';
  // Read here (cached) also so that this process prints the category's current names (categories/labels.ts).
  const deadlineDays = findCategory(await categoryList(tx), row.category)?.deadlineDays ?? null;
  return {
    trackingNumber: row.tracking_number,
    category: row.category,
    status: row.status,
    summary: Array.from(firstLine).length > 80 ? `${Array.from(firstLine).slice(0, 79).join('')}…` : firstLine,
    createdAt: row.created_at,
    updatedAt: row.last_public_update_at,
    dueAt: row.due_at,
    ...(deadlineDays !== null ? { deadlineDays } : {}),
    events: events.map((e): CaseEventView => ({
      at: Number(e.at),
      kind: e.kind,
      ...(e.status_to ? { status: e.status_to } : {}),
      // A citizen's own words are theirs; an officer's public note is shown as written.
      ...(e.note && e.actor_type === 'officer' ? { note: e.note } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.forwarded_to ? { forwardedTo: e.forwarded_to } : {}),
    })),
  };
}

/**
 * Sets a case's status and records it; `public` changes are what the citizen is told. A closing keeps its reason
 * on the case and the event; a forwarding keeps the agency on both (the case's is the latest, kept after the case
 * moves on, so the file still says where it went).
 */
export async function changeStatus(
  tx: Tx,
  row: CaseRow,
  c: {
    to: CaseStatus;
    note?: string | null;
    public: boolean;
    actorType: 'officer' | 'citizen' | 'system';
    actorId?: string | null;
    reason?: string | null;
    forwardedTo?: string | null;
    now: number;
  },
): Promise<number> {
  const closing = isClosed(c.to);
  const forwardedTo = c.to === 'forwarded' ? (c.forwardedTo ?? null) : null;
  await tx.query(
    `UPDATE cases SET status = $2, closed_at = $3, close_reason = $4, updated_at = $5, forwarded_to = COALESCE($6, forwarded_to) WHERE id = $1`,
    [row.id, c.to, closing ? c.now : null, closing ? (c.reason ?? null) : null, c.now, forwardedTo],
  );
  return addEvent(tx, row.id, {
    at: c.now,
    actorType: c.actorType,
    actorId: c.actorId ?? null,
    kind: 'status',
    statusFrom: row.status,
    statusTo: c.to,
    note: c.note ?? null,
    reason: closing ? (c.reason ?? null) : null,
    forwardedTo,
    public: c.public,
  });
}

/**
 * A closed case open again: closed_at and close_reason cleared (by the status change that goes with it), counted
 * in reopen_count, and a new deadline for the progress clock. The caller records the status change and
 * schedules the progress job.
 */
export async function markReopened(tx: Pick<Tx, 'query'>, caseId: number, dueAt: number): Promise<void> {
  await tx.query('UPDATE cases SET reopen_count = reopen_count + 1, closed_at = NULL, close_reason = NULL, due_at = $2 WHERE id = $1', [caseId, dueAt]);
}

/** Assigns a case to an officer (who must be of its district: the caller checks) and records it, internally. */
export async function assignCase(tx: Tx, caseId: number, a: { officerId: number; actorId: string; now: number }): Promise<number> {
  await tx.query('UPDATE cases SET assigned_officer_id = $2 WHERE id = $1', [caseId, a.officerId]);
  // The note names the assignee by id ("officer:7"), as the timeline read it before the column existed.
  return addEvent(tx, caseId, { at: a.now, actorType: 'officer', actorId: a.actorId, kind: 'assigned', note: `officer:${a.officerId}`, public: false });
}

/** A citizen's own words for the timeline: shown masked when they carry a personal number, kept encrypted. */
export function citizenNote(cipher: DataCipher, text: string | null): { note: string | null; noteEnc: string | null } {
  if (!text) return { note: null, noteEnc: null };
  return hasNumbersToMask(text) ? { note: maskNumbersInText(text), noteEnc: cipher.encrypt(text) } : { note: text, noteEnc: null };
}
