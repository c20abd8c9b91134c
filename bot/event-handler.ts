import type { webhook } from '@line/bot-sdk';
import type { Database, Tx } from '../storage/database';
import type { LineApi } from '../line/api';
import type { LineMessage } from '../line/message-limits';
import type { Logger } from '../runtime/logger';

/** What a handler knows about the event it is handling. */
export interface EventContext {
  event: webhook.Event;
  /** The user, group or room id this event belongs to ('-' when the event has none). */
  chatId: string;
  inboxEventId: number;
  webhookEventId: string;
  line: LineApi;
  /** For reads in `prepare`; writes belong in `apply`'s transaction. */
  db: Database;
  logger: Logger;
  now: number;
}

/**
 * The conversation work for one event, in two steps so that no network call is ever made while a database
 * transaction is open: `prepare` does the I/O (a profile, a photo's bytes), `apply` runs inside the transaction
 * that also marks the event done and queues the returned messages in the outbox. A step that throws leaves
 * nothing behind: the event is retried from the start.
 */
export interface EventHandler<Prepared = unknown> {
  prepare?(ctx: EventContext): Promise<Prepared>;
  apply(ctx: EventContext, prepared: Prepared, tx: Tx): Promise<LineMessage[]>;
}
