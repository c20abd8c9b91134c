/**
 * Webhook events as LINE sends them (emulator/openapi/webhook.json): a test names the event type and what matters
 * to it; everything LINE always sends is filled in here.
 */
import { newQuoteToken, newWebhookEventId } from './ids';
import type { PartialEvent, WebhookEvent } from './types';

/** Event types LINE gives a reply token. */
export const REPLYABLE = new Set(['message', 'follow', 'join', 'memberJoined', 'postback', 'beacon', 'accountLink', 'things']);
/** Message types that carry a quoteToken in the webhook. */
const QUOTABLE = new Set(['text', 'image', 'video', 'sticker']);
/** Media LINE stores for the bot to download: contentProvider says so. */
const MEDIA = new Set(['image', 'video', 'audio']);

export interface EventMinting {
  mintReplyToken(chatId: string): string;
  newMessageId(): string;
}

type Source = NonNullable<PartialEvent['source']>;

function sourceOf(p: PartialEvent): Source | undefined {
  if (p.source !== undefined) return p.source;
  if (p.groupId !== undefined) return { type: 'group', groupId: p.groupId, ...(p.userId ? { userId: p.userId } : {}) };
  if (p.roomId !== undefined) return { type: 'room', roomId: p.roomId, ...(p.userId ? { userId: p.userId } : {}) };
  if (p.userId !== undefined) return { type: 'user', userId: p.userId };
  return undefined;
}

/** The chat a reply to this event lands in: the group or room when there is one, else the user. */
export function chatIdOf(source: Source | undefined): string {
  return source?.groupId ?? source?.roomId ?? source?.userId ?? '';
}

export function buildEvent(partial: PartialEvent, mint: EventMinting, now: number = Date.now()): WebhookEvent {
  const { userId: _u, groupId: _g, roomId: _r, source: _s, message, ...rest } = partial;
  const source = sourceOf(partial);
  const event: Record<string, unknown> = {
    type: partial.type,
    mode: 'active',
    timestamp: now,
    webhookEventId: newWebhookEventId(now),
    deliveryContext: { isRedelivery: false },
  };
  if (source !== undefined) event['source'] = source;
  if (REPLYABLE.has(partial.type) && partial.replyToken === undefined) {
    event['replyToken'] = mint.mintReplyToken(chatIdOf(source));
  }
  if (partial.type === 'message') event['message'] = fillMessage(message ?? { type: 'text', text: '' }, mint);
  if (partial.type === 'follow' && partial['follow'] === undefined) event['follow'] = { isUnblocked: false };
  if (partial.type === 'postback' && partial['postback'] === undefined) event['postback'] = { data: '' };
  Object.assign(event, rest);
  return event as unknown as WebhookEvent;
}

function fillMessage(message: NonNullable<PartialEvent['message']>, mint: EventMinting): Record<string, unknown> {
  const m: Record<string, unknown> = { id: mint.newMessageId() };
  if (QUOTABLE.has(message.type)) m['quoteToken'] = newQuoteToken();
  if (MEDIA.has(message.type)) m['contentProvider'] = { type: 'line' };
  if (message.type === 'sticker') m['stickerResourceType'] = 'STATIC';
  return { ...m, ...message };
}
