/**
 * Signing webhook bodies for other systems: `X-Echannel-Signature: sha256=<hex HMAC-SHA256 of the raw body>`
 * with the target's shared secret, as GitHub and LINE do. The body carries its own `sentAt` (also sent as
 * X-Echannel-Timestamp), so the signature covers the time and a receiver can refuse a replayed old body.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-echannel-signature';
export const TIMESTAMP_HEADER = 'x-echannel-timestamp';
export const DELIVERY_HEADER = 'x-echannel-delivery';
export const EVENT_HEADER = 'x-echannel-event';

export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** For receivers (and our tests): true only for this secret's signature of exactly these bytes. */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined | null): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
