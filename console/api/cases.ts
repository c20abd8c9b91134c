/**
 * A case for other systems (and scripts): read it, change its status with a public or internal note. Bearer
 * ADMIN_TOKEN and an X-Actor naming who asks; officers use the console (console/api/case-files.ts) instead. The
 * same rules as the console's (cases/reasons.ts: a reason to end, an agency to forward, no change to a closed
 * case); a public change is pushed to the citizen, an ending schedules the satisfaction survey. Every bad input
 * is a 4xx with a reason.
 */
import express, { type Router } from 'express';
import type { Database } from '../../storage/database';
import type { Logger } from '../../runtime/logger';
import { caseByNumber, caseView } from '../../cases/store';
import { changeCaseStatus } from '../../cases/notices';
import { parseTrackingNumber } from '../../flows/inputs/tracking-number';
import { checkStatusChange } from '../../cases/reasons';
import { scheduleJob } from '../../scheduler/jobs';
import { actorOf, bearer } from './admin-token';
import { HttpError } from './auth';
import { statusChangeBody, statusChangeRefusal } from './status-change';

export interface CasesAdminOptions {
  db: Database;
  token: string | null;
  logger: Pick<Logger, 'info' | 'error'>;
  /** The cases' clock: when the change happened (tests move it). */
  now?: () => number;
  /** The outbox sender's clock (default Date.now): the push is due at once by it, whatever `now` says. */
  outboxClock?: () => number;
  /** Called after a change queued a message for the citizen: wakes the outbox sender. */
  onQueued?: () => void;
}

export function casesAdminRouter(o: CasesAdminOptions): Router {
  const router = express.Router();
  const now = o.now ?? Date.now;
  router.use(bearer(o.token));
  router.use(express.json({ limit: '64kb' }));

  const number = (raw: string) => {
    const parsed = parseTrackingNumber(raw);
    return parsed.ok ? parsed.value.text : null;
  };

  router.get('/:number', async (req, res) => {
    const n = number(req.params.number);
    const row = n ? await caseByNumber(o.db, n) : null;
    if (!row) return void res.status(404).json({ message: 'No such case' });
    res.json(await caseView({ query: o.db.query.bind(o.db), dialect: o.db.dialect }, row));
  });

  router.post('/:number/status', async (req, res) => {
    const body = statusChangeBody.safeParse(req.body);
    if (!body.success) return void res.status(400).json({ message: 'Invalid status change', errors: body.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    const n = number(req.params.number);
    let actor: string;
    try {
      actor = actorOf(req);
    } catch (err) {
      return void res.status(400).json({ message: (err as Error).message });
    }
    const at = now();
    const change = { to: body.data.status, reason: body.data.reason || null, agency: body.data.agency || null };
    let done: boolean;
    try {
      done = await o.db.transaction(async (tx) => {
        const row = n ? await caseByNumber(tx, n) : null;
        if (!row) return false;
        const [current] = await tx.query<{ forwarded_to: string | null }>('SELECT forwarded_to FROM cases WHERE id = $1', [row.id]);
        const problem = checkStatusChange({ status: row.status, forwardedTo: current?.forwarded_to ?? null }, change);
        if (problem) throw statusChangeRefusal(problem, change.to);
        const c = { to: change.to, note: body.data.note || null, public: body.data.public, actorId: actor, reason: change.reason, forwardedTo: change.agency, now: at, sendAt: (o.outboxClock ?? Date.now)() };
        await changeCaseStatus(tx, row, c, async (job) => {
          await scheduleJob(tx, job, { replaceDone: true, now: at });
        });
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
  });

  // Malformed JSON and the like: a 400 with a reason, never a stack trace.
  router.use((err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (err.status && err.status < 500) return void res.status(err.status).json({ message: err.type === 'entity.too.large' ? 'Body too large' : 'Malformed JSON body' });
    o.logger.error({ err }, 'cases admin API failed');
    res.status(500).json({ message: 'Internal error' });
  });
  return router;
}
