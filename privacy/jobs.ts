/**
 * The retention purge as scheduled work. One job, `retention:daily`, runs every day at RETENTION_RUN_AT (Bangkok
 * time): its first attempt records a run, each attempt then takes one step of it (privacy/retention.ts stepRun) in
 * the scheduler's transaction and schedules itself again at once, until the run is finished; then it schedules
 * itself for the next day. A run asked for in the console is the same steps under a job of its own,
 * `retention:run:<id>`. The scheduler's claim makes one process work on a job at a time, across any number of
 * processes, and a restart goes on where the run stopped.
 *
 * A step that keeps failing (GIVE_UP_AFTER attempts) ends its run with the error recorded, for the console to show,
 * and the daily job goes on to the next day rather than being parked.
 */
import { cancelJob, jobsByKeyPrefix, scheduleJob, type JobHandler, type ScheduledJob } from '../scheduler';
import type { Logger } from '../runtime/logger';
import type { Database, Tx } from '../storage/database';
import type { RetentionSettings } from '../config/settings';
import { errorText, stepRun } from './retention';
import { nextRunAt } from './retention-policy';
import { failRun, runById, startRun, type RetentionRun } from './retention-runs';

export const RETENTION_JOB = 'retention.run';
export const DAILY_RETENTION_KEY = 'retention:daily';
export const runJobKey = (runId: number): string => `retention:run:${runId}`;

/** Attempts of one step before its run is ended with the error (the scheduler would park the job after 5). */
export const GIVE_UP_AFTER = 3;

interface RetentionJobPayload {
  /** The run in progress; absent on the daily job between runs. */
  runId?: number;
}

export interface RetentionJobDeps {
  /** The settings a new daily run uses (the server's). */
  policy: RetentionSettings;
}

export function retentionJobHandlers(deps: RetentionJobDeps): Record<string, JobHandler<RetentionJobPayload | null>> {
  return {
    [RETENTION_JOB]: async (job, tx, ctx) => {
      const daily = job.key === DAILY_RETENTION_KEY;
      const runId =
        job.payload?.runId ??
        (daily ? (await startRun(tx, { trigger: 'schedule', dryRun: false, asOf: ctx.now, policy: deps.policy, now: ctx.now })).id : null);
      if (runId === null) return;
      let finished: boolean;
      await tx.query('SAVEPOINT retention_step');
      try {
        finished = (await stepRun(tx, runId, ctx.now)).finished;
        await tx.query('RELEASE SAVEPOINT retention_step');
      } catch (err) {
        // Retried with the scheduler's backoff a few times; then the run ends with its error, and the job goes on.
        if (job.attempts < GIVE_UP_AFTER) throw err;
        await tx.query('ROLLBACK TO SAVEPOINT retention_step');
        await failRun(tx, runId, errorText(err), ctx.now);
        ctx.logger.error({ err, runId }, 'retention run ended with an error');
        finished = true;
      }
      if (!finished) await ctx.schedule({ kind: RETENTION_JOB, key: job.key, runAt: ctx.now, payload: { runId } });
      else if (daily && deps.policy.runAt) await ctx.schedule({ kind: RETENTION_JOB, key: job.key, runAt: nextRunAt(ctx.now, deps.policy.runAt), payload: {} });
      if (finished) ctx.logger.info({ runId }, 'retention run finished');
    },
  };
}

/**
 * At start: the daily job exists and is due at the next RETENTION_RUN_AT (moved there when the setting changed), or,
 * with RETENTION_RUN_AT=off, is cancelled; a run in progress is left to finish either way. A job parked as failed
 * (its handler missing during a rolling deploy, say) ends its run with the job's error and is scheduled again.
 */
export async function ensureDailyRetention(db: Pick<Database, 'transaction'>, runAt: string | null, now: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [job] = await tx.query<{ status: string; payload: string; last_error: string | null }>(
      'SELECT status, payload, last_error FROM scheduled_job WHERE job_key = $1',
      [DAILY_RETENTION_KEY],
    );
    const runId = job ? (JSON.parse(job.payload) as RetentionJobPayload | null)?.runId : undefined;
    const open = job?.status === 'pending' || job?.status === 'running';
    if (open && runId !== undefined) return;
    if (job?.status === 'failed' && runId !== undefined) await failRun(tx, runId, job.last_error ?? 'the job was parked as failed', now);
    if (runAt === null) {
      if (open) await cancelJob(tx, DAILY_RETENTION_KEY, now);
      return;
    }
    if (job?.status === 'running') return;
    await scheduleJob(tx, { kind: RETENTION_JOB, key: DAILY_RETENTION_KEY, runAt: nextRunAt(now, runAt), payload: {} }, { replaceDone: true, now });
  });
}

/**
 * A run asked for now (the console's "run now"): recorded, and its job due at once, in the caller's transaction.
 * The scheduler takes it at its next look (or when woken).
 */
export async function queueRetentionRun(
  tx: Tx,
  o: { policy: RetentionSettings; asOf: number; requestedBy: string | null; trigger: 'console' | 'command' },
): Promise<RetentionRun> {
  const run = await startRun(tx, { trigger: o.trigger, dryRun: false, asOf: o.asOf, policy: o.policy, requestedBy: o.requestedBy, now: o.asOf });
  await scheduleJob(tx, { kind: RETENTION_JOB, key: runJobKey(run.id), runAt: o.asOf, payload: { runId: run.id } }, { now: o.asOf });
  return run;
}

/** When the next daily run is due, as the scheduler has it; null when none is (RETENTION_RUN_AT=off, or mid-run). */
export async function nextDailyRunAt(q: Pick<Tx, 'query'>): Promise<number | null> {
  const [job] = await jobsByKeyPrefix<RetentionJobPayload | null>(q, DAILY_RETENTION_KEY);
  return job && job.key === DAILY_RETENTION_KEY && job.status === 'pending' && job.payload?.runId === undefined ? job.runAt : null;
}

/**
 * For the scheduler's onJobDone: once the run a retention job carried is finished, the erased bytes are flushed out
 * of the SQLite file too (Database.flushErased), outside any transaction.
 */
export function afterRetentionJob(db: Pick<Database, 'flushErased' | 'query'>, logger: Pick<Logger, 'warn'>): (job: ScheduledJob) => void {
  return (job) => {
    const runId = job.kind === RETENTION_JOB ? (job.payload as RetentionJobPayload | null)?.runId : undefined;
    if (runId === undefined) return;
    void (async () => {
      if ((await runById(db, runId))?.finishedAt !== null) await db.flushErased();
    })().catch((err: unknown) => logger.warn({ err }, 'erased data not yet flushed from the database file; the next checkpoint will'));
  };
}
