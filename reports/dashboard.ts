/**
 * The dashboard's figures for a scope and a period, each an exact count over the register (no sampling): the whole
 * months of the period from the monthly summaries of migration 0025 (summaries.ts: kept by triggers, so they are the
 * rows' counts to the case), the days before and after them from the rows through the indexes of migration 0023,
 * then plain arithmetic here. `summaries: false` counts everything from the rows: the same numbers (the tests
 * compare the two), slower on long periods. What each figure means:
 *
 * - received: cases filed in the period (created_at), by category, subject (topic), channel, district, subdistrict;
 * - ended: cases closed in the period (closed_at: ended, not accepted or withdrawn), by status and reason;
 * - open: cases open at the end of the period (filed before it, not closed before it); carriedOver: the same at its
 *   start. A case reopened later counts as it stands now (its closed_at cleared), so carried over + received =
 *   ended + open holds exactly, and carried over is counted as open − received + ended, per district: one count of
 *   open cases (at the end, the boundary nearer today, where fewer closings lie beyond it) instead of two;
 * - firstNotice: of the cases filed in the period whose first 15 days (PROGRESS_NOTICE_DAYS) are over, those told
 *   something within them: a public event after filing by an officer or the system (a status change, a progress
 *   notice), never the receipt itself nor the citizen's own additions;
 * - withinDeadline: of the cases closed in the period, those closed by their deadline (closed_at <= due_at, the
 *   15-day clock as it stood);
 * - timeToEnd: filing to closing of the cases closed in the period, median and 90th percentile (stats.ts);
 * - chats: chats asked for in the period; the wait from asking to an officer's first reply (handoff_claim.
 *   first_reply_at), median and 90th percentile of those answered; those asked outside their district's office
 *   hours (its days, times and holidays, office/);
 * - satisfaction: ratings given in the period (1-5; 0 = the citizen did not rate), of cases and of chats, average
 *   and distribution, and the newest comments (decrypted here: they are personal data, the caller audits);
 * - overdue: open cases past their deadline now, the oldest first.
 */
import type { Database } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import { CLOSED_STATUSES } from '../domain/cases';
import { officeStatus, type OfficeHours } from '../office/hours';
import { caseScopeSql, chatScopeSql, districtOf, Params, type ReportScope } from './reach';
import { bump, rowsOf, share, spread, type Share } from './stats';
import type { PeriodBounds } from './period';
import {
  caseRatingsSummary,
  closedSummary,
  endDay,
  firstNoticeSummary,
  monthsEndingBy,
  noticeDaysSummarised,
  receivedSummary,
  splitByMonths,
  timeToEndAt,
  timeToEndSummary,
  type Months,
  type Span,
} from './summaries';

const DAY = 86_400_000;
const BANGKOK = 7 * 3_600_000;

export interface DashboardOptions {
  /** Now, for the overdue list and for whose first 15 days are over. */
  now: number;
  /** PROGRESS_NOTICE_DAYS: the first notice is due within these days of filing. */
  noticeDays: number;
  /** CENTER_DISTRICT: the district of a chat that has none. */
  centerDistrict: string | null;
  /** A district's office hours (office/store.ts hoursCached), for chats asked out of hours. */
  hoursOf: (district: string | null) => Promise<OfficeHours>;
  /** How many comments and overdue cases to list at most. */
  listLimit?: number;
  /**
   * Whether whole months are read from the monthly summaries (migration 0025; the default) or every figure is counted
   * from the rows: the same numbers, the second slower on long periods (the tests compare the two).
   */
  summaries?: boolean;
}

export interface CountRow {
  code: string;
  count: number;
}

export interface DistrictRow {
  code: string;
  received: number;
  ended: number;
  open: number;
  carriedOver: number;
  withinDeadline: Share;
}

