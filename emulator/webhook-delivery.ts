/** Posting to the bot's webhook exactly as LINE does: the exact bytes, signed, with LINE's headers. */
import { signBody } from './signature';
import type { WebhookResult } from './types';

export class WebhookNotConfiguredError extends Error {
  override readonly name = 'WebhookNotConfiguredError';
  constructor() {
    super('No webhook URL: pass webhookUrl to startEmulator() or call setWebhookUrl()');
  }
}

/** "The network failed", as opposed to "the bot answered an error status" (which is a result, not an error). */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`Webhook delivery to ${url} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const TIMEOUT_MS = 30_000;

export const WEBHOOK_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'user-agent': 'LineBotWebhook/2.0',
} as const;

export async function postWebhook(
  url: string | undefined,
  rawBody: string | Buffer,
  headers: Record<string, string>,
): Promise<WebhookResult> {
  if (url === undefined) throw new WebhookNotConfiguredError();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: typeof rawBody === 'string' ? rawBody : new Uint8Array(rawBody),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    throw new WebhookDeliveryError(url, err);
  }
}

export function signedHeaders(channelSecret: string, rawBody: string | Buffer, signature?: string): Record<string, string> {
  return { ...WEBHOOK_HEADERS, 'x-line-signature': signature ?? signBody(channelSecret, rawBody) };
}
