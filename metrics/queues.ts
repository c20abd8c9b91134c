import type { Database } from '../storage/database';

/**
 * How much work waits, and for how long: read from the queue tables themselves, so it is true across every server
 * process of a deployment. Counts only what the open and failed partial indexes hold (migrations 0001, 0006,
 * 0009): done rows pile up and must not make this slower. Read-only; each table's writes stay with its owner
 * (storage/inbox.ts and outbox.ts, notify/queue.ts, scheduler/jobs.ts).
 */
export type QueueName = 'inbox' | 'outbox' | 'notification' | 'job';

export interface QueueDepth {
  queue: QueueName;
  waiting: number;
  inHand: number;
  failed: number;
  /** Age of the oldest unfinished item in ms (for jobs: how late the most overdue due job is); 0 when none. */
  oldestMs: number;
}

interface Shape {
  queue: QueueName;
  table: string;
  waiting: string;
  active: string;
  /** When an item began to wait. */
  since: string;
}

const SHAPES: Shape[] = [
  { queue: 'inbox', table: 'inbox_event', waiting: 'pending', active: 'processing', since: 'received_at' },
  { queue: 'outbox', table: 'outbox_message', waiting: 'pending', active: 'sending', since: 'created_at' },
  { queue: 'notification', table: 'notification', waiting: 'pending', active: 'sending', since: 'created_at' },
  // A job waits from the time it is due, not from when it was made (a 15-day notice is made 15 days early).
  { queue: 'job', table: 'scheduled_job', waiting: 'pending', active: 'running', since: 'run_at' },
];

export async function queueDepths(db: Database, now: number): Promise<QueueDepth[]> {
  const out: QueueDepth[] = [];
  for (const s of SHAPES) {
    const open = await db.query<{ status: string; n: number | string; oldest: number | string | null }>(
      `SELECT status, COUNT(*) AS n, MIN(${s.since}) AS oldest FROM ${s.table}
       WHERE status IN ('${s.waiting}', '${s.active}') GROUP BY status`,
    );
    const [failed] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${s.table} WHERE status = 'failed'`);
    const count = (status: string) => Number(open.find((r) => r.status === status)?.n ?? 0);
    // For jobs only those already due count as waiting late; a job due next week is not late.
    const oldest = open.map((r) => Number(r.oldest)).filter((t) => Number.isFinite(t) && t > 0 && t <= now);
    out.push({
      queue: s.queue,
      waiting: count(s.waiting),
      inHand: count(s.active),
      failed: Number(failed?.n ?? 0),
      oldestMs: oldest.length ? now - Math.min(...oldest) : 0,
    });
  }
  return out;
}
