import type { Database, Tx } from './database';

/**
 * The shared mechanics of the inbox and the outbox: both are tables of work items, each for one chat, handled in
 * order per chat and in parallel across chats, by any number of server processes on one database.
 *
 * A worker claims only the head of each chat: the oldest unfinished item, and only when it is due. Claiming sets
 * a lease (locked_by, locked_until); a worker that dies leaves its lease to expire, and the item is claimed again.
 * On PostgreSQL the claim is one UPDATE over a `FOR UPDATE SKIP LOCKED` sub-select, so two processes never claim
 * the same row, and the head-of-chat test keeps the second item of a chat back while the first is open.
 */
export interface QueueTable {
  table: 'inbox_event' | 'outbox_message';
  /** The status of an item waiting its turn. */
  waiting: string;
  /** The status of an item a worker holds. */
  active: string;
}

export const INBOX: QueueTable = { table: 'inbox_event', waiting: 'pending', active: 'processing' };
export const OUTBOX: QueueTable = { table: 'outbox_message', waiting: 'pending', active: 'sending' };

export async function claimHeads<Row>(
  db: Database,
  q: QueueTable,
  workerId: string,
  limit: number,
  now: number,
  leaseMs: number,
): Promise<Row[]> {
  const { table, waiting, active } = q;
  const due = `((e.status = '${waiting}' AND e.next_attempt_at <= $1) OR (e.status = '${active}' AND e.locked_until < $1))`;
  const head = `NOT EXISTS (SELECT 1 FROM ${table} h WHERE h.chat_id = e.chat_id AND h.id < e.id AND h.status IN ('${waiting}', '${active}'))`;
  const set = `status = '${active}', locked_by = $2, locked_until = $3, attempts = attempts + 1`;
  const params = [now, workerId, now + leaseMs, limit];
  if (db.dialect === 'postgres') {
    return db.query<Row>(
      `UPDATE ${table} SET ${set} WHERE id IN (
         SELECT e.id FROM ${table} e WHERE e.status IN ('${waiting}', '${active}') AND ${due} AND ${head}
         ORDER BY e.id LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      params,
    );
  }
  // SQLite has one writer at a time and computes the uncorrelated IN (...) before updating: one statement, with a
  // stable text (prepared once), claims atomically.
  return db.query<Row>(
    `UPDATE ${table} SET ${set} WHERE id IN (
       SELECT e.id FROM ${table} e WHERE e.status IN ('${waiting}', '${active}') AND ${due} AND ${head} ORDER BY e.id LIMIT $4)
     RETURNING *`,
    params,
  );
}

/** Extends the leases of items still in hand, so a slow step is not taken over by another worker. */
export async function renewLeases(db: Database, q: QueueTable, workerId: string, ids: number[], until: number): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE ${q.table} SET locked_until = $1 WHERE locked_by = $2 AND status = '${q.active}' AND id IN (${ids.map(Number).join(',')})`,
    [until, workerId],
  );
}

/** Gives back every item this worker holds (graceful shutdown): others may take them at once. */
export async function releaseAll(db: Database, q: QueueTable, workerId: string): Promise<void> {
  await db.query(
    `UPDATE ${q.table} SET status = '${q.waiting}', locked_by = NULL, locked_until = NULL, attempts = attempts - 1 WHERE locked_by = $1 AND status = '${q.active}'`,
    [workerId],
  );
}

/** Exponential backoff with full jitter over the upper half: retries from many chats do not arrive in step. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export type { Tx };
