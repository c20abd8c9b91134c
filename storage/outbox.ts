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
  return (await insertRows(tx, req, now, null)).ids;
}

/** A sender's hold on rows it queues itself: its worker id and lease, as a claim would set them. */
export interface OutboxLease {
  workerId: string;
  leaseMs: number;
}

/** A row queued already held by its sender, with its messages as queued (no need to decrypt the stored body). */
export interface HeldOutboxRow {
  row: OutboxRow;
  messages: LineMessage[];
}

/**
 * queueMessages for a sender that will send at once (the inbox worker's answer to an event): when the chat has no
 * message waiting or being sent, the first row is stored already claimed by `lease` (status sending, attempts 1),
 * exactly as the claim would have left it, and returned to be handed to the sender after the commit. A crash before
 * the send leaves a lease that expires, and the row is claimed again like any other. When the chat has messages
 * ahead, every row waits its turn as queueMessages leaves it, and nothing is returned. Whether the chat has messages
 * ahead is decided by the INSERT itself: one statement, one round trip on PostgreSQL.
 */
export async function queueAndHold(tx: Tx, req: QueueRequest, now: number, lease: OutboxLease): Promise<{ ids: number[]; held: HeldOutboxRow | null }> {
  return insertRows(tx, req, now, lease);
}

/** The first row of queueAndHold: held unless the chat has a row pending or being sent. */
const INSERT_HELD_UNLESS_BUSY = `INSERT INTO outbox_message (chat_id, inbox_event_id, reply_token, reply_deadline, messages, retry_key, status,
     attempts, next_attempt_at, created_at, locked_by, locked_until)
   SELECT $1, $2, $3, $4, $5, $6, CASE WHEN a.busy THEN 'pending' ELSE 'sending' END, CASE WHEN a.busy THEN 0 ELSE 1 END,
     $7, $7, CASE WHEN a.busy THEN NULL ELSE CAST($8 AS VARCHAR(64)) END, CASE WHEN a.busy THEN NULL ELSE CAST($9 AS BIGINT) END
   FROM (SELECT EXISTS (SELECT 1 FROM outbox_message WHERE chat_id = $1 AND status IN ('pending', 'sending')) AS busy) a
   RETURNING id, status`;

const INSERT_WAITING = `INSERT INTO outbox_message (chat_id, inbox_event_id, reply_token, reply_deadline, messages, retry_key, status,
     attempts, next_attempt_at, created_at)
   VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) RETURNING id, status`;

async function insertRows(tx: Tx, req: QueueRequest, now: number, lease: OutboxLease | null): Promise<{ ids: number[]; held: HeldOutboxRow | null }> {
  const batches = prepareMessages(req.messages);
  const cipher = cipherOf(tx);
  const ids: number[] = [];
  let held: HeldOutboxRow | null = null;
  for (const [i, batch] of batches.entries()) {
    const first = i === 0 && req.replyToken;
    const hold = i === 0 ? lease : null;
    const retryKey = randomUUID();
    const replyToken = first ? req.replyToken! : null;
    const replyDeadline = first ? (req.replyDeadline ?? null) : null;
    const values = [req.chatId, req.inboxEventId ?? null, replyToken, replyDeadline, cipher.encrypt(JSON.stringify(batch)), retryKey, now];
    const [row] = await tx.query<{ id: number; status: string }>(
      hold ? INSERT_HELD_UNLESS_BUSY : INSERT_WAITING,
      hold ? [...values, hold.workerId, now + hold.leaseMs] : values,
    );
    const id = Number(row!.id);
    ids.push(id);
    if (row!.status === 'sending') {
      held = {
        row: {
          id,
          chat_id: req.chatId,
          inbox_event_id: req.inboxEventId ?? null,
          reply_token: replyToken,
          reply_deadline: replyDeadline,
          last_status: null,
          last_error: null,
          messages: '',
          retry_key: retryKey,
          status: 'sending',
          attempts: 1,
          created_at: now,
        },
        messages: batch,
      };
    }
  }
  return { ids, held };
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
