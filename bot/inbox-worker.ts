import type { webhook } from '@line/bot-sdk';
import type { Database } from '../storage/database';
import { claimEvents, completeEvent, failEvent, LeaseLostError, type InboxRow } from '../storage/inbox';
import { INBOX, releaseAll, renewLeases } from '../storage/queue';
import { queueAndHold, queueMessages, type HeldOutboxRow, type OutboxLease } from '../storage/outbox';
import { ClaimLoop, EVENT_QUEUE_CLAIM_GAP_MS, LoopService } from '../runtime/claim-loop';
import type { EventHandler } from './event-handler';
import type { LineApi } from '../line/api';
import { isUserId } from '../line/ids';
import type { Logger } from '../runtime/logger';
import type { Settings } from '../config/settings';

export interface InboxWorkerOptions {
  db: Database;
  line: LineApi;
  handler: EventHandler<unknown>;
  logger: Logger;
  workerId: string;
  settings: Settings['worker'];
  /**
   * Called after a step queued messages (officers' notifications may have come with them), with how many of its
   * outbox rows wait for the sender's claim (0 when its answer was handed to the sender at once): wakes them.
   */
  onQueued?: (waiting: number) => void;
  /**
   * The outbox sender, to hand it an event's answer at once: stored already held with its lease and sent after the
   * commit without waiting for a claim (OutboxSender.take). Without it, answers wait for the sender's next claim.
   */
  outbox?: { readonly lease: OutboxLease; take(held: HeldOutboxRow): boolean };
  /** Opens a payload sealed at intake (see WebhookOptions.sealPayload). */
  openPayload?: (stored: string) => string;
  now?: () => number;
}

/**
 * Takes stored webhook events in order per chat and in parallel across chats, runs the handler, and commits the
 * handler's work, the queued messages and the event's "done" in one transaction. Failures are retried with
 * backoff, then parked as `failed` with their error; they never hold up another chat.
 */
export class InboxWorker extends LoopService<InboxRow> {
  protected readonly loop: ClaimLoop<InboxRow>;
  private readonly now: () => number;

  constructor(private readonly o: InboxWorkerOptions) {
    super();
    this.now = o.now ?? Date.now;
    const s = o.settings;
    this.loop = new ClaimLoop<InboxRow>({
      name: 'inbox',
      concurrency: s.concurrency,
      pollMs: s.pollMs,
      claimGapMs: EVENT_QUEUE_CLAIM_GAP_MS[o.db.dialect],
      leaseMs: s.leaseMs,
      logger: o.logger,
      claim: (limit) => claimEvents(o.db, o.workerId, limit, this.now(), s.leaseMs),
      handle: (row) => this.process(row),
      renew: (ids) => renewLeases(o.db, INBOX, o.workerId, ids, this.now() + s.leaseMs),
      release: () => releaseAll(o.db, INBOX, o.workerId),
    });
  }

  private async process(row: InboxRow): Promise<void> {
    const { db, line, handler, logger, workerId, settings } = this.o;
    const event = JSON.parse(this.o.openPayload ? this.o.openPayload(row.payload) : row.payload) as webhook.Event;
    const log = logger.child({ webhookEventId: row.webhook_event_id, eventType: row.event_type });
    const ctx = { event, chatId: row.chat_id, inboxEventId: row.id, webhookEventId: row.webhook_event_id, line, db, logger: log, now: this.now() };
    const loading = this.scheduleLoading(row);
    try {
      const prepared = handler.prepare ? await handler.prepare(ctx) : undefined;
      const outbox = this.o.outbox;
      const { queued, held } = await db.transaction(async (tx) => {
        const messages = await handler.apply(ctx, prepared, tx);
        const replyToken = (event as { replyToken?: string }).replyToken ?? null;
        const request = {
          chatId: row.chat_id,
          messages,
          inboxEventId: row.id,
          replyToken,
          replyDeadline: replyToken ? Number(row.event_timestamp) + settings.replyTokenMaxAgeMs : null,
        };
        const none = { ids: [] as number[], held: null as HeldOutboxRow | null };
        // Issued together: on PostgreSQL the second statement follows the first on the connection without waiting
        // for a turn of the event loop; on SQLite they run one after the other as before.
        const [answer] = await Promise.all([
          !messages.length
            ? none
            : outbox
              ? queueAndHold(tx, request, this.now(), outbox.lease)
              : queueMessages(tx, request, this.now()).then((ids) => ({ ids, held: null })),
          completeEvent(tx, row.id, workerId, this.now()),
        ]);
        return { queued: answer.ids.length, held: answer.held };
      });
      // Handed over only after the commit: a message exists only if the work that made it committed.
      const handed = held !== null && outbox!.take(held);
      if (queued) this.o.onQueued?.(queued - (handed ? 1 : 0));
    } catch (err) {
      if (err instanceof LeaseLostError) {
        log.warn('event taken over by another worker after its lease expired; this attempt was rolled back');
        return;
      }
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      const outcome = await failEvent(db, row, workerId, message, this.now(), {
        maxAttempts: settings.eventMaxAttempts,
        baseMs: settings.retryBaseMs,
        maxMs: settings.retryMaxMs,
      }).catch(() => 'unrecorded');
      log.error({ err, attempt: row.attempts, outcome }, outcome === 'failed' ? 'event parked as failed' : 'event failed; will retry');
    } finally {
      clearTimeout(loading);
    }
  }

  /** LINE's "typing" dots in a one-to-one chat when the answer is not there within a moment of receipt. */
  private scheduleLoading(row: InboxRow): NodeJS.Timeout | undefined {
    const { line, logger, settings } = this.o;
    if (!isUserId(row.chat_id) || row.event_type !== 'message' && row.event_type !== 'postback') return undefined;
    // Counted from the claim, not from receipt: an event that waited in a backlog is answered right after its
    // claim, and dots then would cost a LINE call per event exactly when the server is short of time.
    const delay = settings.loadingAnimationAfterMs;
    const timer = setTimeout(() => {
      line.showLoading(row.chat_id, 20).catch((err) => logger.debug({ err }, 'loading animation not shown'));
    }, delay);
    timer.unref();
    return timer;
  }
}
