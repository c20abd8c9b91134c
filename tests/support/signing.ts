import { createHmac } from 'node:crypto';

/** x-line-signature exactly as LINE computes it: base64 of HMAC-SHA256 over the raw body bytes. */
export function lineSignature(secret: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let last = 0;
let counter = 0;

/** A ULID like LINE's webhookEventId: 48-bit time then 80 bits that keep ids in order within a millisecond. */
export function testEventId(): string {
  const now = Date.now();
  counter = now === last ? counter + 1 : 0;
  last = now;
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = '';
  let c = counter;
  for (let i = 0; i < 16; i++) {
    rand = CROCKFORD[i < 6 ? c % 32 : Math.floor(Math.random() * 32)] + rand;
    c = Math.floor(c / 32);
  }
  return time + rand.split('').reverse().join('');
}

export const userId = (n: number) => 'U' + n.toString(16).padStart(32, '0');

export function textEvent(user: string, text: string, over: Record<string, unknown> = {}) {
  return {
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    webhookEventId: testEventId(),
    deliveryContext: { isRedelivery: false },
    source: { type: 'user', userId: user },
    replyToken: 'r' + Math.random().toString(16).slice(2),
    message: { id: String(Math.floor(Math.random() * 1e15)), type: 'text', text, quoteToken: 'q' },
    ...over,
  };
}
