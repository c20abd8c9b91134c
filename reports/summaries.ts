/**
 * The monthly summaries of migration 0025 (report_received, report_first_notice, report_closed, report_time_to_end,
 * report_ratings), read for the whole Bangkok months of a period; the days before the first whole month and after
 * the last are counted from the rows as before (dashboard.ts). The summaries are kept by triggers in the database, so
 * a figure read here is the figure counted from the rows, to the case: tests/reports.summaries.test.ts checks that
 * after filing, closing, reopening, moving, recategorising, erasing and deleting cases.
 */
import type { Database } from '../storage/database';
import { dayStart } from './period';
import { Params, type ReportScope } from './reach';

const DAY = 86_400_000;
type Q = Pick<Database, 'query' | 'dialect'>;
const num = (v: unknown) => Number(v ?? 0);

/** An interval of instants, [start, end), epoch ms. */
export interface Span {
  start: number;
  end: number;
}

/** Whole months as yyyymm (Bangkok), `from` to `to` inclusive, and the instants they cover. */
export interface Months extends Span {
  from: number;
  to: number;
}

/** Bangkok midnight starting month `yyyymm`. */
export function monthStart(yyyymm: number): number {
  return dayStart(`${Math.floor(yyyymm / 100)}-${String(yyyymm % 100).padStart(2, '0')}-01`);
}

/** The month after `yyyymm`. */
export function nextMonth(yyyymm: number): number {
  return yyyymm % 100 === 12 ? yyyymm + 89 : yyyymm + 1;
}

/** The month an instant falls in, yyyymm, Bangkok time. */
export function monthKey(at: number): number {
  const d = new Date(at + 7 * 3_600_000);
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}

/** The whole months inside `span` (none when it holds no whole month), and the edges of the span outside them. */
export function splitByMonths(span: Span): { months: Months | null; edges: Span[] } {
  let from = monthKey(span.start);
  if (monthStart(from) < span.start) from = nextMonth(from);
  let to: number | null = null;
  for (let m = from, end = monthStart(nextMonth(m)); end <= span.end; m = nextMonth(m), end = monthStart(nextMonth(m))) to = m;
  if (to === null) return { months: null, edges: [span] };
  const months = { from, to, start: monthStart(from), end: monthStart(nextMonth(to)) };
  const edges = [{ start: span.start, end: months.start }, { start: months.end, end: span.end }].filter((e) => e.end > e.start);
  return { months, edges };
}

/** The part of `months` whose every month ends by `limit` (null when none does). */
export function monthsEndingBy(months: Months, limit: number): Months | null {
  let to: number | null = null;
  for (let m = months.from; m <= months.to && monthStart(nextMonth(m)) <= limit; m = nextMonth(m)) to = m;
  return to === null ? null : { from: months.from, to, start: months.start, end: monthStart(nextMonth(to)) };
}

/** The rows of a scope in a summary table under alias `s`: the same rule as caseScopeSql, on the summary's columns. */
export function summaryScopeSql(scope: ReportScope, p: Params, s = 's'): string {
  const parts: string[] = [];
  const r = scope.reach;
  if (r.scope === 'province') parts.push(r.provinceCode ? `${s}.province = ${p.add(r.provinceCode)}` : '1 = 0');
  else if (r.scope === 'district') parts.push(r.districtCode ? `${s}.district = ${p.add(r.districtCode)} AND ${s}.confidential = 0` : '1 = 0');
  if (scope.district && r.scope !== 'district') parts.push(`${s}.district = ${p.add(scope.district)}`);
  return parts.length ? parts.join(' AND ') : '1 = 1';
}

/** A summary's nullable value: '' for NULL, else '=' and the value. */
const decode = (v: string): string | null => (v === '' ? null : v.slice(1));

/** The summary rows of table `t` in the scope and months, summed by `by` (SQL of its columns). */
async function summed<T>(db: Q, t: string, by: string[], scope: ReportScope, m: Months): Promise<Array<T & { n: unknown }>> {
  const p = new Params(db.dialect);
  const where = summaryScopeSql(scope, p);
  return db.query<T & { n: unknown }>(
    `SELECT ${by.join(', ')}, SUM(s.n) AS n FROM ${t} s WHERE s.month >= ${p.add(m.from)} AND s.month <= ${p.add(m.to)} AND ${where} GROUP BY ${by.join(', ')}`,
    p.values,
  );
}

