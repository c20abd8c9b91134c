/**
 * What a report may count, in SQL: the console's permission rule for listing cases (console/auth/permissions.ts,
 * case.list; the same rule as cases/case-list.ts) in the terms of the rows the reports read. An officer counts their
 * own district's cases and never a confidential one, so no figure an officer sees (a total, a share, a time, a
 * rating) can move because of a complaint about an official; a supervisor counts the province, confidential cases
 * included; an admin everything. Chats (handoff_request) have no category: they go by their district, which is
 * CENTER_DISTRICT's when none was known. A chat's rating goes by the district of the chat it rated.
 */
import type { Dialect } from '../storage/sql';

export type ReportReach =
  | { scope: 'all' }
  | { scope: 'province'; provinceCode: string | null }
  | { scope: 'district'; districtCode: string | null };

/** The reach and a district chosen inside it (a click on the map); the district must lie in the reach. */
export interface ReportScope {
  reach: ReportReach;
  district?: string | null;
}

/** Collects parameters for one statement, numbering them $1, $2 … as storage/sql.ts expects. */
export class Params {
  readonly values: unknown[] = [];
  constructor(readonly dialect: Dialect) {}
  add(v: unknown): string {
    this.values.push(typeof v === 'boolean' && this.dialect === 'sqlite' ? (v ? 1 : 0) : v);
    return `$${this.values.length}`;
  }
}

/** The district a reach and a choice leave: the officer's own, else the chosen one, else none (all of the reach). */
export function districtOf(scope: ReportScope): string | null {
  if (scope.reach.scope === 'district') return scope.reach.districtCode;
  return scope.district ?? null;
}

/** Whether a chosen district lies inside the reach (a supervisor may not choose another province's). */
export function districtInReach(reach: ReportReach, district: string): boolean {
  if (reach.scope === 'all') return true;
  if (reach.scope === 'province') return !!reach.provinceCode && district.slice(0, 2) === reach.provinceCode;
  return district === reach.districtCode;
}

/** The cases of a scope, on the cases table under alias `k` (SQL text, never empty). */
export function caseScopeSql(scope: ReportScope, p: Params, k = 'k'): string {
  const parts: string[] = [];
  const r = scope.reach;
  if (r.scope === 'province') {
    parts.push(r.provinceCode ? `COALESCE(${k}.province_code, SUBSTR(${k}.district_code, 1, 2)) = ${p.add(r.provinceCode)}` : '1 = 0');
  } else if (r.scope === 'district') {
    parts.push(r.districtCode ? `${k}.district_code = ${p.add(r.districtCode)} AND ${k}.confidential = ${p.add(false)}` : '1 = 0');
  }
  if (scope.district && r.scope !== 'district') parts.push(`${k}.district_code = ${p.add(scope.district)}`);
  return parts.length ? parts.join(' AND ') : '1 = 1';
}

/** The chats of a scope, given the SQL of a chat's district (NULL: the center's). */
export function chatScopeSql(scope: ReportScope, districtSql: string, centerDistrict: string | null, p: Params): string {
  const r = scope.reach;
  if (r.scope === 'all' && !scope.district) return '1 = 1';
  // A parameter is added only when used: PostgreSQL refuses one whose type it cannot tell.
  const district = `COALESCE(${districtSql}, ${centerDistrict ? p.add(centerDistrict) : 'NULL'})`;
  const parts: string[] = [];
  if (r.scope === 'province') parts.push(r.provinceCode ? `SUBSTR(${district}, 1, 2) = ${p.add(r.provinceCode)}` : '1 = 0');
  else if (r.scope === 'district') parts.push(r.districtCode ? `${district} = ${p.add(r.districtCode)}` : '1 = 0');
  if (scope.district && r.scope !== 'district') parts.push(`${district} = ${p.add(scope.district)}`);
  return parts.length ? parts.join(' AND ') : '1 = 1';
}
