/**
 * What the token-protected admin APIs share until the console's accounts replace the token: the bearer check
 * (absent when no token is set, constant-time compare), who is acting, and the error a bad request raises. One
 * copy, so a fix to the check is a fix everywhere.
 *
 * Who is acting is the token's holder, named in the settings (ADMIN_TOKEN_HOLDER), never what the caller says:
 * a token is one secret, so whoever sends it acts as the person it was given to, and the audit log names them.
 * An X-Actor header, which scripts used to send, is ignored.
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Tx } from '../../storage/database';
import { recordAudit } from '../auth/audit';

/** The admin token and the one person it was given to. */
export interface AdminToken {
  secret: string;
  holder: string;
}

/** Malformed input: the request, not the server, is wrong. */
export class BadRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly errors?: unknown[],
  ) {
    super(message);
    this.name = 'BadRequestError';
  }
}

/** 404 when no token is configured (the API is off), 401 for a missing or wrong one. */
export function bearer(token: AdminToken | string | null) {
  const secret = typeof token === 'string' ? token : (token?.secret ?? null);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!secret) return void res.status(404).json({ message: 'Not found' });
    const given = Buffer.from(req.get('authorization')?.replace(/^Bearer\s+/i, '') ?? '');
    const want = Buffer.from(secret);
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      return void res.status(401).json({ message: 'A valid bearer token is required' });
    }
    next();
  };
}

/** The actor of every change made with the token: its holder (the route only runs after bearer() let it in). */
export function holderOf(token: AdminToken | null): string {
  if (!token) throw new Error('the admin API is off: no ADMIN_TOKEN');
  return token.holder;
}

/**
 * Writes a change made with the token to the audit log, as its holder. In the change's own transaction when the
 * caller has one, so neither exists without the other.
 */
export async function auditTokenChange(
  q: Pick<Tx, 'query'>,
  token: AdminToken | null,
  req: Request,
  change: { action: string; target: string; detail?: Record<string, unknown>; at?: number },
): Promise<void> {
  await recordAudit(q, {
    officerId: null,
    tokenHolder: holderOf(token),
    action: change.action,
    target: change.target,
    detail: change.detail ?? null,
    ip: req.ip ?? null,
    ...(change.at !== undefined ? { at: change.at } : {}),
  });
}
