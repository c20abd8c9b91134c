import { randomUUID } from 'node:crypto';
import type { Database, Tx } from './database';
import type { OutboxStatus } from './entities';
import { OUTBOX, backoffMs, claimHeads } from './queue';
import { prepareMessages, type LineMessage } from '../line/message-limits';
import type { RetryPolicy } from './inbox';

export interface OutboxRow {
  id: number;
  chat_id: string;
  inbox_event_id: number | null;
  reply_token: string | null;
  reply_deadline: number | null;
  last_status: number | null;
  last_error: string | null;
  messages: string;
  retry_key: string;
  status: OutboxStatus;
  attempts: number;
  created_at: number;
}

export interface QueueRequest {
  chatId: string;
  messages: readonly LineMessage[];
  inboxEventId?: number | null;
  /** The event's replyToken and the time after which it is no longer worth trying. */
  replyToken?: string | null;
  replyDeadline?: number | null;
}

/**
 * Queues messages in the caller's transaction, so they exist if and only if the work that made them committed.
 * Messages are checked against LINE's limits here (MessageLimitError) and grouped five to a request; only the
 * first request may use the reply token, which LINE accepts once. Each row gets its retry key now, before any
 * attempt, so that every push of it carries the same key.
 */
export async function queueMessages(tx: Tx, req: QueueRequest, now: number): Promise<number[]> {
  const batches = prepareMessages(req.messages);
  const ids: number[] = [];
  for (const [i, batch] of batches.entries()) {
    const first = i === 0 && req.replyToken;
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO outbox_message (chat_id, inbox_event_id, reply_token, reply_deadline, messages, retry_key, status,
         attempts, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) RETURNING id`,
      [
        req.chatId,
        req.inboxEventId ?? null,
        first ? req.replyToken : null,
        first ? (req.replyDeadline ?? null) : null,
        JSON.stringify(batch),
        randomUUID(),
        now,
      ],
    );
    ids.push(Number(rows[0]!.id));
  }
  return ids;
}

export function claimOutbox(db: Database, workerId: string, limit: number, now: number, leaseMs: number): Promise<OutboxRow[]> {
  return claimHeads<OutboxRow>(db, OUTBOX, workerId, limit, now, leaseMs);
}

export async function markSent(
  db: Database,
  id: number,
  workerId: string,
  via: 'reply' | 'push',
  status: number,
  requestId: string | null,
  now: number,
): Promise<void> {
  await db.query(
    `UPDATE outbox_message SET status = 'sent', via = $1, last_status = $2, line_request_id = $3, sent_at = $4,
       locked_by = NULL, locked_until = NULL WHERE id = $5 AND locked_by = $6`,
    [via, status, requestId, now, id, workerId],
  );
}

/** A failed attempt: retried after a backoff while attempts remain, else parked as failed with LINE's answer. */
export async function markAttemptFailed(
  db: Database,
  row: Pick<OutboxRow, 'id' | 'attempts'>,
  workerId: string,
  outcome: { status: number | null; error: string; permanent: boolean },
  now: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
): Promise<'retry' | 'failed'> {
  const parked = outcome.permanent || row.attempts >= policy.maxAttempts;
  const wait = Math.max(retryAfterMs ?? 0, backoffMs(row.attempts, policy.baseMs, policy.maxMs));
  await db.query(
    `UPDATE outbox_message SET status = $1, next_attempt_at = $2, last_status = $3, last_error = $4,
       locked_by = NULL, locked_until = NULL WHERE id = $5 AND locked_by = $6`,
    [parked ? 'failed' : 'pending', parked ? now : now + wait, outcome.status, outcome.error.slice(0, 4000), row.id, workerId],
  );
  return parked ? 'failed' : 'retry';
}
