/** The emulator's public types: other code (tests, the benchmark, server tests) depends on exactly these shapes. */
import type { webhook } from '@line/bot-sdk';

export type WebhookEvent = webhook.Event;

export interface EmulatorLogger {
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
}

export interface EmulatorOptions {
  /** 0 = ephemeral (default 0) */
  port?: number;
  /** default '127.0.0.1' */
  host?: string;
  /** Used to sign webhook requests. */
  channelSecret: string;
  /** `Authorization: Bearer <token>` required on every /v2 API call, else 401. */
  channelAccessToken: string;
  /** Where events are delivered. */
  webhookUrl?: string;
  /** default 60_000 (LINE: about one minute) */
  replyTokenTtlMs?: number;
  logger?: EmulatorLogger;
  /** The plan's free messages a month, served by GET /v2/bot/message/quota; default: no limit (`type: none`). */
  messageQuota?: number;
}

export type Endpoint = 'reply' | 'push' | 'loading' | 'profile' | 'content' | 'richmenu' | 'other';

export interface RecordedCall {
  seq: number;
  /** Date.now() at arrival */
  at: number;
  endpoint: Endpoint;
  method: string;
  path: string;
  retryKey?: string;
  body?: unknown;
  /** The status answered; for a dropped response, the status that would have been sent; 0 for a network error. */
  status: number;
  response?: unknown;
  /** Set when an injected fault shaped this call (its response was lost, or never processed). */
  fault?: 'status' | 'networkError' | 'dropAfterAccept';
}

export interface Fault {
  endpoint: Endpoint | '*';
  /** Answer this status with LINE's error body. */
  status?: number;
  /** How many calls it applies to, default 1, Infinity allowed. */
  count?: number;
  /** Delay before answering. */
  latencyMs?: number;
  /** Process the call fully (deliver, accept retry key, consume token), then destroy the socket: a lost response. */
  dropAfterAccept?: boolean;
  /** Destroy the socket without processing. */
  networkError?: boolean;
}

export interface UserProfileInput {
  userId?: string;
  displayName: string;
  language?: string;
  pictureUrl?: string;
  statusMessage?: string;
}

export interface UserProfile {
  userId: string;
  displayName: string;
  language?: string;
  pictureUrl?: string;
  statusMessage?: string;
}

export interface DeliveredMessage {
  via: 'reply' | 'push';
  message: unknown;
  at: number;
}

/**
 * What a test writes to build an event: `type` plus anything to override. `userId` / `groupId` / `roomId` are
 * shortcuts for `source`; everything LINE always sends (webhookEventId, timestamp, mode, deliveryContext,
 * replyToken, message.id, quoteToken) is filled in unless given.
 */
export interface PartialEvent {
  type: string;
  userId?: string;
  groupId?: string;
  roomId?: string;
  source?: { type: 'user' | 'group' | 'room'; userId?: string; groupId?: string; roomId?: string };
  replyToken?: string;
  timestamp?: number;
  mode?: 'active' | 'standby';
  webhookEventId?: string;
  deliveryContext?: { isRedelivery: boolean };
  message?: { type: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface WebhookResult {
  status: number;
  body: string;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:PORT ; serves /v2/... at the root for BOTH api.line.me and api-data.line.me paths */
  url: string;
  close(): Promise<void>;
  setWebhookUrl(url: string): void;
  calls(filter?: Partial<Pick<RecordedCall, 'endpoint'>>): RecordedCall[];
  clearCalls(): void;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Returns the userId (U + 32 lowercase hex, generated if absent); the profile is served by GET /v2/bot/profile/{userId}. */
  addUser(u: UserProfileInput): string;
  /** Served by GET /v2/bot/message/{messageId}/content */
  putContent(messageId: string, bytes: Buffer, contentType: string): void;
  mintReplyToken(chatId: string, issuedAt?: number): string;
  /** What the LINE user (or group) actually sees, in order, each message once. */
  delivered(chatId: string): DeliveredMessage[];
  buildEvent(partial: PartialEvent): WebhookEvent;
  deliver(events: WebhookEvent[], opts?: { destination?: string; signature?: string }): Promise<WebhookResult>;
  deliverRaw(rawBody: string | Buffer, headers?: Record<string, string>): Promise<WebhookResult>;
  waitForCalls(predicate: (c: RecordedCall[]) => boolean, timeoutMs?: number): Promise<RecordedCall[]>;
  /** The plan's monthly quota (GET /v2/bot/message/quota); null: no limit. */
  setMessageQuota(value: number | null): void;
  /** Messages counted against the quota so far (GET /v2/bot/message/quota/consumption): one per push recipient. */
  pushedThisMonth(): number;
}
