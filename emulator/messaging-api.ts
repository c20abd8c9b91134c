/**
 * The Messaging API endpoints (api.line.me and api-data.line.me paths, both served at the root). Handlers are
 * synchronous and pure over the emulator's state: the server wraps them with auth, faults, recording and I/O.
 */
import { type ApiCall, type ApiResponse, LineApiError, header, ok, parseJsonBody } from './api-context';
import type { ContentStore } from './contents';
import { CHAT_ID, MESSAGE_ID, type MessageIdSource, USER_ID, UUID, newQuoteToken } from './ids';
import { lineErrors } from './line-errors';
import type { RequestValidators } from './messaging-api-schema';
import type { Profiles } from './profiles';
import type { ReplyTokenStore } from './reply-tokens';
import type { RetryKeyStore } from './retry-keys';
import type { RichMenus } from './rich-menus';
import type { Transcripts } from './transcripts';
import type { Endpoint } from './types';

export interface MessagingApiState {
  destination: string;
  validators: RequestValidators;
  tokens: ReplyTokenStore;
  retryKeys: RetryKeyStore;
  transcripts: Transcripts;
  profiles: Profiles;
  contents: ContentStore;
  richMenus: RichMenus;
  messageIds: MessageIdSource;
  /**
   * Messages pushed this "month" (since start): what getMessageQuotaConsumption reports. LINE counts a request once
   * per recipient, whatever the number of message objects in it; replies are free and not counted.
   */
  pushed: { count: number };
  /** The plan's monthly message quota (getMessageQuota): null is LINE's `{"type":"none"}`, no limit. */
  quota: { value: number | null };
}

interface OutgoingMessage {
  type: string;
}

/** Message types LINE gives a quoteToken when sent (the ones a user can quote back). */
const QUOTABLE = new Set(['text', 'textV2', 'sticker', 'image', 'video']);

export function classify(path: string): Endpoint {
  if (path === '/v2/bot/message/reply') return 'reply';
  if (path === '/v2/bot/message/push') return 'push';
  if (path === '/v2/bot/chat/loading/start') return 'loading';
  if (path.startsWith('/v2/bot/profile/')) return 'profile';
  if (path.startsWith('/v2/bot/message/') && /\/content(\/preview|\/transcoding)?$/.test(path)) return 'content';
  if (path.startsWith('/v2/bot/richmenu') || /^\/v2\/bot\/user\/[^/]+\/richmenu(\/|$)/.test(path)) return 'richmenu';
  return 'other';
}

export function handleMessagingApi(s: MessagingApiState, call: ApiCall, endpoint: Endpoint): ApiResponse {
  const { method, path } = call;
  switch (endpoint) {
    case 'reply':
      return only(method, 'POST', () => reply(s, call));
    case 'push':
      return only(method, 'POST', () => push(s, call));
    case 'loading':
      return only(method, 'POST', () => loading(s, call));
    case 'profile':
      return only(method, 'GET', () => profile(s, path.slice('/v2/bot/profile/'.length)));
    case 'content':
      return only(method, 'GET', () => content(s, path));
    case 'richmenu':
      return s.richMenus.handle(call) ?? notFound();
    case 'other':
      return other(s, call);
  }
}

function only(method: string, expected: string, handler: () => ApiResponse): ApiResponse {
  if (method !== expected) throw lineErrors.methodNotAllowed();
  return handler();
}

function notFound(): never {
  throw lineErrors.notFound();
}

function sentMessages(s: MessagingApiState, messages: readonly OutgoingMessage[]) {
  return messages.map((m) =>
    QUOTABLE.has(m.type) ? { id: s.messageIds.newId(), quoteToken: newQuoteToken() } : { id: s.messageIds.newId() },
  );
}

function reply(s: MessagingApiState, call: ApiCall): ApiResponse {
  const body = parseJsonBody<{ replyToken: string; messages: OutgoingMessage[] }>(call, s.validators.reply);
  const now = Date.now();
  const chatId = s.tokens.chatFor(body.replyToken, now);
  if (chatId === undefined) throw lineErrors.invalidReplyToken();
  s.tokens.consume(body.replyToken);
  const sent = sentMessages(s, body.messages);
  s.transcripts.append(chatId, 'reply', body.messages, now);
  return ok({ sentMessages: sent });
}

