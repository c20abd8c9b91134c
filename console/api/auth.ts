/**
 * The console's accounts API, mounted at /console/api: login, logout, who am I, officer accounts and the audit
 * log. Every decision is taken here on the server from the session, never by the page: requireOfficer() turns
 * the session cookie into req.officer (401 without), checks the CSRF token on every request but GET (403) and
 * rate-limits per session (429); requirePermission(action, targetOf) asks permissions.ts (403, or 404 for a
 * target that does not exist). Other console routers use the same two.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../storage/database';
import type { Logger } from '../../runtime/logger';
import {
  CannotDisableSelfError,
  OfficerInputError,
  OfficerNotFoundError,
  OfficerStore,
  UsernameTakenError,
  type ActingOfficer,
  type Officer,
} from '../auth/officers';
import { clearedSessionCookie, csrfMatches, sessionCookie, SessionStore, tokenFromCookieHeader, type CurrentSession } from '../auth/sessions';
import { can, PermissionDeniedError, type Action, type Target } from '../auth/permissions';
import { auditLog, recordAudit } from '../auth/audit';
import { LoginBackoff, type LoginBackoffOptions } from '../auth/login-backoff';
import { FixedWindowLimiter } from '../rate-limit';
import { securityHeaders } from '../security-headers';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in officer, set by requireOfficer(). */
    officer?: Officer;
    consoleSession?: CurrentSession;
  }
}

export interface ConsoleAuthOptions {
  db: Database;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  settings?: {
    /** Secure cookies (and HSTS) even when req.secure is false: TLS ends at a proxy that does not say so. */
    secureCookies?: boolean;
  };
  /** The clock of sessions, login back-off and rate limits (tests move it). */
  now?: () => number;
  /**
   * Sign-in attempts a minute from one address, and for one username from one address (not for one username
   * from everywhere: that would be a lock-out anyone could set off); requests a minute per session.
   */
  limits?: { loginPerIpPerMinute?: number; loginPerUsernamePerMinute?: number; apiPerSessionPerMinute?: number };
  sessions?: { idleMs?: number; absoluteMs?: number };
  /** The growing wait after failed logins, per (username, address) and per address (console/auth/login-backoff.ts). */
  backoff?: Omit<LoginBackoffOptions, 'now'>;
}

export interface ConsoleAuth {
  router: Router;
  officers: OfficerStore;
  sessions: SessionStore;
  /** Session cookie → req.officer; 401 without a live session, 403 without the CSRF token, 429 past the limit. */
  requireOfficer(): RequestHandler;
}

/** One answer for every failed login: it must not tell a wrong name from a wrong password. */
export const LOGIN_FAILED = 'Wrong username or password';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MINUTE = 60_000;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The acting officer of a request that passed requireOfficer(). */
export function actorOf(req: Request): ActingOfficer {
  const o = req.officer;
  if (!o) throw new HttpError(401, 'Sign in required');
  return { id: o.id, username: o.username, role: o.role, districtCode: o.districtCode, provinceCode: o.provinceCode };
}

/**
 * Refuses the request unless the signed-in officer may do `action` to the request's target. targetOf reads the
 * target from the database (a case's district and confidentiality), never from what the page claims. It answers
 * null when there is no such target: 404. A refusal is 403, or 404 with `hideRefused`, for routes where even a
 * case's existence must not be told to someone who may not see it.
 */
export function requirePermission(
  action: Action,
  targetOf: (req: Request) => Target | null | Promise<Target | null> = () => ({}),
  o: { hideRefused?: boolean } = {},
): RequestHandler {
  return async (req, _res, next) => {
    const actor = actorOf(req);
    const target = await targetOf(req);
    if (!target) throw new HttpError(404, 'Not found');
    if (!can(actor, action, target)) throw o.hideRefused ? new HttpError(404, 'Not found') : new HttpError(403, 'Not permitted');
    next();
  };
}

const loginBody = z.object({ username: z.string().max(200), password: z.string().max(1000) });

