/**
 * "My data": a citizen's PDPA rights in the chat (docs: ../shared/domain/damrongdhama.md, "Personal data"). A citizen
 * may see what the center holds about them (s.30, access), receive it as a file (s.30, a copy) and ask for deletion
 * (s.33). Deletion is only recorded here: an officer decides it in the console, because a complaint the center
 * handles as a public task (s.24(4)) must be kept while it is open and for RETENTION_YEARS after it closes.
 *
 * The functions that run inside a conversation's transaction only await tx.query (SQLite group commit); the one
 * network edge is the download route at the end.
 */
import express, { type Request, type Response, type Router } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import type { Database, Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import type { Logger } from '../runtime/logger';
import { i18n, type Locale } from '../locales/i18n';
import { bangkokDay, formatDate, maskNationalId, maskPhone } from '../flows/engine/format';
import { CLOSED_STATUSES, type CaseStatus, type Category, type Channel } from '../domain/cases';

/**
 * Years a closed case is kept after it closed, for review and audit. The domain's default (unconfirmed: common
 * practice, not a legal text we could read); a constant rather than a setting so that a deployment cannot shorten
 * it by accident. Change it here, with the center's legal advice, and every explanation follows.
 */
export const RETENTION_YEARS = 5;
/** How long a download link works. */
export const EXPORT_LINK_HOURS = 24;
/** Where exportRouter is mounted: the links createExportLink makes point here. */
export const EXPORT_PATH = '/my-data';

const HOUR = 3_600_000;

/** Both a Database and a transaction can read: the chat reads inside its event's transaction, the route outside. */
type Reader = Pick<Tx, 'query' | 'dialect'>;

export interface CitizenRecord {
  lineUserId: string;
  locale: string;
  displayName: string | null;
  pictureUrl: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
  /** When the privacy notice was shown (s.23); null if it never was. */
  privacyNoticeAt: number | null;
}

export interface TimelineEntry {
  at: number;
  kind: string;
  by: string;
  statusFrom?: CaseStatus;
  statusTo?: CaseStatus;
  note?: string;
}

/** Evidence as metadata: what it is and its fingerprint, never the bytes (a file of megabytes in a chat link). */
export interface AttachmentRecord {
  mediaType: string;
  contentType: string;
  fileName: string | null;
  size: number;
  sha256: string;
  receivedAt: number;
}

export interface CaseRecord {
  trackingNumber: string;
  channel: Channel;
  category: Category;
  status: CaseStatus;
  anonymous: boolean;
  sensitiveConsent: boolean | null;
  story: string;
  occurredOn: string | null;
  location: unknown;
  provinceCode: string | null;
  districtCode: string | null;
  subdistrictCode: string | null;
  subject: string | null;
  request: string | null;
  complainantName: string | null;
  address: string | null;
  /** Decrypted: it is the person's own number and goes only to them. */
  phone: string | null;
  nationalId: string | null;
  createdAt: number;
  /** The last change the citizen was told of, not the last internal one. */
  updatedAt: number;
  dueAt: number;
  closedAt: number | null;
  closeReason: string | null;
  reopenCount: number;
  timeline: TimelineEntry[];
  attachments: AttachmentRecord[];
}

export interface SurveyRecord {
  trackingNumber: string | null;
  subject: string;
  rating: number;
  comment: string | null;
  at: number;
}

export interface DataRequestRecord {
  id: number;
  kind: string;
  status: string;
  requestedAt: number;
  expiresAt: number | null;
  decidedAt: number | null;
  /** The reason given for a decision on the request: told to the citizen (s.30 asks a refusal to be reasoned). */
  decisionNote: string | null;
}

export interface CitizenData {
  /** Null when the LINE user never became a citizen record (never filed, never asked). */
  citizen: CitizenRecord | null;
  cases: CaseRecord[];
  surveys: SurveyRecord[];
  dataRequests: DataRequestRecord[];
  /** Royal petitions in the register made from this LINE chat: the words, and the name and phone written down. */
  petitions: PetitionRecord[];
}

export interface PetitionRecord {
  /** "7/2569": the entry's number in the register (ทะเบียนฎีกา). */
  registerNumber: string;
  receivedAt: number;
  status: string;
  words: string | null;
  petitionerName: string | null;
  petitionerPhone: string | null;
  forwardedTo: string | null;
  forwardedAt: number | null;
}

/** A petition is no case and has no citizen: it is found through the chat handed to an officer. */
async function petitionsOf(q: Reader, cipher: DataCipher, lineUserId: string): Promise<PetitionRecord[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT r.register_number, r.received_at, r.status, r.words_enc, r.petitioner_name_enc, r.petitioner_phone_enc, r.forwarded_to, r.forwarded_at
     FROM royal_petition r JOIN handoff_request h ON h.id = r.handoff_id WHERE h.chat_id = $1 ORDER BY r.be_year, r.seq`,
    [lineUserId],
  );
  const open = (v: unknown) => (typeof v === 'string' && v !== '' ? cipher.reveal(v) : null);
  return rows.map((r) => ({
    registerNumber: String(r.register_number),
    receivedAt: num(r.received_at),
    status: String(r.status),
    words: open(r.words_enc),
    petitionerName: open(r.petitioner_name_enc),
    petitionerPhone: open(r.petitioner_phone_enc),
    forwardedTo: (r.forwarded_to as string | null) ?? null,
    forwardedAt: numOrNull(r.forwarded_at),
  }));
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const boolOf = (v: unknown): boolean => v === true || v === 1 || v === '1';
const sqlTrue = (q: Pick<Tx, 'dialect'>): boolean | number => (q.dialect === 'sqlite' ? 1 : true);

/**
 * Everything the center holds about one LINE user that the law says is theirs to see. Conservative on purpose:
 * s.30 gives access to one's own personal data, which here is what they submitted and what they were told. An
 * officer's internal notes (case events not marked public), and the internal flags and lookup hashes on a case,
 * are the center's deliberation and bookkeeping, not the subject's personal data in the sense s.30 needs; and an
 * internal note may name other people. So only public events appear, with the actor's role but never an
 * officer's id, and attachment metadata only for evidence the citizen sent or was shown.
 */
export async function collectCitizenData(q: Reader, cipher: DataCipher, lineUserId: string): Promise<CitizenData> {
  const [c] = await q.query<Record<string, unknown>>(
    `SELECT id, line_user_id, locale, display_name, picture_url, first_seen_at, last_seen_at, privacy_notice_at
     FROM citizen WHERE line_user_id = $1`,
    [lineUserId],
  );
  const citizenId = c ? num(c.id) : null;
  const surveys = await surveysOf(q, cipher, citizenId, lineUserId);
  const petitions = await petitionsOf(q, cipher, lineUserId);
  if (!c || citizenId === null) return { citizen: null, cases: [], surveys, dataRequests: [], petitions };

  const caseRows = await q.query<Record<string, unknown>>(
    `SELECT id, tracking_number, channel, category, status, anonymous, sensitive_consent, story, occurred_on, location,
       province_code, district_code, subdistrict_code, subject, request, complainant_name, address, phone_enc,
       national_id_enc, created_at, last_public_update_at, due_at, closed_at, close_reason, reopen_count
     FROM cases WHERE citizen_id = $1 ORDER BY created_at, id`,
    [citizenId],
  );
  const events = await q.query<Record<string, unknown>>(
    `SELECT e.case_id, e.at, e.actor_type, e.kind, e.status_from, e.status_to, e.note
     FROM case_event e JOIN cases c ON c.id = e.case_id
     WHERE c.citizen_id = $1 AND e.public = $2 ORDER BY e.case_id, e.id`,
    [citizenId, sqlTrue(q)],
  );
  // Not the bytes column: only what identifies each file. An attachment tied to an internal event is internal.
  const files = await q.query<Record<string, unknown>>(
    `SELECT a.case_id, a.media_type, a.content_type, a.file_name, a.size, a.sha256, a.created_at
     FROM attachment a JOIN cases c ON c.id = a.case_id LEFT JOIN case_event e ON e.id = a.case_event_id
     WHERE c.citizen_id = $1 AND (e.id IS NULL OR e.public = $2) ORDER BY a.id`,
    [citizenId, sqlTrue(q)],
  );
  const requests = await q.query<Record<string, unknown>>(
    `SELECT id, kind, status, requested_at, expires_at, decided_at, decision_note
     FROM data_request WHERE citizen_id = $1 ORDER BY id`,
    [citizenId],
  );

  const byCase = <T>(rows: Array<Record<string, unknown>>, map: (r: Record<string, unknown>) => T) => {
    const out = new Map<number, T[]>();
    for (const r of rows) {
      const id = num(r.case_id);
      const list = out.get(id) ?? [];
      list.push(map(r));
      out.set(id, list);
    }
    return out;
  };
  const timelines = byCase(events, (e): TimelineEntry => ({
    at: num(e.at),
    kind: String(e.kind),
    by: String(e.actor_type),
    ...(e.status_from ? { statusFrom: e.status_from as CaseStatus } : {}),
    ...(e.status_to ? { statusTo: e.status_to as CaseStatus } : {}),
    ...(e.note ? { note: String(e.note) } : {}),
  }));
  const attachments = byCase(files, (a): AttachmentRecord => ({
    mediaType: String(a.media_type),
    contentType: String(a.content_type),
    fileName: (a.file_name as string | null) ?? null,
    size: num(a.size),
    sha256: String(a.sha256),
    receivedAt: num(a.created_at),
  }));
  const decrypt = (v: unknown) => (typeof v === 'string' && v !== '' ? cipher.decrypt(v) : null);
  // Names, addresses, places and the profile are encrypted too; a row from before that holds them plain.
  const reveal = (v: unknown) => (typeof v === 'string' ? cipher.reveal(v) : null);

  return {
    citizen: {
      lineUserId: String(c.line_user_id),
      locale: String(c.locale),
      displayName: reveal(c.display_name),
      pictureUrl: reveal(c.picture_url),
      firstSeenAt: num(c.first_seen_at),
      lastSeenAt: num(c.last_seen_at),
      privacyNoticeAt: numOrNull(c.privacy_notice_at),
    },
    cases: caseRows.map((r): CaseRecord => ({
      trackingNumber: String(r.tracking_number),
      channel: r.channel as Channel,
      category: r.category as Category,
      status: r.status as CaseStatus,
      anonymous: boolOf(r.anonymous),
      sensitiveConsent: r.sensitive_consent === null || r.sensitive_consent === undefined ? null : boolOf(r.sensitive_consent),
      story: String(r.story),
      occurredOn: (r.occurred_on as string | null) ?? null,
      location: parseJson(reveal(r.location)),
      provinceCode: (r.province_code as string | null) ?? null,
      districtCode: (r.district_code as string | null) ?? null,
      subdistrictCode: (r.subdistrict_code as string | null) ?? null,
      subject: (r.subject as string | null) ?? null,
      request: (r.request as string | null) ?? null,
      complainantName: reveal(r.complainant_name),
      address: reveal(r.address),
      phone: decrypt(r.phone_enc),
      nationalId: decrypt(r.national_id_enc),
      createdAt: num(r.created_at),
      updatedAt: num(r.last_public_update_at),
      dueAt: num(r.due_at),
      closedAt: numOrNull(r.closed_at),
      closeReason: (r.close_reason as string | null) ?? null,
      reopenCount: num(r.reopen_count),
      timeline: timelines.get(num(r.id)) ?? [],
      attachments: attachments.get(num(r.id)) ?? [],
    })),
    surveys,
    dataRequests: requests.map((r): DataRequestRecord => ({
      id: num(r.id),
      kind: String(r.kind),
      status: String(r.status),
      requestedAt: num(r.requested_at),
      expiresAt: numOrNull(r.expires_at),
      decidedAt: numOrNull(r.decided_at),
      decisionNote: (r.decision_note as string | null) ?? null,
    })),
    petitions,
  };
}

/** Ratings the person gave: about their cases, or about an officer chat (no case). */
async function surveysOf(q: Reader, cipher: DataCipher, citizenId: number | null, lineUserId: string): Promise<SurveyRecord[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT s.subject, s.rating, s.comment, s.at, c.tracking_number, c.citizen_id
     FROM survey_response s LEFT JOIN cases c ON c.id = s.case_id
     WHERE s.chat_id = $1 OR c.citizen_id = $2 ORDER BY s.at, s.id`,
    [lineUserId, citizenId ?? -1],
  );
  return rows.map((r) => ({
    // A rating given in this chat about a case filed by someone else keeps the rating, not their case number.
    trackingNumber: citizenId !== null && numOrNull(r.citizen_id) === citizenId ? String(r.tracking_number) : null,
    subject: String(r.subject),
    rating: num(r.rating),
    comment: typeof r.comment === 'string' ? cipher.reveal(r.comment) : null,
    at: num(r.at),
  }));
}

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

