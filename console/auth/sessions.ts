import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../storage/database';
import { officerOf, type Officer } from './officers';

/**
 * Console sessions. The cookie carries 32 random bytes; the database holds only their SHA-256, so reading the
 * table (a backup, a leaked dump) opens no session. A session ends after 30 idle minutes or 12 hours in all,
 * at logout, and when its account is disabled or its password changed. Each carries a CSRF token that every
 * request other than GET must echo in X-CSRF-Token: SameSite=Strict already keeps the cookie off other sites'
 * requests, the token covers older browsers and same-site subdomains.
 */
export const SESSION_COOKIE = 'echannel_session';
/** Over HTTPS: the __Host- prefix makes the browser refuse it unless Secure, Path=/ and without Domain. */
export const SECURE_SESSION_COOKIE = '__Host-echannel_session';

export interface SessionOptions {
  now?: () => number;
  idleMs?: number;
  absoluteMs?: number;
}

export interface CurrentSession {
  /** SHA-256 of the token (hex): the row's id, safe to log. */
  id: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  /** When the session ends if nothing happens (idle or absolute, whichever first). */
  idleExpiresAt: number;
  officer: Officer;
}

export interface StartedSession {
  token: string;
  id: string;
  csrfToken: string;
  expiresAt: number;
}

/** Seen within this long: last_seen_at is not rewritten (a page's burst of requests writes once). */
const TOUCH_EVERY_MS = 10_000;

export const sessionIdOf = (token: string): string => createHash('sha256').update(token).digest('hex');

export class SessionStore {
  readonly idleMs: number;
  readonly absoluteMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    o: SessionOptions = {},
  ) {
    this.now = o.now ?? Date.now;
    this.idleMs = o.idleMs ?? 30 * 60_000;
    this.absoluteMs = o.absoluteMs ?? 12 * 60 * 60_000;
  }

  async start(officerId: number, from: { ip?: string | null; userAgent?: string | null } = {}): Promise<StartedSession> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const id = sessionIdOf(token);
    const at = this.now();
    const expiresAt = at + this.absoluteMs;
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM console_session WHERE expires_at <= $1 OR last_seen_at <= $2', [at, at - this.idleMs]);
      await tx.query(
        `INSERT INTO console_session (id, officer_id, csrf_token, created_at, expires_at, last_seen_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $4, $6, $7)`,
        [id, officerId, csrfToken, at, expiresAt, from.ip?.slice(0, 64) ?? null, from.userAgent?.slice(0, 255) ?? null],
      );
    });
    return { token, id, csrfToken, expiresAt };
  }

  /** The live session of a token, or null: unknown, expired (then deleted), or its account disabled. */
  async resume(token: string): Promise<CurrentSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const id = sessionIdOf(token);
    const [row] = await this.db.query<Record<string, unknown>>(
      `SELECT s.csrf_token, s.created_at, s.expires_at, s.last_seen_at,
              o.id, o.username, o.display_name, o.role, o.district_code, o.province_code, o.disabled, o.created_at AS o_created_at,
              o.created_by, o.last_login_at, o.locked_until
         FROM console_session s JOIN officer o ON o.id = s.officer_id
        WHERE s.id = $1`,
      [id],
    );
    if (!row) return null;
    const at = this.now();
    const expiresAt = Number(row.expires_at);
    const lastSeen = Number(row.last_seen_at);
    if (at >= expiresAt || at - lastSeen >= this.idleMs || row.disabled) {
      await this.db.query('DELETE FROM console_session WHERE id = $1', [id]);
      return null;
    }
    let seen = lastSeen;
    if (at - lastSeen >= TOUCH_EVERY_MS) {
      await this.db.query('UPDATE console_session SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1', [at, id]);
      seen = at;
    }
    const officer = officerOf({ ...row, created_at: row.o_created_at } as unknown as Parameters<typeof officerOf>[0]);
    return {
      id,
      csrfToken: String(row.csrf_token),
      createdAt: Number(row.created_at),
      expiresAt,
      idleExpiresAt: Math.min(expiresAt, seen + this.idleMs),
      officer,
    };
  }

  async end(token: string): Promise<void> {
    await this.db.query('DELETE FROM console_session WHERE id = $1', [sessionIdOf(token)]);
  }
}

/**
 * The session is still there: not ended by a logout (on another tab) nor swept as expired. A long-lived request
 * (the chat's live stream) asks this as it goes, so it ends with its session.
 */
export async function sessionExists(q: Pick<Database, 'query'>, id: string): Promise<boolean> {
  const [alive] = await q.query('SELECT 1 AS one FROM console_session WHERE id = $1', [id]);
  return !!alive;
}

/** Constant-time comparison of the session's CSRF token with the one a request sent. */
export function csrfMatches(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const cookieName = (secure: boolean): string => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

/**
 * The Set-Cookie value. No Max-Age: the browser forgets it when closed; the server's expiry is what counts.
 */
export function sessionCookie(token: string, secure: boolean): string {
  return `${cookieName(secure)}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${cookieName(secure)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The session token of a Cookie header: the __Host- cookie when both are present. */
export function tokenFromCookieHeader(header: string | undefined): string | null {
  if (!header) return null;
  let plain: string | null = null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === SECURE_SESSION_COOKIE && value) return value;
    if (name === SESSION_COOKIE && value) plain = value;
  }
  return plain;
}
