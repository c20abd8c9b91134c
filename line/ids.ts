/**
 * LINE's identifier formats. @line/bot-sdk 11.0.0 puts path parameters into URLs unchecked, so every ID that
 * came from outside is checked here before it reaches a URL or a database key.
 */
const USER_ID = /^U[0-9a-f]{32}$/;
const GROUP_ID = /^C[0-9a-f]{32}$/;
const ROOM_ID = /^R[0-9a-f]{32}$/;
const MESSAGE_ID = /^\d{1,32}$/;
/** webhookEventId is a ULID: 26 characters of Crockford base32. */
const WEBHOOK_EVENT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const isUserId = (v: unknown): v is string => typeof v === 'string' && USER_ID.test(v);
export const isGroupId = (v: unknown): v is string => typeof v === 'string' && GROUP_ID.test(v);
export const isRoomId = (v: unknown): v is string => typeof v === 'string' && ROOM_ID.test(v);
export const isChatId = (v: unknown): v is string => isUserId(v) || isGroupId(v) || isRoomId(v);
export const isMessageId = (v: unknown): v is string => typeof v === 'string' && MESSAGE_ID.test(v);
export const isWebhookEventId = (v: unknown): v is string => typeof v === 'string' && WEBHOOK_EVENT_ID.test(v);

export class InvalidLineIdError extends Error {
  constructor(
    readonly kind: string,
    readonly value: unknown,
  ) {
    super(`not a LINE ${kind} id: ${JSON.stringify(String(value).slice(0, 80))}`);
    this.name = 'InvalidLineIdError';
  }
}

export function assertChatId(v: unknown): string {
  if (!isChatId(v)) throw new InvalidLineIdError('user, group or room', v);
  return v;
}

export function assertUserId(v: unknown): string {
  if (!isUserId(v)) throw new InvalidLineIdError('user', v);
  return v;
}

export function assertMessageId(v: unknown): string {
  if (!isMessageId(v)) throw new InvalidLineIdError('message', v);
  return v;
}

/** The chat an event belongs to: the group or room when there is one, else the user; '-' for none. */
export function chatIdOf(source: unknown): string | null {
  if (!source || typeof source !== 'object') return '-';
  const s = source as { type?: unknown; userId?: unknown; groupId?: unknown; roomId?: unknown };
  const id = s.type === 'group' ? s.groupId : s.type === 'room' ? s.roomId : s.type === 'user' ? s.userId : undefined;
  if (id === undefined) return '-';
  return isChatId(id) ? id : null;
}
