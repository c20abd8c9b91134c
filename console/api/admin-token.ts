/**
 * What the token-protected admin APIs share until the console's accounts replace the token: the bearer check
 * (absent when no token is set, constant-time compare), who is acting (X-Actor), and the error a bad request
 * raises. One copy, so a fix to the check is a fix everywhere.
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

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
export function bearer(token: string | null) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!token) return void res.status(404).json({ message: 'Not found' });
    const given = Buffer.from(req.get('authorization')?.replace(/^Bearer\s+/i, '') ?? '');
    const want = Buffer.from(token);
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      return void res.status(401).json({ message: 'A valid bearer token is required' });
    }
    next();
  };
}

export const ACTOR_MAX = 64;

/**
 * Who to record: the console sends the officer's name; a script with the token is "admin-token". HTTP header
 * values are Latin-1 bytes, so a Thai name comes percent-encoded (encodeURIComponent) and is decoded here.
 */
export function actorOf(req: Request): string {
  const raw = req.get('x-actor')?.trim() ?? '';
  let actor = raw;
  try {
    actor = decodeURIComponent(raw).trim();
  } catch {
    // Not percent-encoding after all (a lone "%"): keep it as sent.
  }
  if (actor.length > ACTOR_MAX) throw new BadRequestError(`X-Actor is longer than ${ACTOR_MAX} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(actor)) throw new BadRequestError('X-Actor must not contain control characters');
  return actor === '' ? 'admin-token' : actor;
}
