import { EntitySchema } from 'typeorm';

/**
 * Entities as EntitySchema: tsx/esbuild emit no decorator metadata, so every column names its type here.
 * Times are epoch milliseconds in bigint columns: the same on both engines, no time-zone surprises.
 */

export type InboxStatus = 'pending' | 'processing' | 'done' | 'ignored' | 'failed';

/** A webhook event as LINE delivered it, stored before the webhook is acknowledged. */
export interface InboxEvent {
  id: number;
  webhookEventId: string;
  destination: string | null;
  chatId: string;
  eventType: string;
  messageType: string | null;
  mode: string;
  isRedelivery: boolean;
  payload: string;
  eventTimestamp: number;
  receivedAt: number;
  status: InboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lockedBy: string | null;
  lockedUntil: number | null;
  lastError: string | null;
  finishedAt: number | null;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** Up to five messages for one chat, sent by reply while the token is fresh, else by push with a retry key. */
export interface OutboxMessage {
  id: number;
  chatId: string;
  inboxEventId: number | null;
  replyToken: string | null;
  replyDeadline: number | null;
  /** The JSON array of messages, encrypted ("v2:<key id>:…", storage/outbox.ts); erased ("[]") once delivered. */
  messages: string;
  retryKey: string;
  status: OutboxStatus;
  via: 'reply' | 'push' | null;
  attempts: number;
  nextAttemptAt: number;
  lockedBy: string | null;
  lockedUntil: number | null;
  lastStatus: number | null;
  lastError: string | null;
  lineRequestId: string | null;
  createdAt: number;
  sentAt: number | null;
}

/** The bytes of a photo, video, audio or file a user sent; LINE keeps them only a short while. */
export interface LineContent {
  messageId: string;
  chatId: string;
  contentType: string;
  size: number;
  sha256: string;
  bytes: Buffer;
  fetchedAt: number;
}

const ms = { type: 'bigint' as const };
const msNullable = { type: 'bigint' as const, nullable: true };

export const InboxEventSchema = new EntitySchema<InboxEvent>({
  name: 'InboxEvent',
  tableName: 'inbox_event',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    webhookEventId: { name: 'webhook_event_id', type: 'varchar', length: 64, unique: true },
    destination: { type: 'varchar', length: 64, nullable: true },
    chatId: { name: 'chat_id', type: 'varchar', length: 64 },
    eventType: { name: 'event_type', type: 'varchar', length: 40 },
    messageType: { name: 'message_type', type: 'varchar', length: 40, nullable: true },
    mode: { type: 'varchar', length: 16 },
    isRedelivery: { name: 'is_redelivery', type: 'boolean' },
    payload: { type: 'text' },
    eventTimestamp: { name: 'event_timestamp', ...ms },
    receivedAt: { name: 'received_at', ...ms },
    status: { type: 'varchar', length: 16 },
    attempts: { type: 'integer' },
    nextAttemptAt: { name: 'next_attempt_at', ...ms },
    lockedBy: { name: 'locked_by', type: 'varchar', length: 64, nullable: true },
    lockedUntil: { name: 'locked_until', ...msNullable },
    lastError: { name: 'last_error', type: 'text', nullable: true },
    finishedAt: { name: 'finished_at', ...msNullable },
  },
});

export const OutboxMessageSchema = new EntitySchema<OutboxMessage>({
  name: 'OutboxMessage',
  tableName: 'outbox_message',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    chatId: { name: 'chat_id', type: 'varchar', length: 64 },
    inboxEventId: { name: 'inbox_event_id', type: 'integer', nullable: true },
    replyToken: { name: 'reply_token', type: 'varchar', length: 255, nullable: true },
    replyDeadline: { name: 'reply_deadline', ...msNullable },
    messages: { type: 'text' },
    retryKey: { name: 'retry_key', type: 'varchar', length: 36 },
    status: { type: 'varchar', length: 16 },
    via: { type: 'varchar', length: 8, nullable: true },
    attempts: { type: 'integer' },
    nextAttemptAt: { name: 'next_attempt_at', ...ms },
    lockedBy: { name: 'locked_by', type: 'varchar', length: 64, nullable: true },
    lockedUntil: { name: 'locked_until', ...msNullable },
    lastStatus: { name: 'last_status', type: 'integer', nullable: true },
    lastError: { name: 'last_error', type: 'text', nullable: true },
    lineRequestId: { name: 'line_request_id', type: 'varchar', length: 64, nullable: true },
    createdAt: { name: 'created_at', ...ms },
    sentAt: { name: 'sent_at', ...msNullable },
  },
});

const lineContentSchema = (binaryType: 'blob' | 'bytea') => new EntitySchema<LineContent>({
  name: 'LineContent',
  tableName: 'line_content',
  columns: {
    messageId: { name: 'message_id', type: 'varchar', length: 32, primary: true },
    chatId: { name: 'chat_id', type: 'varchar', length: 64 },
    contentType: { name: 'content_type', type: 'varchar', length: 128 },
    size: { type: 'integer' },
    sha256: { type: 'varchar', length: 64 },
    // TypeORM checks column types per driver and has no binary type both accept.
    bytes: { type: binaryType },
    fetchedAt: { name: 'fetched_at', ...ms },
  },
});

export const LineContentSchema = { sqlite: lineContentSchema('blob'), postgres: lineContentSchema('bytea') };

export function entitiesFor(dialect: 'sqlite' | 'postgres') {
  return [InboxEventSchema, OutboxMessageSchema, LineContentSchema[dialect]];
}