export interface Dashboard {
  period: { from: string; to: string; start: number; end: number };
  district: string | null;
  received: number;
  ended: number;
  open: number;
  carriedOver: number;
  endedByStatus: CountRow[];
  byCategory: CountRow[];
  byTopic: CountRow[];
  byChannel: CountRow[];
  byDistrict: DistrictRow[];
  bySubdistrict: CountRow[];
  reasons: Array<{ status: string; reason: string | null; count: number }>;
  firstNotice: Share;
  withinDeadline: Share;
  /** Milliseconds. */
  timeToEnd: { count: number; median: number | null; p90: number | null };
  chats: { requested: number; answered: number; wait: { count: number; median: number | null; p90: number | null }; outOfHours: number };
  satisfaction: {
    rated: number;
    notRated: number;
    average: number | null;
    distribution: Array<{ rating: number; count: number }>;
    bySubject: Array<{ subject: string; rated: number; average: number | null }>;
    comments: Array<{ at: number; subject: string; rating: number; text: string; caseNumber: string | null }>;
  };
  overdue: { count: number; cases: Array<{ number: string; category: string; status: string; districtCode: string | null; createdAt: number; dueAt: number }> };
}

type Q = Pick<Database, 'query' | 'dialect'>;
const num = (v: unknown) => Number(v ?? 0);

/** The open cases of the scope at instant `at`, per district (closed_at is NULL, or later than `at`). */
export async function openAt(db: Q, scope: ReportScope, at: number): Promise<Map<string, number>> {
  const p = new Params(db.dialect);
  const where = caseScopeSql(scope, p);
  const t = p.add(at);
  // Two ranges of cases_closed rather than one OR, which no planner reads from an index. SQLite is told the index:
  // left to itself it walks cases_district_created for the GROUP BY, ten times slower on a province's five years.
  const cases = db.dialect === 'sqlite' ? 'cases k INDEXED BY cases_closed' : 'cases k';
  const rows = await db.query<{ district_code: string | null; n: unknown }>(
    `SELECT district_code, COUNT(*) AS n FROM ${cases} WHERE k.closed_at IS NULL AND k.created_at < ${t} AND ${where} GROUP BY district_code
     UNION ALL
     SELECT district_code, COUNT(*) AS n FROM ${cases} WHERE k.closed_at >= ${t} AND k.created_at < ${t} AND ${where} GROUP BY district_code`,
    p.values,
  );
  const out = new Map<string, number>();
  for (const r of rows) bump(out, r.district_code ?? '', num(r.n));
  return out;
}

/**
 * The open cases at the start of a period from those open at its end: open at the start = open at the end − filed in
 * the period + closed in it (exact: every case filed before the end and not closed before the start is either still
 * open at the end or closed within the period).
 */
export function carriedOver(openEnd: ReadonlyMap<string, number>, received: ReadonlyArray<{ district: string; n: number }>, closed: ReadonlyArray<{ district: string; n: number }>): Map<string, number> {
  const out = new Map(openEnd);
  for (const r of received) bump(out, r.district, -r.n);
  for (const c of closed) bump(out, c.district, c.n);
  for (const [d, n] of out) if (n === 0) out.delete(d);
  return out;
}

export interface ReceivedGroup {
  category: string;
  topic: string | null;
  channel: string;
  district: string;
  n: number;
  /** Of these, filed at least `noticeDays` before now (their first notice was due), and told within those days. */
  due: number;
  told: number;
}

/**
 * Cases filed in the period, grouped, with the first-notice counts in the same pass over cases_received (the
 * first notice is cases.first_notice_at, kept by a trigger on case_event: migration 0023).
 */
export async function receivedIn(db: Q, scope: ReportScope, b: Span, notice: { now: number; days: number } = { now: 0, days: 0 }): Promise<ReceivedGroup[]> {
  const p = new Params(db.dialect);
  const where = caseScopeSql(scope, p);
  const window = notice.days * DAY;
  // A case is due its first notice when its first `days` are over: filed before now − days.
  const dueBefore = p.add(notice.now - window + 1);
  const rows = await db.query<{ category: string; topic: string | null; channel: string; district_code: string | null; n: unknown; due: unknown; told: unknown }>(
    `SELECT category, topic, channel, district_code, COUNT(*) AS n,
            SUM(CASE WHEN k.created_at < ${dueBefore} THEN 1 ELSE 0 END) AS due,
            SUM(CASE WHEN k.created_at < ${dueBefore} AND k.first_notice_at <= k.created_at + ${p.add(window)} THEN 1 ELSE 0 END) AS told
       FROM cases k
      WHERE k.created_at >= ${p.add(b.start)} AND k.created_at < ${p.add(b.end)} AND ${where}
      GROUP BY category, topic, channel, district_code`,
    p.values,
  );
  return rows.map((r) => ({ category: r.category, topic: r.topic, channel: r.channel, district: r.district_code ?? '', n: num(r.n), due: num(r.due), told: num(r.told) }));
}

