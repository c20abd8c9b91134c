/**
 * The retention purge in the console (privacy/retention.ts): its settings and the next daily run, the record of
 * runs with what each erased, a dry run on demand, and, for admins, a run now.
 *
 *   GET  /retention          supervisors and admins (retention.read)
 *   POST /retention/dry-run  supervisors and admins: what a run now would erase; a supervisor's list of cases is
 *                            their province's only. Recorded as a dry run, and audited (it lists tracking numbers).
 *   POST /retention/runs     admins (retention.run): a run now, carried out by the scheduler in small steps; 409
 *                            while another run is still erasing. Audited in the transaction that records it.
 */
import express, { type RequestHandler, type Router } from 'express';
import type { Database } from '../../storage/database';
import type { RetentionSettings } from '../../config/settings';
import { recordAudit } from '../auth/audit';
import { can } from '../auth/permissions';
import { actorOf, HttpError, requirePermission } from './auth';
import { recordDryRun } from '../../privacy/retention';
import { listRuns, runInProgress, stateOf, type RetentionRun } from '../../privacy/retention-runs';
import { periodOf, RETENTION_KINDS } from '../../privacy/retention-policy';
import { nextDailyRunAt, queueRetentionRun } from '../../privacy/jobs';

export interface RetentionApiOptions {
  db: Database;
  requireOfficer: RequestHandler;
  /** The server's retention settings: what a run started here uses, and what the page shows. */
  policy: RetentionSettings;
  /** The clock runs measure ages from (tests move it). */
  now?: () => number;
  /** A run was queued: wake the scheduler rather than wait for its next look. */
  onQueued?: () => void;
}

/** A run as the page shows it, with its state at `now` (running, done, failed, or stopped mid-way). */
const viewOf = (r: RetentionRun, now: number) => ({ ...r, nextStep: undefined, state: stateOf(r, now) });

export function retentionRouter(o: RetentionApiOptions): Router {
  const router = express.Router();
  const now = o.now ?? Date.now;
  const read = [o.requireOfficer, requirePermission('retention.read')];

  router.get('/retention', ...read, async (req, res) => {
    const { runs, nextRunAt } = await o.db.transaction(async (tx) => ({ runs: await listRuns(tx, 20), nextRunAt: await nextDailyRunAt(tx) }));
    res.json({
      settings: o.policy,
      periods: RETENTION_KINDS.map((kind) => ({ kind, ...periodOf(o.policy, kind) })),
      nextRunAt,
      runs: runs.map((r) => viewOf(r, now())),
      canRun: can(actorOf(req), 'retention.run'),
    });
  });

  router.post('/retention/dry-run', ...read, async (req, res) => {
    const actor = actorOf(req);
    const at = now();
    // An admin sees every due case; a supervisor those of their province (a case in no district is the admins').
    const provinceCode = actor.role === 'admin' ? undefined : actor.provinceCode;
    const { run, plan } = await o.db.transaction(async (tx) => {
      const done = await recordDryRun(tx, o.policy, {
        asOf: at,
        now: at,
        trigger: 'console',
        requestedBy: actor.username,
        ...(provinceCode !== undefined ? { provinceCode } : {}),
      });
      await recordAudit(tx, { officerId: actor.id, action: 'retention.dry_run', target: `retention ${done.run.id}`, detail: { casesListed: done.plan.cases.first.length }, ip: req.ip ?? null, at });
      return done;
    });
    res.json({ run: viewOf(run, at), plan });
  });

  router.post('/retention/runs', o.requireOfficer, requirePermission('retention.run'), async (req, res) => {
    const actor = actorOf(req);
    const at = now();
    const run = await o.db.transaction(async (tx) => {
      const busy = await runInProgress(tx, at);
      if (busy) throw new HttpError(409, 'A retention run is still in progress', { runId: busy.id });
      const queued = await queueRetentionRun(tx, { policy: o.policy, asOf: at, requestedBy: actor.username, trigger: 'console' });
      await recordAudit(tx, { officerId: actor.id, action: 'retention.run', target: `retention ${queued.id}`, detail: { asOf: at }, ip: req.ip ?? null, at });
      return queued;
    });
    o.onQueued?.();
    res.status(202).json({ run: viewOf(run, at) });
  });

  return router;
}