/** Cases filed in the months, per district and dimension (category, topic, channel, subdistrict) and its value. */
export async function receivedSummary(db: Q, scope: ReportScope, m: Months) {
  const rows = await summed<{ district: string; dim: string; value: string }>(db, 'report_received', ['s.district', 's.dim', 's.value'], scope, m);
  return rows.map((r) => ({ district: r.district, dim: r.dim, value: decode(r.value), n: num(r.n) })).filter((r) => r.n !== 0);
}

/** Of the cases filed in the months, how many in all and how many were told something within `days` (1-365). */
export async function firstNoticeSummary(db: Q, scope: ReportScope, m: Months, days: number): Promise<{ due: number; told: number }> {
  const rows = await summed<{ days: unknown }>(db, 'report_first_notice', ['s.days'], scope, m);
  let due = 0;
  let told = 0;
  for (const r of rows) {
    const n = num(r.n);
    const d = num(r.days);
    due += n;
    if (d >= 0 && d <= days) told += n;
  }
  return { due, told };
}

/** Whether the first-notice summary answers for `days`: whole days its buckets tell apart. */
export const noticeDaysSummarised = (days: number) => Number.isInteger(days) && days >= 0 && days <= 365;

/** Cases closed in the months, as closedIn() groups them. */
export async function closedSummary(db: Q, scope: ReportScope, m: Months) {
  const rows = await summed<{ status: string; reason: string; district: string; on_time: unknown }>(db, 'report_closed', ['s.status', 's.reason', 's.district', 's.on_time'], scope, m);
  return rows.map((r) => ({ status: r.status, reason: decode(r.reason), district: r.district, onTime: num(r.on_time) === 1, n: num(r.n) })).filter((r) => r.n !== 0);
}

/** Ratings of cases given in the months, by subject and rating. */
export async function caseRatingsSummary(db: Q, scope: ReportScope, m: Months) {
  const rows = await summed<{ subject: string; rating: unknown }>(db, 'report_ratings', ['s.subject', 's.rating'], scope, m);
  return rows.map((r) => ({ subject: r.subject, rating: num(r.rating), n: num(r.n) })).filter((r) => r.n !== 0);
}

/** The day a time to end is counted in (report_time_to_end.days): whole days, under one day 0, from 400 days 400. */
export const endDay = (ms: number) => (ms < DAY ? 0 : ms >= 400 * DAY ? 400 : Math.floor(ms / DAY));

/** The times to end of the cases closed in the months, counted per day (endDay). */
export async function timeToEndSummary(db: Q, scope: ReportScope, m: Months): Promise<Map<number, number>> {
  const rows = await summed<{ days: unknown }>(db, 'report_time_to_end', ['s.days'], scope, m);
  const out = new Map<number, number>();
  for (const r of rows) if (num(r.n) !== 0) out.set(num(r.days), num(r.n));
  return out;
}

/**
 * The `rank`-th shortest (from 1) time to end in day `day` (endDay) of the cases closed in `span` in the scope, read
 * from the cases themselves through the index cases_time_to_end: the exact time, to the millisecond.
 */
export async function timeToEndAt(db: Q, caseScope: (p: Params) => string, span: Span, day: number, rank: number): Promise<number | null> {
  const p = new Params(db.dialect);
  const d = 'k.closed_at - k.created_at';
  const range = [day > 0 ? `${d} >= ${p.add(day * DAY)}` : null, day < 400 ? `${d} < ${p.add((day + 1) * DAY)}` : null].filter(Boolean).join(' AND ');
  const where = caseScope(p);
  const rows = await db.query<{ d: unknown }>(
    `SELECT ${d} AS d FROM cases k
      WHERE ${range} AND k.closed_at IS NOT NULL AND k.closed_at >= ${p.add(span.start)} AND k.closed_at < ${p.add(span.end)} AND ${where}
      ORDER BY ${d} LIMIT 1 OFFSET ${p.add(rank - 1)}`,
    p.values,
  );
  return rows.length ? num(rows[0]!.d) : null;
}