/** Cases closed in the period, grouped by status, reason, district and whether by their deadline. */
export async function closedIn(db: Q, scope: ReportScope, b: Span) {
  const p = new Params(db.dialect);
  const where = caseScopeSql(scope, p);
  const rows = await db.query<{ status: string; close_reason: string | null; district_code: string | null; on_time: unknown; n: unknown }>(
    `SELECT status, close_reason, district_code, CASE WHEN closed_at <= due_at THEN 1 ELSE 0 END AS on_time, COUNT(*) AS n FROM cases k
      WHERE k.closed_at >= ${p.add(b.start)} AND k.closed_at < ${p.add(b.end)} AND ${where}
      GROUP BY status, close_reason, district_code, CASE WHEN closed_at <= due_at THEN 1 ELSE 0 END`,
    p.values,
  );
  return rows.map((r) => ({ status: r.status, reason: r.close_reason, district: r.district_code ?? '', onTime: num(r.on_time) === 1, n: num(r.n) }));
}

/** Filing-to-closing times (ms) of the cases closed in the period: the percentiles need every one. */
export async function timesToEnd(db: Q, scope: ReportScope, b: Span): Promise<number[]> {
  const p = new Params(db.dialect);
  const where = caseScopeSql(scope, p);
  const rows = await db.query<{ d: unknown }>(
    `SELECT k.closed_at - k.created_at AS d FROM cases k WHERE k.closed_at >= ${p.add(b.start)} AND k.closed_at < ${p.add(b.end)} AND ${where}`,
    p.values,
  );
  return rows.map((r) => num(r.d));
}

/** Chats asked for in the period: district, when asked, the first reply. */
export async function chatsIn(db: Q, scope: ReportScope, b: Span, center: string | null) {
  const p = new Params(db.dialect);
  const where = chatScopeSql(scope, 'h.district_code', center, p);
  const rows = await db.query<{ district_code: string | null; requested_at: unknown; first_reply_at: unknown }>(
    `SELECT h.district_code, h.requested_at, c.first_reply_at FROM handoff_request h LEFT JOIN handoff_claim c ON c.handoff_id = h.id
      WHERE h.requested_at >= ${p.add(b.start)} AND h.requested_at < ${p.add(b.end)} AND ${where}`,
    p.values,
  );
  return rows.map((r) => ({ district: r.district_code ?? center, requestedAt: num(r.requested_at), firstReplyAt: r.first_reply_at === null || r.first_reply_at === undefined ? null : num(r.first_reply_at) }));
}

/** The SQL of a chat rating's district: that of the chat's latest handoff asked for before the rating. */
const CHAT_DISTRICT = `(SELECT h.district_code FROM handoff_request h WHERE h.chat_id = s.chat_id AND h.requested_at <= s.at ORDER BY h.id DESC LIMIT 1)`;

/**
 * Ratings given in the period, counted by subject and rating: a case's by its case's scope, a chat's by its chat's
 * district. Two statements, so that neither engine evaluates the chat's district for the many case ratings.
 */
export async function ratingsIn(db: Q, scope: ReportScope, b: Span, center: string | null) {
  const [cases, chats] = await Promise.all([caseRatingsIn(db, scope, b), chatRatingsIn(db, scope, b, center)]);
  return [...cases, ...chats];
}

/** Ratings of cases given in the period, by subject and rating. */
export async function caseRatingsIn(db: Q, scope: ReportScope, b: Span) {
  const p = new Params(db.dialect);
  const ofCase = caseScopeSql(scope, p);
  return db.query<{ subject: string; rating: unknown; n: unknown }>(
    `SELECT s.subject, s.rating, COUNT(*) AS n FROM survey_response s JOIN cases k ON k.id = s.case_id
      WHERE s.at >= ${p.add(b.start)} AND s.at < ${p.add(b.end)} AND ${ofCase} GROUP BY s.subject, s.rating`,
    p.values,
  );
}