const auditQuery = z.strictObject({
  officer: z.coerce.number().int().positive().optional(),
  action: z.string().max(64).optional(),
  target: z.string().max(64).optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export function createConsoleAuth(o: ConsoleAuthOptions): ConsoleAuth {
  const now = o.now ?? Date.now;
  const officers = new OfficerStore(o.db, { now });
  const backoff = new LoginBackoff({ now, ...o.backoff });
  const sessions = new SessionStore(o.db, { now, ...o.sessions });
  const loginPerIp = new FixedWindowLimiter({ limit: o.limits?.loginPerIpPerMinute ?? 10, windowMs: MINUTE, now });
  const loginPerUser = new FixedWindowLimiter({ limit: o.limits?.loginPerUsernamePerMinute ?? 10, windowMs: MINUTE, now });
  const apiPerSession = new FixedWindowLimiter({ limit: o.limits?.apiPerSessionPerMinute ?? 300, windowMs: MINUTE, now });
  const secureOf = (req: Request) => req.secure || !!o.settings?.secureCookies;

  const tooMany = (res: Response, retryAfterMs: number) => {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    throw new HttpError(429, 'Too many requests; try again later');
  };

  const requireOfficer = (): RequestHandler => async (req, res, next) => {
    const token = tokenFromCookieHeader(req.get('cookie'));
    const session = token ? await sessions.resume(token) : null;
    if (!session) throw new HttpError(401, 'Sign in required');
    const limited = apiPerSession.hit(session.id);
    if (!limited.ok) tooMany(res, limited.retryAfterMs);
    if (!SAFE_METHODS.has(req.method) && !csrfMatches(session.csrfToken, req.get('x-csrf-token'))) {
      throw new HttpError(403, 'A valid X-CSRF-Token header is required');
    }
    req.officer = session.officer;
    req.consoleSession = session;
    next();
  };

  const router = express.Router();
  router.use(securityHeaders({ https: !!o.settings?.secureCookies }));
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store'); // answers carry personal data and CSRF tokens
    next();
  });
  router.use(express.json({ limit: '32kb' }));
  const signedIn = requireOfficer();

  router.post('/login', async (req, res) => {
    // JSON only: a cross-site form cannot send it without a CORS preflight, which this API never grants.
    if (!req.is('application/json')) throw new HttpError(415, 'Send JSON: {"username": ..., "password": ...}');
    const ip = req.ip ?? 'unknown';
    const byIp = loginPerIp.hit(ip);
    if (!byIp.ok) tooMany(res, byIp.retryAfterMs);
    const body = loginBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'username and password are required');
    const username = body.data.username.trim().toLowerCase();
    const byUser = loginPerUser.hit(`${username}\u0000${ip}`);
    if (!byUser.ok) tooMany(res, byUser.retryAfterMs);
    // Before the password is looked at, and the same for a username that exists and one that does not.
    const wait = backoff.waitMs(username, ip);
    if (wait > 0) tooMany(res, wait);
    const result = await officers.login(body.data.username, body.data.password);
    if (!result.ok) {
      backoff.failed(username, ip);
      o.logger.warn({ username: body.data.username.slice(0, 64), ip: req.ip, reason: result.reason }, 'console login refused');
      throw new HttpError(401, LOGIN_FAILED);
    }
    backoff.succeeded(username, ip);
    const officer = result.officer;
    const started = await sessions.start(officer.id, { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null });
    await recordAudit(o.db, { officerId: officer.id, action: 'session.login', target: officer.username, ip: req.ip ?? null, at: now() });
    res.setHeader('Set-Cookie', sessionCookie(started.token, secureOf(req)));
    o.logger.info({ officer: officer.id, session: started.id.slice(0, 12) }, 'console login');
    res.json({ officer, csrfToken: started.csrfToken, expiresAt: started.expiresAt });
  });

  router.post('/logout', signedIn, async (req, res) => {
    const token = tokenFromCookieHeader(req.get('cookie'));
    if (token) await sessions.end(token);
    res.setHeader('Set-Cookie', clearedSessionCookie(secureOf(req)));
    res.status(204).end();
  });

  router.get('/session', signedIn, (req, res) => {
    const s = req.consoleSession!;
    res.json({ officer: s.officer, csrfToken: s.csrfToken, expiresAt: s.expiresAt, idleExpiresAt: s.idleExpiresAt });
  });

  router.get('/officers', signedIn, requirePermission('officer.create'), async (_req, res) => {
    res.json({ officers: await officers.list() });
  });

  router.post('/officers', signedIn, requirePermission('officer.create'), async (req, res) => {
    const created = await officers.create(actorOf(req), req.body, req.ip ?? null);
    o.logger.info({ officer: created.id, role: created.role, by: req.officer!.id }, 'officer account created');
    res.status(201).json(created);
  });

  router.post('/officers/:id/disable', signedIn, requirePermission('officer.disable'), async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(404, 'No such officer');
    const disabled = await officers.disable(actorOf(req), id, req.ip ?? null);
    o.logger.info({ officer: id, by: req.officer!.id }, 'officer account disabled');
    res.json(disabled);
  });

  router.get('/audit', signedIn, requirePermission('audit.read'), async (req, res) => {
    const q = auditQuery.safeParse(req.query);
    if (!q.success) throw new HttpError(400, 'Invalid filter', { errors: q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    const { officer, before, ...rest } = q.data;
    const entries = await auditLog(o.db, { ...rest, ...(officer ? { officerId: officer } : {}), ...(before ? { beforeId: before } : {}) });
    res.json({ entries });
  });

  router.use(consoleErrorHandler(o.logger));
  return { router, officers, sessions, requireOfficer };
}

/** The router alone, for server/app.ts: `app.use('/console/api', consoleAuthRouter({db, logger}))`. */
export function consoleAuthRouter(o: ConsoleAuthOptions): Router {
  return createConsoleAuth(o).router;
}

/** Every refusal as JSON {message}; never a stack trace. Other console routers may mount it too. */
export function consoleErrorHandler(logger: Pick<Logger, 'error'>) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof HttpError) return void res.status(err.status).json({ message: err.message, ...err.extra });
    if (err instanceof PermissionDeniedError) return void res.status(403).json({ message: 'Not permitted' });
    if (err instanceof OfficerInputError) return void res.status(400).json({ message: 'Invalid officer', errors: err.issues });
    if (err instanceof UsernameTakenError) return void res.status(409).json({ message: err.message });
    if (err instanceof CannotDisableSelfError) return void res.status(409).json({ message: err.message });
    if (err instanceof OfficerNotFoundError) return void res.status(404).json({ message: 'No such officer' });
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return void res.status(status).json({ message: status === 413 ? 'Request too large' : 'Malformed request' });
    }
    logger.error({ err }, 'console API error');
    res.status(500).json({ message: 'Internal error' });
  };
}
