/**
 * Officers as other pages name them: display names for a case's timeline and assignee, a district's officers a
 * case may be assigned to, and one officer checked before an assignment. Accounts themselves (creating,
 * disabling, signing in) are officers.ts.
 */
import type { Tx } from '../../storage/database';
import { boolFor } from '../../cases/store';

type Queryable = Pick<Tx, 'query'>;

/** Officers' display names by id (one query, whatever the count); an unknown id is simply absent. */
export async function officerNames(q: Queryable, ids: Iterable<number>): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await q.query<{ id: number | string; display_name: string }>(
    `SELECT id, display_name FROM officer WHERE id IN (${unique.map((_, i) => `$${i + 1}`).join(', ')})`,
    unique,
  );
  return new Map(rows.map((r) => [Number(r.id), r.display_name]));
}

export interface Assignee {
  id: number;
  name: string;
  role: string;
}

/** The district's enabled accounts, by name: who a case of the district may be assigned to. */
export async function districtAssignees(q: Pick<Tx, 'query' | 'dialect'>, districtCode: string): Promise<Assignee[]> {
  const officers = await q.query<{ id: number | string; display_name: string; role: string }>(
    'SELECT id, display_name, role FROM officer WHERE district_code = $1 AND disabled = $2 ORDER BY display_name, id',
    [districtCode, boolFor(q, false)],
  );
  return officers.map((x) => ({ id: Number(x.id), name: x.display_name, role: x.role }));
}

/** An account a case is to be assigned to, or null when there is none or it is disabled. */
export async function assignableOfficer(q: Queryable, id: number): Promise<{ id: number; districtCode: string | null; name: string } | null> {
  const [officer] = await q.query<{ id: number; district_code: string | null; disabled: unknown; display_name: string }>(
    'SELECT id, district_code, disabled, display_name FROM officer WHERE id = $1',
    [id],
  );
  if (!officer || officer.disabled === true || Number(officer.disabled) === 1) return null;
  return { id: Number(officer.id), districtCode: officer.district_code, name: officer.display_name };
}
