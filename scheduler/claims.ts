import type { Database, Tx } from '../storage/database';
import type { RetryPolicy } from '../storage/inbox';
import { backoffMs } from '../storage/queue';
import { JobLeaseLostError } from './errors';
import type { JobRow } from './jobs';

/**
 * The lease mechanics of scheduled jobs, as storage/queue.ts has them for the inbox and the outbox, without the
 * per-chat order: any due job may run beside any other. A claim sets a lease (locked_by, locked_until); a worker
 * that dies leaves it to expire and the job is claimed again. On PostgreSQL the claim is one UPDATE over a
 * `FOR UPDATE SKIP LOCKED` sub-select, so two processes never claim the same job.
 */
const DUE = `status IN ('pending', 'running') AND ((status = 'pending' AND run_at <= $1) OR (status = 'running' AND locked_until < $1))`;
const CLAIM = `status = 'running', locked_by = $2, locked_until = $3, attempts = attempts + 1`;

export function claimDueJobs(db: Database, workerId: string, limit: number, now: number, leaseMs: number): Promise<JobRow[]> {
  const params = [now, workerId, now + leaseMs, limit];
  // SQLite has one writer at a time and computes the uncorrelated IN (...) first: the one statement is atomic.
  const lock = db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
  return db.query<JobRow>(
    `UPDATE scheduled_job SET ${CLAIM} WHERE id IN (
       SELECT id FROM scheduled_job WHERE ${DUE} ORDER BY run_at, id LIMIT $4 ${lock})
     RETURNING *`,
    params,
  );
}

/**
 * Marks a held job done inside the transaction that runs its handler, first, so that a worker that no longer holds
 * the job does no work, and (on PostgreSQL) the row stays locked until the handler's work commits or rolls back.
 * locked_by is kept: it records which worker ran the job.
 */
export async function takeJob(tx: Tx, jobId: number, workerId: string, now: number): Promise<void> {
  const rows = await tx.query(
    `UPDATE scheduled_job SET status = 'done', finished_at = $1, locked_until = NULL, last_error = NULL
     WHERE id = $2 AND locked_by = $3 AND status = 'running' RETURNING id`,
    [now, jobId, workerId],
  );
  if (rows.length === 0) throw new JobLeaseLostError(jobId, workerId);
}

/** Records a failed attempt: due again after a backoff, or parked as failed after the last attempt. */
export async function failJob(
  db: Database,
  row: Pick<JobRow, 'id' | 'attempts'>,
  workerId: string,
  error: string,
  now: number,
  policy: RetryPolicy,
): Promise<'retry' | 'failed'> {
  const parked = row.attempts >= policy.maxAttempts;
  const rows = await db.query(
    `UPDATE scheduled_job SET status = $1, run_at = $2, last_error = $3, locked_by = $4, locked_until = NULL,
       finished_at = $5
     WHERE id = $6 AND locked_by = $7 AND status = 'running' RETURNING id`,
    [
      parked ? 'failed' : 'pending',
      parked ? now : now + backoffMs(row.attempts, policy.baseMs, policy.maxMs),
      error.slice(0, 4000),
      // A parked job keeps the worker that gave up on it, for whoever looks.
      parked ? workerId : null,
      parked ? now : null,
      row.id,
      workerId,
    ],
  );
  if (rows.length === 0) throw new JobLeaseLostError(row.id, workerId);
  return parked ? 'failed' : 'retry';
}

/** Extends the leases of jobs still in hand, so a slow handler is not taken over by another worker. */
export async function renewJobLeases(db: Database, workerId: string, ids: number[], until: number): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE scheduled_job SET locked_until = $1 WHERE locked_by = $2 AND status = 'running' AND id IN (${ids.map(Number).join(',')})`,
    [until, workerId],
  );
}

/** Gives back every job this worker holds (graceful shutdown): another may take them at once, uncounted. */
export async function releaseJobs(db: Database, workerId: string): Promise<void> {
  await db.query(
    `UPDATE scheduled_job SET status = 'pending', locked_by = NULL, locked_until = NULL, attempts = attempts - 1
     WHERE locked_by = $1 AND status = 'running'`,
    [workerId],
  );
}