/** Ratings of chats given in the period, by subject and rating. */
export async function chatRatingsIn(db: Q, scope: ReportScope, b: Span, center: string | null) {
  const p = new Params(db.dialect);
  const ofChat = chatScopeSql(scope, CHAT_DISTRICT, center, p);
  return db.query<{ subject: string; rating: unknown; n: unknown }>(
    `SELECT s.subject, s.rating, COUNT(*) AS n FROM survey_response s
      WHERE s.at >= ${p.add(b.start)} AND s.at < ${p.add(b.end)} AND s.case_id IS NULL AND ${ofChat} GROUP BY s.subject, s.rating`,
    p.values,
  );
}

/** The newest comments of the period in scope, decrypted (personal data: the caller audits the view). */
export async function commentsIn(db: Q, cipher: DataCipher, scope: ReportScope, b: Span, center: string | null, limit: number) {
  const p1 = new Params(db.dialect);
  const ofCase = caseScopeSql(scope, p1);
  const cases = await db.query<{ id: unknown; subject: string; rating: unknown; comment: string; at: unknown; tracking_number: string | null }>(
    `SELECT s.id, s.subject, s.rating, s.comment, s.at, k.tracking_number FROM survey_response s JOIN cases k ON k.id = s.case_id
      WHERE s.at >= ${p1.add(b.start)} AND s.at < ${p1.add(b.end)} AND s.comment IS NOT NULL AND ${ofCase}
      ORDER BY s.at DESC, s.id DESC LIMIT ${p1.add(limit)}`,
    p1.values,
  );
  const p2 = new Params(db.dialect);
  const ofChat = chatScopeSql(scope, CHAT_DISTRICT, center, p2);
  const chats = await db.query<{ id: unknown; subject: string; rating: unknown; comment: string; at: unknown; tracking_number: string | null }>(
    `SELECT s.id, s.subject, s.rating, s.comment, s.at, NULL AS tracking_number FROM survey_response s
      WHERE s.at >= ${p2.add(b.start)} AND s.at < ${p2.add(b.end)} AND s.case_id IS NULL AND s.comment IS NOT NULL AND ${ofChat}
      ORDER BY s.at DESC, s.id DESC LIMIT ${p2.add(limit)}`,
    p2.values,
  );
  return [...cases, ...chats]
    .sort((x, y) => num(y.at) - num(x.at) || num(y.id) - num(x.id))
    .slice(0, limit)
    .map((r) => ({ at: num(r.at), subject: r.subject, rating: num(r.rating), text: cipher.reveal(r.comment) ?? '', caseNumber: r.tracking_number ?? null }))
    .filter((c) => c.text.trim() !== '');
}

