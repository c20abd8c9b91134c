import http from 'node:http';
import https from 'node:https';
import { hostOf, publicOnlyLookup, refuseLiteral, WebhookAddressRefusedError, type WebhookReach } from './webhook-reach';

/**
 * The receiver answered, and not with 2xx. Only the status is kept: a receiver's body is never read into an error,
 * so nothing it says can travel on to stored errors, logs or the district's other targets.
 */
export class WebhookHttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status} from the receiver${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`);
    this.name = 'WebhookHttpError';
  }

  /** 5xx, 408 and 429 may succeed later; another 4xx (or a 3xx: redirects are not followed) will not. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

/**
 * The receiver was not reached or did not answer in time: whether it took the body is unknown. The message names
 * the error code only (ECONNREFUSED, ERR_TLS_CERT_ALTNAME_INVALID), not the text, which may quote the receiver.
 */
export class WebhookNetworkError extends Error {
  constructor(override readonly cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code;
    super(`the receiver could not be reached (${typeof code === 'string' ? code : 'no answer in time'})`);
    this.name = 'WebhookNetworkError';
  }
}

/**
 * POSTs a JSON body and waits at most timeoutMs for the whole answer; redirects are not followed. The connection
 * goes only to a public address, checked when it is made (WebhookAddressRefusedError otherwise, nothing sent).
 */
export function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number, reach: WebhookReach): Promise<number> {
  const u = new URL(url);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && reach.allowPrivateAddresses)) {
    return Promise.reject(new WebhookAddressRefusedError(u.hostname, `a webhook must use https:// (got ${u.protocol})`));
  }
  // Node does not look up a literal IP, so the lookup below never sees one: it is checked here.
  const literal = refuseLiteral(hostOf(u), reach);
  if (literal) return Promise.reject(new WebhookAddressRefusedError(u.hostname, literal));
  const data = Buffer.from(body);
  return new Promise<number>((resolve, reject) => {
    const req = (u.protocol === 'https:' ? https : http).request(
      u,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': data.length, 'user-agent': 'echannel-notify/1', ...headers },
        lookup: publicOnlyLookup(reach),
        // A connection of its own: a pooled socket would skip the check made when a connection is opened.
        agent: false,
      },
      (res) => {
        // The answer's body is drained unread: only the status counts.
        res.resume();
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else reject(new WebhookHttpError(status));
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(new WebhookNetworkError(err));
        });
      },
    );
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err instanceof WebhookAddressRefusedError ? err : new WebhookNetworkError(err));
    });
    req.end(data);
  });
}
