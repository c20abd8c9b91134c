import { randomUUID } from 'node:crypto';
import type { Database, Tx } from './database';
import type { OutboxStatus } from './entities';
import { OUTBOX, backoffMs, claimHeads } from './queue';
import { prepareMessages, type LineMessage } from '../line/message-limits';
import type { RetryPolicy } from './inbox';
import { isSealed, type DataCipher } from './crypto';

/**
 * A row's body once it was delivered: what was said is LINE's and the citizen's now, and kept nowhere here (a
 * "my data" link or a tip-off's summary must not outlive its sending). Chat, times, status, retry key and attempts
 * stay for the record.
 */
export const ERASED_BODY = '[]';

export class OutboxKeyMissingError extends Error {
  constructor() {
    super('outbox bodies are stored encrypted: call useOutboxCipher(db, cipher) at start (server/start.ts does)');
    this.name = 'OutboxKeyMissingError';
  }
}

/** The cipher each database's outbox bodies are sealed with, by its DataSource (a Tx reaches it by its manager). */
const ciphers = new WeakMap<object, DataCipher>();

/** Every body queued on this database is stored encrypted with this cipher (the server's DataCipher). */
export function useOutboxCipher(db: Database, cipher: DataCipher): void {
  ciphers.set(db.dataSource, cipher);
}

function cipherOf(tx: Tx): DataCipher {
  const cipher = ciphers.get(tx.manager.connection);
  if (!cipher) throw new OutboxKeyMissingError();
  return cipher;
}

/**
 * A stored body as the JSON array of messages: encrypted bodies are decrypted; a body written before bodies were
 * encrypted (a JSON array) is read as it is.
 */
export function openBody(cipher: DataCipher, stored: string): string {
  return isSealed(stored) ? cipher.decrypt(stored) : stored;
}

export interface OutboxRow {
  id: number;
  chat_id: string;
  inbox_event_id: number | null;
  reply_token: string | null;
  reply_deadline: number | null;
  last_status: number | null;
  last_error: string | null;
  /** Encrypted ("v2:<key id>:…") until delivered, then ERASED_BODY; see openBody. */
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
 * attempt, so that every push of it carries the same key. Bodies are stored encrypted (useOutboxCipher): they may
 * hold a one-time link, a personal number or what a citizen told in confidence.
 */
export async function queueMessages(tx: Tx, req: QueueRequest, now: number): Promise<number[]> {
  const batches = prepareMessages(req.messages);
  const cipher = cipherOf(tx);
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
        cipher.encrypt(JSON.stringify(batch)),
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

/** Delivered: marked sent and its body erased in one update; its metadata is kept. */
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
       messages = $7, locked_by = NULL, locked_until = NULL WHERE id = $5 AND locked_by = $6`,
    [via, status, requestId, now, id, workerId, ERASED_BODY],
  );
}

/**
 * A failed attempt: retried after a backoff while attempts remain, else parked as failed with LINE's answer. The
 * body is kept (encrypted) for an operator to retry.
 */
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
