import http from 'node:http';
import https from 'node:https';

/** The receiver answered, and not with 2xx: carries its status and the start of its body. */
export class WebhookHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`webhook answered ${status}: ${body.slice(0, 300)}`);
    this.name = 'WebhookHttpError';
  }

  /** 5xx, 408 and 429 may succeed later; another 4xx says the request itself is wrong. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

/** The receiver was not reached or did not answer in time: whether it took the body is unknown. */
export class WebhookNetworkError extends Error {
  constructor(override readonly cause: unknown) {
    super(`webhook unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'WebhookNetworkError';
  }
}

/** POSTs a JSON body and waits at most timeoutMs for the whole answer; redirects are not followed. */
export function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const u = new URL(url);
  const data = Buffer.from(body);
  return new Promise<number>((resolve, reject) => {
    const req = (u.protocol === 'https:' ? https : http).request(
      u,
      { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': data.length, 'user-agent': 'echannel-notify/1', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          // Only the start of an answer is kept, for the error message.
          if (size < 4096) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else reject(new WebhookHttpError(status, Buffer.concat(chunks).toString('utf8')));
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(new WebhookNetworkError(err));
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(new WebhookNetworkError(err));
    });
    req.end(data);
  });
}
