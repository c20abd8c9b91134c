import type { Database, Tx } from './database';
import type { InboxEvent, InboxStatus } from './entities';
import { INBOX, backoffMs, claimHeads } from './queue';

/**
 * What the webhook hands to storage: one LINE event, already checked and classified. The stored row's own columns
 * (entities.ts InboxEvent), less what the queue sets itself (ids, attempts, leases, times).
 */
export type IncomingEvent = Pick<
  InboxEvent,
  'webhookEventId' | 'destination' | 'chatId' | 'eventType' | 'messageType' | 'mode' | 'isRedelivery' | 'payload' | 'eventTimestamp'
> & {
  /** 'pending' for the worker, 'ignored' for events recorded but never answered (standby, unknown types). */
  status: Extract<InboxStatus, 'pending' | 'ignored'>;
  /** Why an event is ignored, kept in last_error for whoever looks. */
  note: string | null;
};

export interface InboxRow {
  id: number;
  webhook_event_id: string;
  chat_id: string;
  event_type: string;
  message_type: string | null;
  mode: string;
  payload: string;
  event_timestamp: number;
  received_at: number;
  status: InboxStatus;
  attempts: number;
}

const COLUMNS = 14;

/** The first key of the per-chat advisory locks, apart from any other lock this application takes. */
const CHAT_LOCK_SPACE = 4901;

/**
 * Stores a webhook's events in one transaction. An event already stored (a redelivery) is skipped by the unique
 * webhookEventId, so it is handled once however often LINE sends it. Returns how many were new.
 */
export async function storeEvents(db: Database, events: readonly IncomingEvent[], now: number): Promise<{ stored: number; duplicates: number }> {
  if (events.length === 0) return { stored: 0, duplicates: 0 };
  if (db.dialect === 'postgres' && events.length === 1) return storeOneOnPostgres(db, events[0]!, now);
  const values: string[] = [];
  const params: unknown[] = [];
  events.forEach((e, i) => {
    const b = i * COLUMNS;
    values.push(`(${Array.from({ length: COLUMNS }, (_, k) => `$${b + k + 1}`).join(', ')})`);
    params.push(
      e.webhookEventId, e.destination, e.chatId, e.eventType, e.messageType, e.mode, e.isRedelivery,
      e.payload, e.eventTimestamp, now, e.status, now, e.status === 'ignored' ? now : null, e.note,
    );
  });
  // The intake path: never queued behind the conversations' work (Database.intake).
  const rows = await db.intake(async (tx) => {
    if (tx.dialect === 'postgres') {
      // Ids come from a sequence, but transactions commit in any order: a chat's later event could become visible
      // (and be handled) before an earlier one commits. A per-chat lock held to commit makes a chat's ids increase
      // in commit order. Taken in sorted order so two batches never wait on each other in a circle.
      for (const chat of [...new Set(events.map((e) => e.chatId))].sort()) {
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CHAT_LOCK_SPACE, chat]);
      }
    }
    return tx.query<{ id: number }>(
      `INSERT INTO inbox_event (webhook_event_id, destination, chat_id, event_type, message_type, mode,
         is_redelivery, payload, event_timestamp, received_at, status, next_attempt_at, finished_at, last_error)
       VALUES ${values.join(', ')}
       ON CONFLICT (webhook_event_id) DO NOTHING RETURNING id`,
      params,
    );
  });
  return { stored: rows.length, duplicates: events.length - rows.length };
}

/**
 * One event on PostgreSQL (most webhooks carry one): the chat's lock and the insert in a single statement, its own
 * transaction, one round trip instead of four (BEGIN, the lock, INSERT, COMMIT, each waiting for a turn of the
 * event loop). The lock comes first: the rows to insert are read from the CTE that takes it, and it is held to the
 * commit, as in the transaction below.
 */
async function storeOneOnPostgres(db: Database, e: IncomingEvent, now: number): Promise<{ stored: number; duplicates: number }> {
  const rows = await db.intakeQuery<{ id: number }>(
      `WITH chat_lock AS (SELECT pg_advisory_xact_lock($15, hashtext($3)))
       INSERT INTO inbox_event (webhook_event_id, destination, chat_id, event_type, message_type, mode,
         is_redelivery, payload, event_timestamp, received_at, status, next_attempt_at, finished_at, last_error)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 FROM chat_lock
       ON CONFLICT (webhook_event_id) DO NOTHING RETURNING id`,
      [
        e.webhookEventId, e.destination, e.chatId, e.eventType, e.messageType, e.mode, e.isRedelivery,
        e.payload, e.eventTimestamp, now, e.status, now, e.status === 'ignored' ? now : null, e.note, CHAT_LOCK_SPACE,
      ],
  );
  return { stored: rows.length, duplicates: 1 - rows.length };
}

export function claimEvents(db: Database, workerId: string, limit: number, now: number, leaseMs: number): Promise<InboxRow[]> {
  return claimHeads<InboxRow>(db, INBOX, workerId, limit, now, leaseMs);
}

export class LeaseLostError extends Error {
  constructor(readonly eventId: number) {
    super(`inbox event ${eventId} is no longer held by this worker (its lease expired and another took it)`);
    this.name = 'LeaseLostError';
  }
}

/**
 * Marks an event done inside the transaction that did its work; if the lease was lost, the whole step rolls back.
 * locked_by is kept: it records which worker handled the event.
 */
export async function completeEvent(tx: Tx, eventId: number, workerId: string, now: number): Promise<void> {
  const rows = await tx.query(
    `UPDATE inbox_event SET status = 'done', finished_at = $1, locked_until = NULL, last_error = NULL
     WHERE id = $2 AND locked_by = $3 AND status = 'processing' RETURNING id`,
    [now, eventId, workerId],
  );
  if (rows.length === 0) throw new LeaseLostError(eventId);
}

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/** Records a failed attempt: back to the queue after a backoff, or parked as failed after the last attempt. */
export async function failEvent(
  db: Database,
  row: Pick<InboxRow, 'id' | 'attempts'>,
  workerId: string,
  error: string,
  now: number,
  policy: RetryPolicy,
): Promise<'retry' | 'failed'> {
  const parked = row.attempts >= policy.maxAttempts;
  await db.query(
    `UPDATE inbox_event SET status = $1, next_attempt_at = $2, last_error = $3, locked_by = NULL, locked_until = NULL,
       finished_at = $4 WHERE id = $5 AND locked_by = $6`,
    [
      parked ? 'failed' : 'pending',
      parked ? now : now + backoffMs(row.attempts, policy.baseMs, policy.maxMs),
      error.slice(0, 4000),
      parked ? now : null,
      row.id,
      workerId,
    ],
  );
  return parked ? 'failed' : 'retry';
}

/** Events parked as failed, newest first: what an officer sees to decide what to do. */
export function failedEvents(db: Database, limit = 100): Promise<InboxEvent[]> {
  return db.query<InboxEvent>(
    `SELECT id, webhook_event_id AS "webhookEventId", chat_id AS "chatId", event_type AS "eventType", attempts,
       last_error AS "lastError", received_at AS "receivedAt", finished_at AS "finishedAt"
     FROM inbox_event WHERE status = 'failed' ORDER BY received_at DESC LIMIT $1`,
    [limit],
  );
}

export async function countByStatus(db: Database): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM inbox_event GROUP BY status');
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
