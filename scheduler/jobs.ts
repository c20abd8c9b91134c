import type { Tx } from '../storage/database';
import { InvalidJobError } from './errors';

/**
 * Scheduling is idempotent by key: code that runs twice (a retried webhook event, two officers pressing the same
 * button) asks for the same job twice and there is still one. A key names what the job is about, e.g.
 * `progress:MDH-2569-000123-4` or `survey:MDH-2569-000123-4`.
 *
 * The payload is stored as plain JSON: refer to a case by its tracking number, never put a national ID or a phone
 * number in it (encrypt with storage/crypto.ts DataCipher if a job truly needs one).
 */
export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobSpec<P = unknown> {
  kind: string;
  key: string;
  /** Epoch milliseconds. */
  runAt: number;
  payload?: P;
}

export interface ScheduleOptions {
  /** Schedule again a job that already ran (done) or was parked (failed). Default: leave it as it is. */
  replaceDone?: boolean;
  /** The clock, for created_at (default Date.now()). */
  now?: number;
}

/** What scheduling did: a new job, an open (or cancelled) one moved to the new time and payload, or nothing. */
export type ScheduleOutcome = 'created' | 'updated' | 'kept';

export interface ScheduledJob<P = unknown> {
  id: number;
  kind: string;
  key: string;
  runAt: number;
  payload: P;
  status: JobStatus;
  attempts: number;
  lockedBy: string | null;
  lockedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  finishedAt: number | null;
}

/** A row of scheduled_job as the database returns it. */
export interface JobRow {
  id: number;
  kind: string;
  job_key: string;
  run_at: number;
  payload: string;
  status: JobStatus;
  attempts: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

/** Anything that runs a statement: a Database or a transaction. */
export type Queryable = Pick<Tx, 'query'>;

const num = (v: number | null) => (v === null ? null : Number(v));

export function toJob<P = unknown>(row: JobRow): ScheduledJob<P> {
  return {
    id: Number(row.id),
    kind: row.kind,
    key: row.job_key,
    runAt: Number(row.run_at),
    payload: JSON.parse(row.payload) as P,
    status: row.status,
    attempts: Number(row.attempts),
    lockedBy: row.locked_by,
    lockedUntil: num(row.locked_until),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    finishedAt: num(row.finished_at),
  };
}

function validate(spec: JobSpec): void {
  if (!/^[a-z][a-z0-9_.-]{0,39}$/.test(spec.kind)) {
    throw new InvalidJobError('kind', spec.kind, 'use 1-40 lower-case letters, digits, ".", "_" or "-", starting with a letter');
  }
  if (spec.key.length === 0 || spec.key.length > 200) throw new InvalidJobError('key', spec.key, 'must be 1-200 characters');
  if (!Number.isSafeInteger(spec.runAt) || spec.runAt < 0) {
    throw new InvalidJobError('runAt', spec.runAt, 'must be epoch milliseconds (a non-negative integer)');
  }
}

/**
 * Schedules a job in the caller's transaction, so it exists if and only if the work that asked for it commits.
 * A job with the same key that is still open (pending, or running: that attempt then rolls back) or cancelled is
 * moved to the new time, kind and payload with its attempts reset; a done or failed one is kept unless
 * `replaceDone`, so a survey already sent is not sent again because its trigger ran twice.
 */
export async function scheduleJob(tx: Tx, spec: JobSpec, opts: ScheduleOptions = {}): Promise<ScheduleOutcome> {
  validate(spec);
  const payload = JSON.stringify(spec.payload ?? null);
  // Insert first: on PostgreSQL a concurrent insert of the same key is waited for, and then updated below.
  const inserted = await tx.query(
    `INSERT INTO scheduled_job (kind, job_key, run_at, payload, status, attempts, created_at)
     VALUES ($1, $2, $3, $4, 'pending', 0, $5) ON CONFLICT (job_key) DO NOTHING RETURNING id`,
    [spec.kind, spec.key, spec.runAt, payload, opts.now ?? Date.now()],
  );
  if (inserted.length) return 'created';
  const movable = opts.replaceDone ? `'pending', 'running', 'cancelled', 'done', 'failed'` : `'pending', 'running', 'cancelled'`;
  const updated = await tx.query(
    `UPDATE scheduled_job SET kind = $1, run_at = $2, payload = $3, status = 'pending', attempts = 0, locked_by = NULL,
       locked_until = NULL, last_error = NULL, finished_at = NULL
     WHERE job_key = $4 AND status IN (${movable}) RETURNING id`,
    [spec.kind, spec.runAt, payload, spec.key],
  );
  return updated.length ? 'updated' : 'kept';
}

/**
 * Cancels an open job (a case closed: no more progress notices). A running attempt rolls back. Returns whether
 * there was an open job to cancel; a cancelled job is scheduled again by scheduleJob with its key.
 */
export async function cancelJob(tx: Tx, key: string, now: number = Date.now()): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE scheduled_job SET status = 'cancelled', finished_at = $1, locked_by = NULL, locked_until = NULL
     WHERE job_key = $2 AND status IN ('pending', 'running') RETURNING id`,
    [now, key],
  );
  return rows.length > 0;
}

/** Every job whose key starts with prefix (e.g. all jobs of one case), by time: for tests and the console. */
export async function jobsByKeyPrefix<P = unknown>(db: Queryable, prefix: string): Promise<Array<ScheduledJob<P>>> {
  // substr rather than LIKE: SQLite's LIKE ignores case and both treat _ and % as wildcards.
  const rows = await db.query<JobRow>(
    `SELECT * FROM scheduled_job WHERE substr(job_key, 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT) ORDER BY run_at, id`,
    [prefix],
  );
  return rows.map((r) => toJob<P>(r));
}
