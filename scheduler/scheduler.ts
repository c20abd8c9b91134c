import type { Database, Tx } from '../storage/database';
import type { Logger } from '../runtime/logger';
import { ClaimLoop, LoopService } from '../runtime/claim-loop';
import { claimDueJobs, failJob, releaseJobs, renewJobLeases, takeJob } from './claims';
import { DuplicateHandlerError, JobAbandonedError, JobLeaseLostError, UnknownJobKindError } from './errors';
import { cancelJob, scheduleJob, toJob, type JobRow, type JobSpec, type ScheduleOptions, type ScheduleOutcome, type ScheduledJob } from './jobs';

/** What a handler gets besides its job and the transaction. */
export interface JobContext {
  /** The scheduler's clock when this attempt began (epoch ms). */
  readonly now: number;
  readonly logger: Logger;
  /**
   * Schedules a job in this transaction (e.g. the next progress notice 15 days on). Scheduling the job's own key
   * makes it pending again at the new time: a recurring job keeps one row.
   */
  schedule(spec: JobSpec, opts?: Omit<ScheduleOptions, 'now'>): Promise<ScheduleOutcome>;
  /** Cancels another job in this transaction. */
  cancel(key: string): Promise<boolean>;
}

/**
 * Does a job's work inside the transaction that also marks it done: its effects (outbox rows, case events) commit
 * once or not at all. On SQLite the transaction is shared by many units (group commit): await nothing but
 * tx.query (and ctx.schedule / ctx.cancel) in here, no network. Throwing rolls the work back and retries the job.
 */
export type JobHandler<P = unknown> = (job: ScheduledJob<P>, tx: Tx, ctx: JobContext) => Promise<void>;

export interface SchedulerOptions {
  db: Database;
  logger: Logger;
  /** Names this process in leases; unique per process (as the inbox worker's). */
  workerId: string;
  /** How often to look for due jobs when not woken (setting SCHEDULER_POLL_MS). */
  pollMs: number;
  /** How long a claimed job is this worker's before another may take it over; renewed while it runs. */
  leaseMs?: number;
  /** Attempts before a failing job is parked as failed. */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Jobs run at once by this process. */
  concurrency?: number;
  /** The clock (epoch ms); tests pass a controllable one, then move it and call wake(). */
  now?: () => number;
  /** Called after a job's work committed: e.g. wake the outbox sender for the messages it queued. */
  onJobDone?: (job: ScheduledJob) => void;
}

const DEFAULTS = { leaseMs: 60_000, maxAttempts: 5, retryBaseMs: 60_000, retryMaxMs: 3_600_000, concurrency: 4 };

/**
 * Runs time-driven work (progress notices, surveys, the end of a reopen window) when it falls due: exactly once
 * across restarts and across any number of processes on one database. Jobs are rows of scheduled_job, claimed
 * with leases; a failing job is retried with backoff, then parked as failed with its error.
 */
export class Scheduler extends LoopService<JobRow> {
  protected readonly loop: ClaimLoop<JobRow>;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly now: () => number;
  private readonly o: Required<Omit<SchedulerOptions, 'now' | 'onJobDone'>> & Pick<SchedulerOptions, 'onJobDone'>;
  private readonly logger: Logger;

  constructor(opts: SchedulerOptions) {
    super();
    this.o = { ...DEFAULTS, ...stripUndefined(opts) };
    this.now = opts.now ?? Date.now;
    this.logger = opts.logger.child({ loop: 'scheduler' });
    const { db, workerId, leaseMs } = this.o;
    this.loop = new ClaimLoop<JobRow>({
      name: 'scheduler',
      concurrency: this.o.concurrency,
      pollMs: this.o.pollMs,
      leaseMs,
      logger: this.logger,
      claim: (limit) => claimDueJobs(db, workerId, limit, this.now(), leaseMs),
      handle: (row) => this.process(row),
      renew: (ids) => renewJobLeases(db, workerId, ids, this.now() + leaseMs),
      release: () => releaseJobs(db, workerId),
    });
  }

  /** Sets the code for a kind of job. Register every kind before start(). */
  register<P = unknown>(kind: string, handler: JobHandler<P>): this {
    if (this.handlers.has(kind)) throw new DuplicateHandlerError(kind);
    this.handlers.set(kind, handler as unknown as JobHandler);
    return this;
  }

  get kinds(): string[] {
    return [...this.handlers.keys()];
  }

  private async process(row: JobRow): Promise<void> {
    const { db, workerId } = this.o;
    const log = this.logger.child({ jobId: Number(row.id), kind: row.kind, jobKey: row.job_key, attempt: row.attempts });
    const now = this.now();
    let job: ScheduledJob | null = null;
    try {
      if (row.attempts > this.o.maxAttempts) throw new JobAbandonedError(row.attempts);
      const handler = this.handlers.get(row.kind);
      if (!handler) throw new UnknownJobKindError(row.kind, this.kinds);
      job = toJob(row);
      const current = job;
      await db.transaction(async (tx) => {
        await takeJob(tx, current.id, workerId, now);
        const ctx: JobContext = {
          now,
          logger: log,
          schedule: (spec, opts = {}) =>
            scheduleJob(tx, spec, { replaceDone: spec.key === current.key, ...opts, now }),
          cancel: (key) => cancelJob(tx, key, now),
        };
        await handler(current, tx, ctx);
      });
    } catch (err) {
      if (err instanceof JobLeaseLostError) {
        log.warn('job taken over, rescheduled or cancelled while in hand; this attempt was rolled back');
        return;
      }
      await this.recordFailure(row, err, log);
      return;
    }
    log.debug('job done');
    try {
      this.o.onJobDone?.(job);
    } catch (err) {
      log.warn({ err }, 'onJobDone threw (the job itself is done)');
    }
  }

  private async recordFailure(row: JobRow, err: unknown, log: Logger): Promise<void> {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    // An abandoned job is parked at once: running it again is what kept killing its workers.
    const attempts = err instanceof JobAbandonedError ? Number.MAX_SAFE_INTEGER : row.attempts;
    const policy = { maxAttempts: this.o.maxAttempts, baseMs: this.o.retryBaseMs, maxMs: this.o.retryMaxMs };
    try {
      const outcome = await failJob(this.o.db, { id: row.id, attempts }, this.o.workerId, message, this.now(), policy);
      log.error({ err, outcome }, outcome === 'failed' ? 'job parked as failed' : 'job failed; will retry');
    } catch (recordErr) {
      // Lease lost meanwhile, or the database is down: the lease expires and the job is tried again.
      log.error({ err, recordErr }, 'job failed and its failure could not be recorded');
    }
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
