import { z } from 'zod';
import type { Database } from '../../storage/database';
import { districtByCode, provinceByCode } from '../../flows/places/index';
import { burnVerification, hashPassword, passwordProblem, verifyPassword } from './passwords';
import { can, PermissionDeniedError, ROLES, type Actor, type Role } from './permissions';
import { recordAudit } from './audit';

/**
 * Officer accounts: created by an admin (the first one by the CLI), never by themselves; disabled, never deleted,
 * so the audit log keeps naming them. Login never locks an account (anyone could then keep its officer out):
 * failures are slowed down per source (login-backoff.ts) by the API in front.
 */
export interface Officer extends Actor {
  id: number;
  username: string;
  displayName: string;
  disabled: boolean;
  createdAt: number;
  createdBy: string;
  lastLoginAt: number | null;
  lockedUntil: number | null;
}

/** Who is acting: an officer from a session, or the CLI that creates the first admin. */
export interface ActingOfficer extends Actor {
  id: number | null;
  username: string;
}

export const CLI_ACTOR: ActingOfficer = { id: null, username: 'cli', role: 'admin', districtCode: null, provinceCode: null };

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;

export const newOfficerInput = z
  .strictObject({
    username: z
      .string()
      .trim()
      .toLowerCase()
      .regex(USERNAME, 'must be 3-32 characters: a-z, 0-9, dot, dash or underscore, starting with a letter or digit'),
    displayName: z.string().trim().min(1).max(100),
    role: z.enum(ROLES),
    districtCode: z.string().regex(/^\d{4}$/, 'must be a 4-digit DOPA district code').optional(),
    provinceCode: z.string().regex(/^\d{2}$/, 'must be a 2-digit province code').optional(),
    password: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.role === 'officer') {
      if (!v.districtCode) ctx.addIssue({ code: 'custom', path: ['districtCode'], message: 'an officer needs a district' });
      else if (!districtByCode(v.districtCode)) ctx.addIssue({ code: 'custom', path: ['districtCode'], message: `no district ${v.districtCode}` });
      if (v.provinceCode && v.districtCode && v.provinceCode !== v.districtCode.slice(0, 2)) {
        ctx.addIssue({ code: 'custom', path: ['provinceCode'], message: 'the district is not in this province' });
      }
    }
    if (v.role === 'supervisor') {
      if (!v.provinceCode) ctx.addIssue({ code: 'custom', path: ['provinceCode'], message: 'a supervisor needs a province' });
      else if (!provinceByCode(v.provinceCode)) ctx.addIssue({ code: 'custom', path: ['provinceCode'], message: `no province ${v.provinceCode}` });
      if (v.districtCode) ctx.addIssue({ code: 'custom', path: ['districtCode'], message: 'a supervisor has a province, not a district' });
    }
    if (v.role === 'admin' && (v.districtCode || v.provinceCode)) {
      ctx.addIssue({ code: 'custom', path: ['role'], message: 'an admin has neither district nor province' });
    }
    const weak = passwordProblem(v.password, v.username);
    if (weak) ctx.addIssue({ code: 'custom', path: ['password'], message: weak.message });
  });
export type NewOfficer = z.input<typeof newOfficerInput>;

