import type { Database } from '../storage/database';
import { claimOutbox, markAttemptFailed, markSent, openBody, type HeldOutboxRow, type OutboxLease, type OutboxRow } from '../storage/outbox';
import type { DataCipher } from '../storage/crypto';
import { OUTBOX, releaseAll, renewLeases } from '../storage/queue';
import { ClaimLoop, EVENT_QUEUE_CLAIM_GAP_MS, LoopService } from '../runtime/claim-loop';
import { LineApiError, type LineApi } from '../line/api';
import type { LineMessage } from '../line/message-limits';
import type { Logger } from '../runtime/logger';
import type { Settings } from '../config/settings';
import { metrics } from '../runtime/metrics';

export interface OutboxSenderOptions {
  db: Database;
  line: LineApi;
  /** Opens the encrypted bodies (the cipher storage/outbox.ts seals them with; see useOutboxCipher). */
  cipher: DataCipher;
  logger: Logger;
  workerId: string;
  settings: Settings['worker'];
  now?: () => number;
}

/**
 * Delivers queued messages to LINE, in order per chat.
 *
 * Reply first: it is free, but its token works once and for about a minute. While the token is fresh the row is
 * replied; when it is stale, or LINE rejects it, the same messages are pushed with the row's retry key, which LINE
 * uses to drop a repeat (409 = already delivered). 5xx, 429 and network errors are retried with backoff; other
 * 4xx are permanent and kept with LINE's error body.
 *
 * One ambiguity remains in LINE's design: a reply whose answer was lost (timeout, crash) may or may not have been
 * delivered, and replies take no retry key. We resolve it with the token itself: if an earlier attempt's outcome
 * is unknown and LINE now calls the still-fresh token invalid, that earlier attempt used it, and the row counts
 * as delivered. Only a token that expired in between leaves a choice, and there we push (lose nothing).
 *
 * A body is stored encrypted and decrypted only here, to be sent; once delivered it is erased with the update
 * that marks the row sent. A row parked as failed keeps its encrypted body.
 */
export class OutboxSender extends LoopService<OutboxRow> {
  protected readonly loop: ClaimLoop<OutboxRow>;
  private readonly now: () => number;
  /** How the rows this sender holds are marked: also what the inbox worker stores its answers with (queueAndHold). */
  readonly lease: OutboxLease;

  constructor(private readonly o: OutboxSenderOptions) {
    super();
    this.now = o.now ?? Date.now;
    const s = o.settings;
    // A send holds its row at least as long as a LINE call may take, twice over.
    const leaseMs = Math.max(s.leaseMs, s.lineRequestTimeoutMs * 2);
    this.lease = { workerId: o.workerId, leaseMs };
    this.loop = new ClaimLoop<OutboxRow>({
      name: 'outbox',
      concurrency: s.concurrency * 2,
      pollMs: s.pollMs,
      claimGapMs: EVENT_QUEUE_CLAIM_GAP_MS[o.db.dialect],
      leaseMs,
      logger: o.logger,
      claim: (limit) => claimOutbox(o.db, o.workerId, limit, this.now(), leaseMs),
      handle: (row) => this.send(row),
      renew: (ids) => renewLeases(o.db, OUTBOX, o.workerId, ids, this.now() + leaseMs),
      release: () => releaseAll(o.db, OUTBOX, o.workerId),
    });
  }

  /**
   * Sends a row the inbox worker stored already held with this sender's lease (queueAndHold), with its messages as
   * queued: no claim and no decryption between an answer's commit and its reply. False when the sender is stopping;
   * the row is then given back by the stop, or its lease expires, and it is claimed like any other.
   */
  take(held: HeldOutboxRow): boolean {
    return this.loop.adopt(held.row, () => this.send(held.row, held.messages));
  }

  private async send(row: OutboxRow, queued?: LineMessage[]): Promise<void> {
    const { line, logger } = this.o;
    let messages: LineMessage[];
    try {
      messages = queued ?? (JSON.parse(openBody(this.o.cipher, row.messages)) as LineMessage[]);
    } catch (err) {
      // Another key, or an altered row: nothing LINE could be sent. Parked for good (not retried), with the reason
      // only (a JSON error would quote the body).
      const reason = err instanceof Error && err.name === 'DecryptError' ? err : new Error('the stored body is not a list of messages');
      return await this.failed(row, reason, true);
    }
    const log = logger.child({ outboxId: row.id, inboxEventId: row.inbox_event_id });
    const tokenFresh = row.reply_token !== null && row.reply_deadline !== null && this.now() < Number(row.reply_deadline);
    // The answer came too late for its reply token (the server fell behind): pushed with its retry key, and counted.
    if (row.reply_token !== null && !tokenFresh && row.attempts === 1) metrics.replyTokenExpired.inc();
    // attempts was raised by the claim: > 1 means an earlier attempt; no status recorded means we never heard back.
    const earlierOutcomeUnknown = row.attempts > 1 && row.last_status === null;

    if (tokenFresh) {
      try {
        const r = await line.reply(row.reply_token!, messages);
        return await this.sent(row, 'reply', r.status, r.requestId);
      } catch (err) {
        if (err instanceof LineApiError && err.isInvalidReplyToken) {
          if (earlierOutcomeUnknown) {
            log.info('reply token already used by an earlier attempt whose answer was lost: counted as delivered');
            return await this.sent(row, 'reply', err.status, err.requestId);
          }
          log.info('reply token refused; sending the same messages by push');
        } else {
          return await this.failed(row, err);
        }
      }
    }

    try {
      const r = await line.push(row.chat_id, messages, row.retry_key);
      await this.sent(row, 'push', r.status, r.requestId);
    } catch (err) {
      if (err instanceof LineApiError && err.status === 409) {
        // The retry key was already accepted: an earlier attempt of this row was delivered.
        return await this.sent(row, 'push', 409, err.requestId);
      }
      await this.failed(row, err);
    }
  }

  private sent(row: OutboxRow, via: 'reply' | 'push', status: number, requestId: string | null): Promise<void> {
    return markSent(this.o.db, row.id, this.o.workerId, via, status, requestId, this.now());
  }

  private async failed(row: OutboxRow, err: unknown, permanent = false): Promise<void> {
    const s = this.o.settings;
    const api = err instanceof LineApiError ? err : null;
    const outcome = await markAttemptFailed(
      this.o.db,
      row,
      this.o.workerId,
      {
        // A lost answer keeps status null: the next attempt then knows the outcome of this one is unknown.
        status: api?.status ?? null,
        error: api ? api.body || api.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        permanent: permanent || (api !== null && !api.retryable),
      },
      this.now(),
      { maxAttempts: s.outboxMaxAttempts, baseMs: s.retryBaseMs, maxMs: s.retryMaxMs },
    );
    const level = outcome === 'failed' ? 'error' : 'warn';
    this.o.logger[level]({ outboxId: row.id, status: api?.status, attempt: row.attempts, outcome, err: api ? undefined : err }, outcome === 'failed' ? 'message delivery failed for good' : 'message delivery failed; will retry');
  }
}
