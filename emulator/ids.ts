/** Identifiers in LINE's formats. Cheap to make: they are minted on the hot path. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const USER_ID = /^U[0-9a-f]{32}$/;
export const CHAT_ID = /^[UCR][0-9a-f]{32}$/;
export const MESSAGE_ID = /^[0-9]{1,32}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID: 10 characters of millisecond time, then 16 of randomness, Crockford base32 (LINE's webhookEventId). */
export function newWebhookEventId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! & 31]!;
  return time + rand;
}

export function newUserId(): string {
  return `U${hex32()}`;
}

export function newReplyToken(): string {
  return hex32();
}

export function newRequestId(): string {
  return randomUUID();
}

export function newQuoteToken(): string {
  return randomBytes(33).toString('base64url');
}

export function newRichMenuId(): string {
  return `richmenu-${hex32()}`;
}

/** The bot's own user id, stable for a channel secret so restarts keep the same webhook `destination`. */
export function destinationFor(channelSecret: string): string {
  return `U${createHash('sha256').update(`destination:${channelSecret}`).digest('hex').slice(0, 32)}`;
}

function hex32(): string {
  return randomUUID().replaceAll('-', '');
}

/** Message ids are digits, increasing, like LINE's 18-digit ids. */
export class MessageIdSource {
  private next = BigInt(Date.now()) * 100_000n;
  newId(): string {
    this.next += 1n;
    return this.next.toString();
  }
}