export class OfficerInputError extends Error {
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super(`invalid officer: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'OfficerInputError';
  }
}

export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`the username ${username} is taken`);
    this.name = 'UsernameTakenError';
  }
}

export class OfficerNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`no officer ${id}`);
    this.name = 'OfficerNotFoundError';
  }
}

export class CannotDisableSelfError extends Error {
  constructor() {
    super('an admin cannot disable their own account');
    this.name = 'CannotDisableSelfError';
  }
}

export type LoginResult = { ok: true; officer: Officer } | { ok: false; reason: 'invalid' };

export interface OfficerStoreOptions {
  now?: () => number;
}

const COLUMNS =
  'id, username, display_name, role, district_code, province_code, disabled, created_at, created_by, last_login_at, locked_until';

interface Row {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  district_code: string | null;
  province_code: string | null;
  disabled: boolean | number;
  created_at: number;
  created_by: string;
  last_login_at: number | null;
  locked_until: number | null;
}

export function officerOf(r: Row): Officer {
  return {
    id: Number(r.id),
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    districtCode: r.district_code,
    provinceCode: r.province_code,
    disabled: !!r.disabled,
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
    lastLoginAt: r.last_login_at === null ? null : Number(r.last_login_at),
    lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
  };
}

export class OfficerStore {
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    o: OfficerStoreOptions = {},
  ) {
    this.now = o.now ?? Date.now;
  }

  async create(by: ActingOfficer, input: unknown, ip: string | null = null): Promise<Officer> {
    if (!can(by, 'officer.create')) throw new PermissionDeniedError('officer.create', {});
    const parsed = newOfficerInput.safeParse(input);
    if (!parsed.success) {
      throw new OfficerInputError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    }
    const v = parsed.data;
    const passwordHash = await hashPassword(v.password); // before the transaction: no other I/O inside one
    const at = this.now();
    const province = v.role === 'officer' ? v.districtCode!.slice(0, 2) : v.role === 'supervisor' ? v.provinceCode! : null;
    const row = await this.db.transaction(async (tx) => {
      const [inserted] = await tx.query<Row>(
        `INSERT INTO officer (username, display_name, role, district_code, province_code, password_hash, failed_logins,
                              disabled, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9)
         ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
        [v.username, v.displayName, v.role, v.role === 'officer' ? v.districtCode : null, province, passwordHash, false, at, by.username],
      );
      if (!inserted) return null;
      await recordAudit(tx, {
        officerId: by.id,
        action: 'officer.create',
        target: v.username,
        detail: { role: v.role, districtCode: inserted.district_code, provinceCode: inserted.province_code },
        ip,
        at,
      });
      return inserted;
    });
    if (!row) throw new UsernameTakenError(v.username);
    return officerOf(row);
  }

  async get(id: number): Promise<Officer | null> {
    const [row] = await this.db.query<Row>(`SELECT ${COLUMNS} FROM officer WHERE id = $1`, [id]);
    return row ? officerOf(row) : null;
  }

  async byUsername(username: string): Promise<Officer | null> {
    const [row] = await this.db.query<Row>(`SELECT ${COLUMNS} FROM officer WHERE username = $1`, [username.trim().toLowerCase()]);
    return row ? officerOf(row) : null;
  }

  async list(): Promise<Officer[]> {
    return (await this.db.query<Row>(`SELECT ${COLUMNS} FROM officer ORDER BY id`)).map(officerOf);
  }

  /** Disables the account and ends its sessions at once. */
  async disable(by: ActingOfficer, id: number, ip: string | null = null): Promise<Officer> {
    if (!can(by, 'officer.disable')) throw new PermissionDeniedError('officer.disable', {});
    if (by.id === id) throw new CannotDisableSelfError();
    const at = this.now();
    const row = await this.db.transaction(async (tx) => {
      const [updated] = await tx.query<Row>(`UPDATE officer SET disabled = $1 WHERE id = $2 RETURNING ${COLUMNS}`, [true, id]);
      if (!updated) return null;
      await tx.query('DELETE FROM console_session WHERE officer_id = $1', [id]);
      await recordAudit(tx, { officerId: by.id, action: 'officer.disable', target: updated.username, ip, at });
      return updated;
    });
    if (!row) throw new OfficerNotFoundError(id);
    return officerOf(row);
  }

  /** A new password ends every session of the account (and clears a lock-out left from the earlier scheme). */
  async setPassword(id: number, password: string): Promise<void> {
    const officer = await this.get(id);
    if (!officer) throw new OfficerNotFoundError(id);
    const weak = passwordProblem(password, officer.username);
    if (weak) throw weak;
    const passwordHash = await hashPassword(password);
    await this.db.transaction(async (tx) => {
      await tx.query('UPDATE officer SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2', [passwordHash, id]);
      await tx.query('DELETE FROM console_session WHERE officer_id = $1', [id]);
    });
  }

  /**
   * An unknown name, a disabled account and a wrong password give the same answer after the same work (one
   * argon2 verification, against a dummy hash when there is no account) and write nothing: nothing in the answer
   * or its timing tells whether the username exists.
   */
  async login(username: string, password: string): Promise<LoginResult> {
    const name = username.trim().toLowerCase();
    const [row] = USERNAME.test(name)
      ? await this.db.query<Row & { password_hash: string }>(`SELECT ${COLUMNS}, password_hash FROM officer WHERE username = $1`, [name])
      : [];
    if (!row || row.disabled) {
      await burnVerification(password);
      return { ok: false, reason: 'invalid' };
    }
    if (!(await verifyPassword(row.password_hash, password))) return { ok: false, reason: 'invalid' };
    const at = this.now();
    await this.db.query('UPDATE officer SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2', [at, row.id]);
    return { ok: true, officer: officerOf({ ...row, last_login_at: at, locked_until: null }) };
  }
}