/** Open cases past their deadline now, the most overdue first, and how many in all. */
export async function overdueNow(db: Q, scope: ReportScope, now: number, limit: number) {
  const p = new Params(db.dialect);
  const where = caseScopeSql(scope, p);
  const closed = CLOSED_STATUSES.map((s) => p.add(s)).join(', ');
  const base = `FROM cases k WHERE k.closed_at IS NULL AND k.due_at < ${p.add(now)} AND k.status NOT IN (${closed}) AND ${where}`;
  const [count] = await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n ${base}`, p.values);
  const rows = await db.query<{ tracking_number: string; category: string; status: string; district_code: string | null; created_at: unknown; due_at: unknown }>(
    `SELECT tracking_number, category, status, district_code, created_at, due_at ${base} ORDER BY k.due_at, k.id LIMIT ${p.add(limit)}`,
    p.values,
  );
  return {
    count: num(count?.n),
    cases: rows.map((r) => ({ number: r.tracking_number, category: r.category, status: r.status, districtCode: r.district_code, createdAt: num(r.created_at), dueAt: num(r.due_at) })),
  };
}

/**
 * Whether an office is open at an instant: officeStatus(h, at).open, answered once per day for the day (a working
 * day when open at its opening minute) and by the minute of the day for the rest, since officeStatus also looks
 * for the next opening of a closed office, a search that five years of chats (55,000) made cost 0.3 s.
 */
export function openAtFor(h: OfficeHours): (at: number) => boolean {
  if (!Number.isInteger(h.opens) || !Number.isInteger(h.closes)) return (at) => officeStatus(h, at).open;
  if (!(h.opens >= 0 && h.opens < h.closes && h.opens < 24 * 60)) return () => false;
  const working = new Map<number, boolean>();
  return (at) => {
    const sinceMidnight = (((at + BANGKOK) % DAY) + DAY) % DAY;
    const midnight = at - sinceMidnight;
    const minutes = Math.floor(sinceMidnight / 60_000);
    if (minutes < h.opens || minutes >= h.closes) return false;
    let w = working.get(midnight);
    if (w === undefined) working.set(midnight, (w = officeStatus(h, midnight + h.opens * 60_000).open));
    return w;
  };
}

/** Cases filed in a period, counted by what the dashboard shows them by. */
interface Received {
  total: number;
  byCategory: Map<string, number>;
  byTopic: Map<string, number>;
  byChannel: Map<string, number>;
  byDistrict: Map<string, number>;
  bySubdistrict: Map<string, number>;
  /** Filed at least the notice days before now, and of those told within them. */
  due: number;
  told: number;
}

/** Of the cases filed in the period, those due their first notice and those told within its days (receivedIn's rule). */
export async function firstNoticeIn(db: Q, scope: ReportScope, b: Span, notice: { now: number; days: number }): Promise<{ due: number; told: number }> {
  const p = new Params(db.dialect);
  const where = caseScopeSql(scope, p);
  const window = notice.days * DAY;
  const dueBefore = p.add(notice.now - window + 1);
  const [r] = await db.query<{ due: unknown; told: unknown }>(
    `SELECT SUM(CASE WHEN k.created_at < ${dueBefore} THEN 1 ELSE 0 END) AS due,
            SUM(CASE WHEN k.created_at < ${dueBefore} AND k.first_notice_at <= k.created_at + ${p.add(window)} THEN 1 ELSE 0 END) AS told
       FROM cases k
      WHERE k.created_at >= ${p.add(b.start)} AND k.created_at < ${p.add(b.end)} AND ${where}`,
    p.values,
  );
  return { due: num(r?.due), told: num(r?.told) };
}

/**
 * The cases filed in the period: the whole months from the summaries, the days around them from the rows. The
 * first notice of a month is read from the summary only when all of its cases are due it (filed `days` before now).
 */
async function receivedFigures(db: Q, scope: ReportScope, months: Months | null, edges: Span[], notice: { now: number; days: number }, subdistricts: boolean): Promise<Received> {
  const t: Received = { total: 0, byCategory: new Map(), byTopic: new Map(), byChannel: new Map(), byDistrict: new Map(), bySubdistrict: new Map(), due: 0, told: 0 };
  const noticeMonths = months && noticeDaysSummarised(notice.days) ? monthsEndingBy(months, notice.now - notice.days * DAY + 1) : null;
  const noticeRest = months && (noticeMonths?.end ?? months.start) < months.end ? { start: noticeMonths?.end ?? months.start, end: months.end } : null;
  await Promise.all([
    ...edges.map(async (e) => {
      for (const r of await receivedIn(db, scope, e, notice)) {
        t.total += r.n;
        bump(t.byCategory, r.category, r.n);
        bump(t.byTopic, r.topic ?? 'none', r.n);
        bump(t.byChannel, r.channel, r.n);
        bump(t.byDistrict, r.district, r.n);
        t.due += r.due;
        t.told += r.told;
      }
    }),
    ...(subdistricts ? edges.map(async (e) => (await receivedBySubdistrict(db, scope, e)).forEach((r) => bump(t.bySubdistrict, r.code, r.count))) : []),
    months &&
      receivedSummary(db, scope, months).then((rows) => {
        for (const r of rows) {
          if (r.dim === 'category') {
            t.total += r.n;
            bump(t.byCategory, r.value ?? '', r.n);
            bump(t.byDistrict, r.district, r.n);
          } else if (r.dim === 'topic') bump(t.byTopic, r.value ?? 'none', r.n);
          else if (r.dim === 'channel') bump(t.byChannel, r.value ?? '', r.n);
          else if (r.dim === 'subdistrict' && subdistricts && r.value !== null) bump(t.bySubdistrict, r.value, r.n);
        }
      }),
    ...[noticeMonths && firstNoticeSummary(db, scope, noticeMonths, notice.days), noticeRest && firstNoticeIn(db, scope, noticeRest, notice)].map(async (x) => {
      const r = await x;
      if (r) {
        t.due += r.due;
        t.told += r.told;
      }
    }),
  ]);
  return t;
}

/**
 * Median and 90th percentile of the times to end of the cases closed in the period, nearest rank (stats.ts), the same
 * numbers as sorting every time: the whole months' times counted per day (report_time_to_end) with the edges' own
 * times, the day holding each rank found there, and the time at that rank read among that day's cases. Null when the
 * summary and the rows disagree (never expected: the caller then counts from the rows).
 */
export async function timeToEndFromSummaries(db: Q, scope: ReportScope, b: Span, months: Months, edges: Span[]): Promise<Dashboard['timeToEnd'] | null> {
  const [days, ...edgeTimes] = await Promise.all([timeToEndSummary(db, scope, months), ...edges.map((e) => timesToEnd(db, scope, e))]);
  for (const ms of edgeTimes.flat()) bump(days, endDay(ms));
  const order = [...days.keys()].sort((x, y) => x - y);
  const count = order.reduce((a, d) => a + days.get(d)!, 0);
  if (count === 0) return { count: 0, median: null, p90: null };
  const at = (p: number) => {
    const rank = Math.ceil(p * count);
    let before = 0;
    for (const d of order) {
      const n = days.get(d)!;
      if (before + n >= rank) return timeToEndAt(db, (q) => caseScopeSql(scope, q), b, d, rank - before);
      before += n;
    }
    return Promise.resolve(null);
  };
  const [median, p90] = await Promise.all([at(0.5), at(0.9)]);
  return median === null || p90 === null ? null : { count, median, p90 };
}

async function timeToEndFigures(db: Q, scope: ReportScope, b: Span, months: Months | null, edges: Span[]): Promise<Dashboard['timeToEnd']> {
  return (months && (await timeToEndFromSummaries(db, scope, b, months, edges))) ?? spread(await timesToEnd(db, scope, b));
}

export async function dashboard(db: Q, cipher: DataCipher, scope: ReportScope, b: PeriodBounds, o: DashboardOptions): Promise<Dashboard> {
  const limit = o.listLimit ?? 50;
  // The subdistricts are drawn only for one district: the officer's, or the one chosen on the map.
  const oneDistrict = districtOf(scope) !== null;
  // Whole months from the summaries, the days before and after them from the rows.
  const { months, edges } = o.summaries === false ? { months: null, edges: [b] } : splitByMonths(b);
  const summed = <T>(summary: (m: Months) => Promise<T[]>, rows: (e: Span) => Promise<T[]>): Promise<T[]> =>
    Promise.all([months ? summary(months) : [], ...edges.map(rows)]).then((parts) => parts.flat());
  const [received, closed, timeToEnd, openEnd, chats, caseRatings, chatRatings, comments, overdue] = await Promise.all([
    receivedFigures(db, scope, months, edges, { now: o.now, days: o.noticeDays }, oneDistrict),
    // Grouped in SQL: cheaper on both engines than every closed case as a row.
    summed((m) => closedSummary(db, scope, m), (e) => closedIn(db, scope, e)),
    timeToEndFigures(db, scope, b, months, edges),
    openAt(db, scope, b.end),
    chatsIn(db, scope, b, o.centerDistrict),
    summed((m) => caseRatingsSummary(db, scope, m), (e) => caseRatingsIn(db, scope, e)),
    // A chat's rating goes by its chat's district: always from the rows (a few thousand in five years).
    chatRatingsIn(db, scope, b, o.centerDistrict),
    commentsIn(db, cipher, scope, b, o.centerDistrict, limit),
    overdueNow(db, scope, o.now, limit),
  ]);
  const ratings = [...caseRatings, ...chatRatings];

  const districts = new Map<string, DistrictRow>();
  const row = (code: string) => {
    let r = districts.get(code);
    if (!r) districts.set(code, (r = { code, received: 0, ended: 0, open: 0, carriedOver: 0, withinDeadline: share(0, 0) }));
    return r;
  };
  for (const [d, n] of received.byDistrict) row(d).received += n;
  const byStatus = new Map<string, number>();
  const reasons = new Map<string, { status: string; reason: string | null; count: number }>();
  let endedTotal = 0;
  let onTime = 0;
  const onTimeBy = new Map<string, number>();
  for (const c of closed) {
    endedTotal += c.n;
    bump(byStatus, c.status, c.n);
    const key = `${c.status}\u0000${c.reason ?? ''}`;
    const r = reasons.get(key) ?? { status: c.status, reason: c.reason, count: 0 };
    r.count += c.n;
    reasons.set(key, r);
    row(c.district).ended += c.n;
    if (c.onTime) {
      onTime += c.n;
      bump(onTimeBy, c.district, c.n);
    }
  }
  for (const [d, n] of openEnd) row(d).open += n;
  const openStart = carriedOver(openEnd, [...received.byDistrict].map(([district, n]) => ({ district, n })), closed);
  for (const [d, n] of openStart) row(d).carriedOver += n;
  for (const r of districts.values()) r.withinDeadline = share(onTimeBy.get(r.code) ?? 0, r.ended);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, n) => a + n, 0);

  let outOfHours = 0;
  const waits: number[] = [];
  const clocks = new Map<string | null, Promise<(at: number) => boolean>>();
  for (const c of chats) {
    if (c.firstReplyAt !== null) waits.push(c.firstReplyAt - c.requestedAt);
    let open = clocks.get(c.district);
    if (!open) clocks.set(c.district, (open = o.hoursOf(c.district).then(openAtFor)));
    if (!(await open)(c.requestedAt)) outOfHours++;
  }

  const distribution = [1, 2, 3, 4, 5].map((rating) => ({ rating, count: 0 }));
  const subjects = new Map<string, { rated: number; total: number }>();
  let rated = 0;
  let notRated = 0;
  let ratingSum = 0;
  for (const r of ratings) {
    const rating = num(r.rating);
    const n = num(r.n);
    if (rating < 1 || rating > 5) {
      notRated += n;
      continue;
    }
    rated += n;
    ratingSum += rating * n;
    distribution[rating - 1]!.count += n;
    const s = subjects.get(r.subject) ?? { rated: 0, total: 0 };
    s.rated += n;
    s.total += rating * n;
    subjects.set(r.subject, s);
  }

  return {
    period: { from: b.from, to: b.to, start: b.start, end: b.end },
    district: districtOf(scope),
    received: received.total,
    ended: endedTotal,
    open: sum(openEnd),
    carriedOver: sum(openStart),
    endedByStatus: rowsOf(byStatus),
    byCategory: rowsOf(received.byCategory),
    byTopic: rowsOf(received.byTopic),
    byChannel: rowsOf(received.byChannel),
    byDistrict: [...districts.values()].sort((a, b2) => a.code.localeCompare(b2.code)),
    bySubdistrict: [...received.bySubdistrict].map(([code, count]) => ({ code, count })).sort((a, b2) => a.code.localeCompare(b2.code)),
    reasons: [...reasons.values()].sort((a, b2) => b2.count - a.count || `${a.status}${a.reason}`.localeCompare(`${b2.status}${b2.reason}`)),
    firstNotice: share(received.told, received.due),
    withinDeadline: share(onTime, endedTotal),
    timeToEnd,
    chats: { requested: chats.length, answered: waits.length, wait: spread(waits), outOfHours },
    satisfaction: {
      rated,
      notRated,
      average: rated ? ratingSum / rated : null,
      distribution,
      bySubject: [...subjects].map(([subject, s]) => ({ subject, rated: s.rated, average: s.rated ? s.total / s.rated : null })).sort((a, b2) => a.subject.localeCompare(b2.subject)),
      comments,
    },
    overdue,
  };
}

/** Cases filed in the period per subdistrict (the map's closer view). */
export async function receivedBySubdistrict(db: Q, scope: ReportScope, b: Span): Promise<CountRow[]> {
  const p = new Params(db.dialect);
  const where = caseScopeSql(scope, p);
  const rows = await db.query<{ subdistrict_code: string | null; n: unknown }>(
    `SELECT subdistrict_code, COUNT(*) AS n FROM cases k
      WHERE k.created_at >= ${p.add(b.start)} AND k.created_at < ${p.add(b.end)} AND k.subdistrict_code IS NOT NULL AND ${where}
      GROUP BY subdistrict_code`,
    p.values,
  );
  return rows.map((r) => ({ code: r.subdistrict_code!, count: num(r.n) })).sort((a, b2) => a.code.localeCompare(b2.code));
}
