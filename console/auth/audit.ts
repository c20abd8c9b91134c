import type { Tx } from '../../storage/database';
import { maskPersonalNumbers } from '../../runtime/logger';

/**
 * The audit log: every view of a case's personal data, and every change to accounts, as who, what, when, from
 * where (PDPA: least privilege is only believable when its use can be read back). Written in the same
 * transaction as the change it records when there is one, so neither exists without the other. Read by admins.
 */
type Queryable = Pick<Tx, 'query'>;

export interface AuditRecord {
  officerId: number | null;
  /**
   * Who acted when no officer did: the holder of ADMIN_TOKEN (console/api/admin-token.ts). Kept in the detail
   * (the table has no column for it) and shown as the entry's username, marked as the token's.
   */
  tokenHolder?: string;
  /** What was done: 'case.view_personal', 'officer.create', 'session.login' ... */
  action: string;
  /** What it was done to: a tracking number, an officer's username. */
  target?: string | null;
  /** A little context, never a national ID or phone number (masked here in case one slips in). */
  detail?: Record<string, unknown> | null;
  ip?: string | null;
  at?: number;
}

export interface AuditEntry {
  id: number;
  at: number;
  officerId: number | null;
  username: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditFilters {
  officerId?: number;
  action?: string;
  target?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** Page back from this id (the smallest id of the page before). */
  beforeId?: number;
  limit?: number;
}

export const AUDIT_PAGE_MAX = 500;
/** After a token holder's name in the log, so nobody takes it for an officer's account. */
export const TOKEN_HOLDER_MARK = '(ADMIN_TOKEN)';

export async function recordView(q: Queryable, r: AuditRecord): Promise<void> {
  const all = r.tokenHolder !== undefined ? { ...r.detail, tokenHolder: r.tokenHolder } : r.detail;
  const detail = all ? maskPersonalNumbers(JSON.stringify(all)) : null;
  await q.query('INSERT INTO audit_log (at, officer_id, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6)', [
    r.at ?? Date.now(),
    r.officerId,
    r.action.slice(0, 64),
    r.target ? maskPersonalNumbers(r.target).slice(0, 64) : null,
    detail,
    r.ip?.slice(0, 64) ?? null,
  ]);
}

/** The same write: recordView reads better at a case, recordAudit at an account change. */
export const recordAudit = recordView;

interface Row {
  id: number;
  at: number;
  officer_id: number | null;
  username: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

/** Newest first. */
export async function auditLog(q: Queryable, f: AuditFilters = {}): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.officerId !== undefined) add('a.officer_id = ?', f.officerId);
  if (f.action !== undefined) add('a.action = ?', f.action);
  if (f.target !== undefined) add('a.target = ?', f.target);
  if (f.from !== undefined) add('a.at >= ?', f.from);
  if (f.to !== undefined) add('a.at < ?', f.to);
  if (f.beforeId !== undefined) add('a.id < ?', f.beforeId);
  params.push(Math.max(1, Math.min(f.limit ?? 100, AUDIT_PAGE_MAX)));
  const rows = await q.query<Row>(
    `SELECT a.id, a.at, a.officer_id, o.username, a.action, a.target, a.detail, a.ip
       FROM audit_log a LEFT JOIN officer o ON o.id = a.officer_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY a.id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => {
    const detail = r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null;
    const holder = r.officer_id === null && typeof detail?.tokenHolder === 'string' ? detail.tokenHolder : null;
    return {
      id: Number(r.id),
      at: Number(r.at),
      officerId: r.officer_id === null ? null : Number(r.officer_id),
      username: r.username ?? (holder !== null ? `${holder} ${TOKEN_HOLDER_MARK}` : null),
      action: r.action,
      target: r.target,
      detail,
      ip: r.ip,
    };
  });
}
