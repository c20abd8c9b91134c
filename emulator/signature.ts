import { createHmac } from 'node:crypto';

/** x-line-signature: base64(HMAC-SHA256(channelSecret, rawBody)), over the exact bytes sent. */
export function signBody(channelSecret: string, rawBody: string | Buffer): string {
  return createHmac('sha256', channelSecret).update(rawBody).digest('base64');
}
