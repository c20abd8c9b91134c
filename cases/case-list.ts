/**
 * The officers' list of cases: filtered, newest first, a page at a time, and kept by the SQL to the cases the
 * reader may see. Who may see what is the console's permission table; it hands this module the reader's reach,
 * which is that same rule in the terms of a case's columns.
 */
import type { Tx } from '../storage/database';
import { CLOSED_STATUSES, type CaseStatus, type Category } from '../domain/cases';
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
  district?: string;
  /** Dates of filing, YYYY-MM-DD in Thailand's time, inclusive. */
  from?: string;
  to?: string;
  overdue?: boolean;
  /** A tracking number (or its beginning) or part of the complainant's name. */
  q?: string;
  page: number;
  pageSize: number;
}

/** A case as the list shows it, as stored (numbers and booleans as the engine returns them). */
export interface CaseListRow {
  tracking_number: string;
  category: string;
  status: string;
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
}

const BANGKOK_OFFSET = '+07:00';
const dayStart = (d: string) => Date.parse(`${d}T00:00:00${BANGKOK_OFFSET}`);
const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

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
export async function listCases(q: Queryable, reach: CaseReach, f: CaseListFilter, now: number): Promise<{ total: number; rows: CaseListRow[] }> {
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
  if (f.district) where.push(`district_code = ${add(f.district)}`);
  if (f.from) where.push(`created_at >= ${add(dayStart(f.from))}`);
  if (f.to) where.push(`created_at < ${add(dayStart(f.to) + 86_400_000)}`);
  if (f.overdue !== undefined) {
    const closed = CLOSED_STATUSES.map((s) => add(s)).join(', ');
    where.push(f.overdue ? `(status NOT IN (${closed}) AND due_at < ${add(now)})` : `NOT (status NOT IN (${closed}) AND due_at < ${add(now)})`);
  }
  if (f.q) {
    const p = add(like(f.q.toUpperCase()));
    const n = add(like(f.q));
    where.push(`(UPPER(tracking_number) LIKE ${p} ESCAPE '\\' OR complainant_name LIKE ${n} ESCAPE '\\')`);
  }
  const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [count] = await q.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM cases ${sqlWhere}`, params);
  const rows = await q.query<CaseListRow>(
    `SELECT tracking_number, category, status, confidential, royal_petition, anonymous, province_code, district_code, subject, story,
              complainant_name, created_at, updated_at, due_at, closed_at, assigned_officer_id
         FROM cases ${sqlWhere} ORDER BY created_at DESC, id DESC LIMIT ${add(f.pageSize)} OFFSET ${add((f.page - 1) * f.pageSize)}`,
    params,
  );
  return { total: Number(count?.n ?? 0), rows };
}
