/**
 * The officers' list of cases: filtered, newest first, a page at a time, and kept by the SQL to the cases the
 * reader may see. Who may see what is the console's permission table; it hands this module the reader's reach,
 * which is that same rule in the terms of a case's columns.
 *
 * The complainant's name is stored encrypted, so SQL cannot search it: a search reads the number and name of every
 * case that passes the other filters and in reach, decrypts the names, and matches here. A district's cases are a
 * few thousand names, decrypted in milliseconds; an admin's search over a whole country's register is the slow case.
 */
import type { Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import { CLOSED_STATUSES, type CaseStatus, type Category, type Channel } from '../domain/cases';
import { boolFor } from './store';

type Queryable = Pick<Tx, 'query' | 'dialect'>;

/**
 * The cases a reader may list: every case (admins), a province's (supervisors: the case's province, else its
 * district's), or a district's not confidential ones (officers). A reader without the province or district
 * their role needs sees nothing.
 */
export type CaseReach =
  | { scope: 'all' }
  | { scope: 'province'; provinceCode: string | null }
  | { scope: 'district'; districtCode: string | null };

export interface CaseListFilter {
  status?: CaseStatus;
  category?: Category;
  channel?: Channel;
  district?: string;
  /** Dates of filing, YYYY-MM-DD in Thailand's time, inclusive. */
  from?: string;
  to?: string;
  overdue?: boolean;
  /** The citizen's latest rating of the case, 1-5, or 'none' for a case not rated. */
  rating?: 1 | 2 | 3 | 4 | 5 | 'none';
  /** A tracking number (or its beginning) or part of the complainant's name. */
  q?: string;
  page: number;
  pageSize: number;
}

/** A case as the list shows it, as stored (numbers and booleans as the engine returns them). */
export interface CaseListRow {
  id: number | string;
  tracking_number: string;
  category: string;
  status: string;
  channel: string;
  confidential: boolean | number;
  royal_petition: boolean | number;
  anonymous: boolean | number;
  province_code: string | null;
  district_code: string | null;
  subject: string | null;
  story: string | null;
  complainant_name: string | null;
  created_at: number | string;
  updated_at: number | string;
  due_at: number | string;
  closed_at: number | string | null;
  assigned_officer_id: number | string | null;
  /** The citizen's latest rating of the case (1-5), null when not rated. */
  rating: number | string | null;
}

const BANGKOK_OFFSET = '+07:00';
const dayStart = (d: string) => Date.parse(`${d}T00:00:00${BANGKOK_OFFSET}`);

function reachSql(reach: CaseReach, db: Pick<Tx, 'dialect'>, add: (v: unknown) => string): string | null {
  if (reach.scope === 'all') return null;
  if (reach.scope === 'province') {
    if (!reach.provinceCode) return '1 = 0';
    return `COALESCE(province_code, SUBSTR(district_code, 1, 2)) = ${add(reach.provinceCode)}`;
  }
  if (!reach.districtCode) return '1 = 0';
  return `district_code = ${add(reach.districtCode)} AND confidential = ${add(boolFor(db, false))}`;
}

/** One page of the cases in reach that pass the filter, and how many pass it in all; `now` decides what is overdue. */
export async function listCases(
  q: Queryable,
  cipher: DataCipher,
  reach: CaseReach,
  f: CaseListFilter,
  now: number,
): Promise<{ total: number; rows: CaseListRow[] }> {
  const params: unknown[] = [];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  const inReach = reachSql(reach, q, add);
  if (inReach) where.push(`(${inReach})`);
  if (f.status) where.push(`status = ${add(f.status)}`);
  if (f.category) where.push(`category = ${add(f.category)}`);
  if (f.channel) where.push(`channel = ${add(f.channel)}`);
  if (f.district) where.push(`district_code = ${add(f.district)}`);
  if (f.from) where.push(`created_at >= ${add(dayStart(f.from))}`);
  if (f.to) where.push(`created_at < ${add(dayStart(f.to) + 86_400_000)}`);
  if (f.overdue !== undefined) {
    const closed = CLOSED_STATUSES.map((s) => add(s)).join(', ');
    where.push(f.overdue ? `(status NOT IN (${closed}) AND due_at < ${add(now)})` : `NOT (status NOT IN (${closed}) AND due_at < ${add(now)})`);
  }
  if (f.rating !== undefined) where.push(f.rating === 'none' ? `${LATEST_RATING} IS NULL` : `${LATEST_RATING} = ${add(f.rating)}`);
  if (f.q) {
    const ids = await matchingIds(q, cipher, where, params, f.q);
    if (!ids.length) return { total: 0, rows: [] };
    const page = ids.slice((f.page - 1) * f.pageSize, f.page * f.pageSize);
    if (!page.length) return { total: ids.length, rows: [] };
    const rows = await q.query<CaseListRow>(`SELECT ${LIST_COLUMNS} FROM cases WHERE id IN (${page.map((_, i) => `$${i + 1}`).join(', ')})`, page);
    const order = new Map(page.map((id, i) => [id, i]));
    rows.sort((a, b) => order.get(Number(a.id))! - order.get(Number(b.id))!);
    return { total: ids.length, rows: rows.map((r) => opened(cipher, r)) };
  }
  const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [count] = await q.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM cases ${sqlWhere}`, params);
  const rows = await q.query<CaseListRow>(
    `SELECT ${LIST_COLUMNS} FROM cases ${sqlWhere} ORDER BY created_at DESC, id DESC LIMIT ${add(f.pageSize)} OFFSET ${add((f.page - 1) * f.pageSize)}`,
    params,
  );
  return { total: Number(count?.n ?? 0), rows: rows.map((r) => opened(cipher, r)) };
}

/** The latest answered rating of the case by its citizen (a reopened case may be rated twice; 0 is "not answered"). */
const LATEST_RATING = `(SELECT s.rating FROM survey_response s WHERE s.case_id = cases.id AND s.subject = 'case' AND s.rating > 0 ORDER BY s.at DESC, s.id DESC LIMIT 1)`;

const LIST_COLUMNS = `id, tracking_number, category, status, channel, confidential, royal_petition, anonymous, province_code, district_code, subject, story,
  complainant_name, created_at, updated_at, due_at, closed_at, assigned_officer_id, ${LATEST_RATING} AS rating`;

const opened = (cipher: DataCipher, r: CaseListRow): CaseListRow => ({ ...r, complainant_name: cipher.reveal(r.complainant_name) });

/**
 * The ids, newest first, of the cases passing `where` whose tracking number holds the search (upper case) or whose
 * complainant's name does (letters of any case, as SQLite's LIKE did).
 */
async function matchingIds(q: Queryable, cipher: DataCipher, where: string[], params: unknown[], search: string): Promise<number[]> {
  const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const rows = await q.query<{ id: number | string; tracking_number: string; complainant_name: string | null }>(
    `SELECT id, tracking_number, complainant_name FROM cases ${sqlWhere} ORDER BY created_at DESC, id DESC`,
    params,
  );
  const number = search.toUpperCase();
  const name = search.toLowerCase();
  return rows
    .filter((r) => r.tracking_number.toUpperCase().includes(number) || (cipher.reveal(r.complainant_name)?.toLowerCase().includes(name) ?? false))
    .map((r) => Number(r.id));
}
