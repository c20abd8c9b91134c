/**
 * A case for other systems (and scripts), mounted at /api/admin/cases: read it, change its status with a public
 * or internal note. Bearer ADMIN_TOKEN, acting as its holder (audited); officers use the console (index.ts)
 * instead. The same rules as the console's (status-change.ts: a reason to end, an agency to forward, no change
 * to a closed case); a public change is pushed to the citizen, an ending schedules the satisfaction survey.
 * Every bad input is a 4xx with a reason.
 */
import express, { type RequestHandler, type Router } from 'express';
import type { Database } from '../../../storage/database';
import type { Logger } from '../../../runtime/logger';
import { caseByNumber, caseView } from '../../../cases/store';
import { parseTrackingNumber } from '../../../flows/inputs/tracking-number';
import { auditTokenChange, bearer, holderOf, type AdminToken } from '../admin-token';
import { HttpError } from '../auth';
import { applyStatusChange, statusChangeBody } from './status-change';

export interface CasesAdminOptions {
  db: Database;
  /** Every change is made as the token's holder, in the case's timeline and in the audit log. */
  token: AdminToken | null;
  logger: Pick<Logger, 'info' | 'error'>;
  /** The cases' clock: when the change happened (tests move it). */
  now?: () => number;
  /** The outbox sender's clock (default Date.now): the push is due at once by it, whatever `now` says. */
  outboxClock?: () => number;
  /** Called after a change queued a message for the citizen: wakes the outbox sender. */
  onQueued?: () => void;
}

const numberOf = (raw: string) => {
  const parsed = parseTrackingNumber(raw);
  return parsed.ok ? parsed.value.text : null;
};

/** GET /:number: the case as its citizen sees it. */
function readCase(o: CasesAdminOptions): RequestHandler<{ number: string }> {
  return async (req, res) => {
    const n = numberOf(req.params.number);
    const row = n ? await caseByNumber(o.db, n) : null;
    if (!row) return void res.status(404).json({ message: 'No such case' });
    res.json(await caseView({ query: o.db.query.bind(o.db), dialect: o.db.dialect }, row));
  };
}

/** POST /:number/status: statusChangeBody, by the token's holder. */
function changeStatus(o: CasesAdminOptions): RequestHandler<{ number: string }> {
  return async (req, res) => {
    const body = statusChangeBody.safeParse(req.body);
    if (!body.success) return void res.status(400).json({ message: 'Invalid status change', errors: body.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    const n = numberOf(req.params.number);
    const actor = holderOf(o.token);
    const at = (o.now ?? Date.now)();
    let done: boolean;
    try {
      done = await o.db.transaction(async (tx) => {
        if (!n || !(await applyStatusChange(tx, n, { body: body.data, actorId: actor, at, sendAt: (o.outboxClock ?? Date.now)() }))) return false;
        await auditTokenChange(tx, o.token, req, { action: 'case.status_change', target: n, detail: { status: body.data.status, public: body.data.public }, at });
        return true;
      });
    } catch (err) {
      if (err instanceof HttpError) return void res.status(err.status).json({ message: err.message, ...err.extra });
      throw err;
    }
    if (!done) return void res.status(404).json({ message: 'No such case' });
    o.logger.info({ case: n, status: body.data.status, public: body.data.public, actor }, 'case status changed');
    o.onQueued?.();
    res.json({ ok: true });
  };
}

export function casesAdminRouter(o: CasesAdminOptions): Router {
  const router = express.Router();
  router.use(bearer(o.token));
  router.use(express.json({ limit: '64kb' }));
  router.get('/:number', readCase(o));
  router.post('/:number/status', changeStatus(o));
  // Malformed JSON and the like: a 400 with a reason, never a stack trace.
  router.use((err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (err.status && err.status < 500) return void res.status(err.status).json({ message: err.type === 'entity.too.large' ? 'Body too large' : 'Malformed JSON body' });
    o.logger.error({ err }, 'cases admin API failed');
    res.status(500).json({ message: 'Internal error' });
  });
  return router;
}