const t = (locale: Locale, key: string, vars: Record<string, unknown> = {}): string =>
  String(i18n.t(key, { lng: locale, ns: 'mydata', ...vars }));

const distinct = <T>(values: Array<T | null>): T[] => [...new Set(values.filter((v): v is T => v !== null))];

const CASES_NAMED = 5;

/**
 * What is held, in a few chat lines. Personal numbers are masked: the message is also a row in the outbox table,
 * and the person can see them in full in the file.
 */
export function summaryText(data: CitizenData, locale: Locale): string {
  const { citizen, cases } = data;
  if (!citizen && cases.length === 0 && data.surveys.length === 0 && data.petitions.length === 0) return t(locale, 'summary.nothing');
  const lines = [t(locale, 'summary.title')];
  if (citizen?.displayName) lines.push(t(locale, 'summary.lineName', { name: citizen.displayName }));
  if (citizen) lines.push(t(locale, 'summary.since', { date: formatDate(bangkokDay(citizen.firstSeenAt), locale) }));
  const names = distinct(cases.map((c) => c.complainantName));
  if (names.length) lines.push(t(locale, 'summary.names', { names: names.join(', ') }));
  const phones = distinct(cases.map((c) => c.phone));
  if (phones.length) lines.push(t(locale, 'summary.phones', { phones: phones.map(maskPhone).join(', ') }));
  const ids = distinct(cases.map((c) => c.nationalId));
  if (ids.length) lines.push(t(locale, 'summary.nationalIds', { ids: ids.map(maskNationalId).join(', ') }));
  if (cases.some((c) => c.address)) lines.push(t(locale, 'summary.address'));
  if (cases.length) {
    const open = cases.filter((c) => !CLOSED_STATUSES.includes(c.status)).length;
    lines.push(t(locale, 'summary.cases', { n: cases.length, open, closed: cases.length - open }));
    const newest = cases.slice().reverse();
    const numbers = newest.slice(0, CASES_NAMED).map((c) => c.trackingNumber).join(', ');
    const more = newest.length > CASES_NAMED ? ` ${t(locale, 'summary.moreCases', { n: newest.length - CASES_NAMED })}` : '';
    lines.push(t(locale, 'summary.caseNumbers', { numbers: numbers + more }));
  }
  const files = cases.reduce((n, c) => n + c.attachments.length, 0);
  if (files) lines.push(t(locale, 'summary.attachments', { n: files }));
  if (data.surveys.length) lines.push(t(locale, 'summary.surveys', { n: data.surveys.length }));
  if (data.dataRequests.length) lines.push(t(locale, 'summary.requests', { n: data.dataRequests.length }));
  if (data.petitions.length) lines.push(t(locale, 'summary.petitions', { numbers: data.petitions.map((p) => p.registerNumber).join(', ') }));
  lines.push('', t(locale, 'summary.footer'));
  return lines.join('\n');
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A one-time download link, valid EXPORT_LINK_HOURS. The token (32 random bytes) is only in the link; the table
 * keeps its SHA-256, so a copy of the database cannot download anyone's data. A new link replaces the person's
 * unused earlier ones (status 'superseded'): fewer live links in old chat messages. The link asks LINE to open
 * the system browser (openExternalBrowser=1), which saves files where LINE's in-app browser may not.
 */
export async function createExportLink(tx: Pick<Tx, 'query'>, citizenId: number, now: number, publicUrl: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await tx.query(
    `UPDATE data_request SET status = 'superseded', decided_at = $2 WHERE citizen_id = $1 AND kind = 'export' AND status = 'issued'`,
    [citizenId, now],
  );
  await tx.query(
    `INSERT INTO data_request (citizen_id, kind, status, token_hash, expires_at, requested_at) VALUES ($1, 'export', 'issued', $2, $3, $4)`,
    [citizenId, tokenHash(token), now + EXPORT_LINK_HOURS * HOUR, now],
  );
  return `${publicUrl.replace(/\/+$/, '')}${EXPORT_PATH}/${token}?openExternalBrowser=1`;
}

export function exportLinkText(url: string, locale: Locale): string {
  return t(locale, 'link', { url, hours: EXPORT_LINK_HOURS });
}

export interface RetainedCase {
  trackingNumber: string;
  reason: 'open' | 'retention';
  /** Until when a closed case is kept (epoch ms). */
  until?: number;
}

export interface DeletionRequest {
  requestId: number;
  /** The person had already asked and no officer has decided yet: that request stands, no second one is made. */
  alreadyPending: boolean;
  retained: RetainedCase[];
  /** The person's royal petitions in the official register (privacy/requests.ts keptPetitionsOf), kept too. */
  petitions?: ReadonlyArray<{ registerNumber: string; until?: number }>;
}

/** RETENTION_YEARS calendar years after closing. */
export function retainedUntil(closedAt: number, years: number = RETENTION_YEARS): number {
  const d = new Date(closedAt);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}

/** Why a case must be kept now, or null when the law no longer asks it to be. */
export function retentionOf(
  c: { status: CaseStatus; closedAt: number | null; updatedAt: number },
  now: number,
  years: number = RETENTION_YEARS,
): Omit<RetainedCase, 'trackingNumber'> | null {
  if (!CLOSED_STATUSES.includes(c.status)) return { reason: 'open' };
  // A closed case without a closing time (an old import) counts from its last change: later, never earlier.
  const until = retainedUntil(c.closedAt ?? c.updatedAt, years);
  return until > now ? { reason: 'retention', until } : null;
}

/**
 * Records a deletion request for an officer to decide (status 'pending'), and says case by case what must be kept
 * and why. Nothing is deleted here: erasure (s.33) gives way to keeping what a public task needs.
 */
export async function requestDeletion(tx: Pick<Tx, 'query'>, citizenId: number, now: number, years: number = RETENTION_YEARS): Promise<DeletionRequest> {
  const [pending] = await tx.query<{ id: number }>(
    `SELECT id FROM data_request WHERE citizen_id = $1 AND kind = 'deletion' AND status = 'pending' ORDER BY id LIMIT 1`,
    [citizenId],
  );
  let requestId: number;
  if (pending) requestId = num(pending.id);
  else {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO data_request (citizen_id, kind, status, requested_at) VALUES ($1, 'deletion', 'pending', $2) RETURNING id`,
      [citizenId, now],
    );
    requestId = num(row!.id);
  }
  const cases = await tx.query<{ tracking_number: string; status: CaseStatus; closed_at: unknown; updated_at: unknown }>(
    `SELECT tracking_number, status, closed_at, updated_at FROM cases WHERE citizen_id = $1 ORDER BY created_at, id`,
    [citizenId],
  );
  const retained: RetainedCase[] = [];
  for (const c of cases) {
    const why = retentionOf({ status: c.status, closedAt: numOrNull(c.closed_at), updatedAt: num(c.updated_at) }, now, years);
    if (why) retained.push({ trackingNumber: c.tracking_number, ...why });
  }
  return { requestId, alreadyPending: Boolean(pending), retained };
}

/** A line per royal petition the register keeps: while it is handled, or until when. */
export function keptPetitionLines(petitions: ReadonlyArray<{ registerNumber: string; until?: number }>, locale: Locale): string[] {
  return petitions.map((p) =>
    p.until === undefined
      ? t(locale, 'decision.petitionOpen', { number: p.registerNumber })
      : t(locale, 'decision.petitionUntil', { number: p.registerNumber, date: formatDate(bangkokDay(p.until), locale) }),
  );
}

export function deletionText(result: DeletionRequest, locale: Locale, years: number = RETENTION_YEARS): string {
  const lines = [t(locale, result.alreadyPending ? 'deletion.already' : 'deletion.received', { id: result.requestId })];
  const petitions = result.petitions ?? [];
  if (result.retained.length === 0 && petitions.length === 0) {
    lines.push('', t(locale, 'deletion.nothingRetained'));
    return lines.join('\n');
  }
  lines.push('', t(locale, 'deletion.retainedIntro'));
  for (const r of result.retained) {
    lines.push(r.reason === 'open' || r.until === undefined
      ? t(locale, 'deletion.retainedOpen', { number: r.trackingNumber })
      : t(locale, 'deletion.retainedUntil', { number: r.trackingNumber, date: formatDate(bangkokDay(r.until), locale) }));
  }
  lines.push(...keptPetitionLines(petitions, locale));
  lines.push('', t(locale, 'deletion.retainedWhy', { years }));
  return lines.join('\n');
}

/** Thailand time with its offset, for the people reading the file: "2026-11-25T14:03:00+07:00". */
const bangkokIso = (ms: number) => `${new Date(ms + 7 * HOUR).toISOString().slice(0, 19)}+07:00`;

/** The downloadable file: the data, with times readable and a note in Thai and English on what it is. */
export function exportDocument(data: CitizenData, now: number): string {
  const doc = { format: 'echannel-my-data/1', exportedAt: now, about: { th: t('th', 'file.about'), en: t('en', 'file.about') }, ...data };
  return JSON.stringify(doc, (key, value: unknown) => (typeof value === 'number' && (key === 'at' || /At$/.test(key)) ? bangkokIso(value) : value), 2);
}

export interface ExportRouterOptions {
  db: Pick<Database, 'query' | 'transaction'>;
  cipher: DataCipher;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Unknown or expired links one address may try per window before it is refused (429). */
  guessLimit?: { max: number; windowMs: number };
  now?: () => number;
}

/**
 * Counts misses (unknown or expired tokens) per address in a fixed window. Misses, not requests: many Thai mobile
 * users share one carrier address (CGNAT), and a person opening their own link never misses; a guesser always
 * does. A 256-bit token cannot be guessed anyway; this keeps a scanner from costing the database.
 */
class GuessLimiter {
  private readonly windows = new Map<string, { start: number; misses: number }>();

  constructor(private readonly max: number, private readonly windowMs: number) {}

  blocked(key: string, now: number): number | null {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs || w.misses < this.max) return null;
    return w.start + this.windowMs - now;
  }

  /** True when this miss reached the limit. */
  miss(key: string, now: number): boolean {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size >= 10_000) this.prune(now);
      w = { start: now, misses: 0 };
      this.windows.set(key, w);
    }
    w.misses += 1;
    return w.misses === this.max;
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
    if (this.windows.size >= 10_000) this.windows.clear();
  }
}

type LinkState = { state: 'missing' } | { state: 'used' } | { state: 'ready'; id: number };

async function linkState(db: ExportRouterOptions['db'], token: string, now: number): Promise<LinkState> {
  if (!TOKEN.test(token)) return { state: 'missing' };
  const [row] = await db.query<{ id: number; status: string; expires_at: number | null }>(
    `SELECT id, status, expires_at FROM data_request WHERE token_hash = $1 AND kind = 'export'`,
    [tokenHash(token)],
  );
  if (!row || row.expires_at === null || num(row.expires_at) <= now) return { state: 'missing' };
  return row.status === 'issued' ? { state: 'ready', id: num(row.id) } : { state: 'used' };
}

function refuse(res: Response, status: number, key: 'notFound' | 'gone' | 'tooMany' | 'error'): void {
  const message = { th: t('th', `page.${key}`), en: t('en', `page.${key}`) };
  res.status(status);
  res.format({
    'text/plain': () => void res.type('text/plain; charset=utf-8').send(`${message.th}\n${message.en}\n`),
    'application/json': () => void res.json({ message }),
    default: () => void res.type('text/plain; charset=utf-8').send(`${message.th}\n${message.en}\n`),
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function landingPage(): string {
  const th = (k: string) => escapeHtml(t('th', `page.${k}`));
  const en = (k: string) => escapeHtml(t('en', `page.${k}`));
  return `<!doctype html>
<html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta property="og:title" content="${th('title')} · ${en('title')}">
<title>${th('title')} · ${en('title')}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.6}
button{font-size:1.1rem;padding:.8rem 1.2rem;width:100%;margin:.5rem 0}</style></head>
<body><h1>${th('title')}</h1><p>${th('body')}</p>
<form method="post"><button type="submit">${th('button')}</button></form>
<hr><p lang="en">${en('body')}</p>
<form method="post"><button type="submit" lang="en">${en('button')}</button></form>
</body></html>`;
}

/**
 * The download, mounted at EXPORT_PATH. Two steps, because LINE (and mail and antivirus scanners) fetch every link
 * in a message to build a preview: if a GET handed out the file, the preview would spend the one-time link before
 * the person tapped it. So GET shows a page with a button (and spends nothing), and the button's POST returns the
 * file and marks the request 'downloaded'. Unknown and expired links are the same 404; a used or replaced one is 410.
 */
export function exportRouter(o: ExportRouterOptions): Router {
  const now = o.now ?? Date.now;
  const limit = o.guessLimit ?? { max: 20, windowMs: 15 * 60_000 };
  const limiter = new GuessLimiter(limit.max, limit.windowMs);
  const router = express.Router();

  router.use((_req, res, next) => {
    // The token is in the URL: keep it out of caches, search engines and the Referer of anything the page loads.
    res.set({
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex, nofollow',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    });
    next();
  });

  /** The checks both steps share; answers the request itself unless the link is ready. */
  const check = async (req: Request, res: Response): Promise<number | null> => {
    const at = now();
    const ip = req.ip ?? 'unknown';
    const wait = limiter.blocked(ip, at);
    if (wait !== null) {
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      refuse(res, 429, 'tooMany');
      return null;
    }
    const link = await linkState(o.db, String(req.params.token), at);
    if (link.state === 'ready') return link.id;
    if (link.state === 'used') refuse(res, 410, 'gone');
    else {
      if (limiter.miss(ip, at)) o.logger.warn('my-data: an address reached the limit of unknown download links');
      refuse(res, 404, 'notFound');
    }
    return null;
  };

  const guarded = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await handler(req, res);
    } catch (err) {
      o.logger.error({ err }, 'my-data: download failed');
      if (!res.headersSent) refuse(res, 500, 'error');
    }
  };

  router.get('/:token', guarded(async (req, res) => {
    if ((await check(req, res)) === null) return;
    res.type('text/html; charset=utf-8').send(landingPage());
  }));

  router.post('/:token', guarded(async (req, res) => {
    if ((await check(req, res)) === null) return;
    const at = now();
    const hash = tokenHash(String(req.params.token));
    const result = await o.db.transaction(async (tx) => {
      // The claim is the one-time guarantee: of two clicks at once, one UPDATE finds the row still 'issued'.
      const [claimed] = await tx.query<{ id: number; citizen_id: number }>(
        `UPDATE data_request SET status = 'downloaded', decided_at = $2
         WHERE token_hash = $1 AND kind = 'export' AND status = 'issued' AND expires_at > $2 RETURNING id, citizen_id`,
        [hash, at],
      );
      if (!claimed) return null;
      const [citizen] = await tx.query<{ line_user_id: string }>('SELECT line_user_id FROM citizen WHERE id = $1', [claimed.citizen_id]);
      if (!citizen) return null;
      return { requestId: num(claimed.id), data: await collectCitizenData(tx, o.cipher, citizen.line_user_id) };
    });
    if (!result) {
      refuse(res, 410, 'gone');
      return;
    }
    // The audit line names the request, not the person: the request row says whose it was.
    o.logger.info({ dataRequestId: result.requestId }, 'my-data: export downloaded');
    res
      .type('application/json; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="my-data-${bangkokDay(at)}.json"`)
      .send(exportDocument(result.data, at));
  }));

  return router;
}