function push(s: MessagingApiState, call: ApiCall): ApiResponse {
  const retryKey = header(call, 'x-line-retry-key');
  if (retryKey !== undefined && !UUID.test(retryKey)) throw lineErrors.invalidRetryKey();
  const body = parseJsonBody<{ to: string; messages: OutgoingMessage[] }>(call, s.validators.push);
  if (!CHAT_ID.test(body.to)) throw lineErrors.invalidProperty('to');
  const now = Date.now();
  if (retryKey !== undefined) {
    const accepted = s.retryKeys.get(retryKey, now);
    if (accepted !== undefined) {
      throw new LineApiError(
        409,
        { message: 'The retry key is already accepted', sentMessages: accepted.sentMessages },
        { 'x-line-accepted-request-id': accepted.requestId },
      );
    }
  }
  const sent = sentMessages(s, body.messages);
  s.transcripts.append(body.to, 'push', body.messages, now);
  // One recipient: one message. (To a group LINE counts its members; the emulator keeps no member lists.)
  s.pushed.count += 1;
  if (retryKey !== undefined) {
    s.retryKeys.accept(retryKey, { requestId: call.requestId, sentMessages: sent, acceptedAt: now });
  }
  return ok({ sentMessages: sent });
}

function loading(s: MessagingApiState, call: ApiCall): ApiResponse {
  const body = parseJsonBody<{ chatId: string; loadingSeconds?: number }>(call, s.validators.loading);
  // The loading animation exists only in one-to-one chats.
  if (!USER_ID.test(body.chatId)) throw lineErrors.invalidProperty('chatId');
  s.transcripts.loading(body.chatId, body.loadingSeconds ?? 20);
  return ok({}, 202);
}

function profile(s: MessagingApiState, rawId: string): ApiResponse {
  const userId = safeDecode(rawId);
  if (!USER_ID.test(userId)) throw lineErrors.invalidPathParameter('userId');
  const p = s.profiles.get(userId);
  if (p === undefined) throw lineErrors.notFound();
  return ok(p);
}

function content(s: MessagingApiState, path: string): ApiResponse {
  const m = /^\/v2\/bot\/message\/([^/]+)\/content(\/preview|\/transcoding)?$/.exec(path);
  const messageId = safeDecode(m?.[1] ?? '');
  if (!MESSAGE_ID.test(messageId)) throw lineErrors.invalidPathParameter('messageId');
  const stored = s.contents.get(messageId);
  if (stored === undefined) throw lineErrors.notFound();
  if (m?.[2] === '/transcoding') return ok({ status: 'succeeded' });
  return { status: 200, bytes: { data: stored.bytes, contentType: stored.contentType } };
}

function other(s: MessagingApiState, call: ApiCall): ApiResponse {
  const key = `${call.method} ${call.path}`;
  switch (key) {
    case 'POST /v2/bot/message/validate/reply':
    case 'POST /v2/bot/message/validate/push':
    case 'POST /v2/bot/message/validate/multicast':
    case 'POST /v2/bot/message/validate/narrowcast':
    case 'POST /v2/bot/message/validate/broadcast':
      parseJsonBody(call, s.validators.validateMessages);
      return ok({});
    case 'POST /v2/bot/message/multicast':
      return multicast(s, call);
    case 'POST /v2/bot/chat/markAsRead':
      parseJsonBody(call, s.validators.markAsRead);
      return ok({});
    case 'GET /v2/bot/message/quota':
      return ok(s.quota.value === null ? { type: 'none' } : { type: 'limited', value: s.quota.value });
    case 'GET /v2/bot/message/quota/consumption':
      return ok({ totalUsage: s.pushed.count });
    case 'GET /v2/bot/info':
      return ok({
        userId: s.destination,
        basicId: '@emulator',
        displayName: 'LINE emulator bot',
        chatMode: 'bot',
        markAsReadMode: 'auto',
      });
    default:
      throw lineErrors.notFound();
  }
}

/** Multicast reaches users only (never groups); it shares push's retry-key rules. */
function multicast(s: MessagingApiState, call: ApiCall): ApiResponse {
  const retryKey = header(call, 'x-line-retry-key');
  if (retryKey !== undefined && !UUID.test(retryKey)) throw lineErrors.invalidRetryKey();
  const body = parseJsonBody<{ to: string[]; messages: OutgoingMessage[] }>(call, s.validators.multicast);
  body.to.forEach((to, i) => {
    if (!USER_ID.test(to)) throw lineErrors.invalidProperty(`to[${i}]`);
  });
  const now = Date.now();
  if (retryKey !== undefined) {
    const accepted = s.retryKeys.get(retryKey, now);
    if (accepted !== undefined) {
      throw new LineApiError(409, { message: 'The retry key is already accepted' }, {
        'x-line-accepted-request-id': accepted.requestId,
      });
    }
    s.retryKeys.accept(retryKey, { requestId: call.requestId, sentMessages: [], acceptedAt: now });
  }
  for (const to of body.to) s.transcripts.append(to, 'push', body.messages, now);
  s.pushed.count += body.to.length;
  return ok({});
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
