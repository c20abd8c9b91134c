import { messagingApi, HTTPFetchError } from '@line/bot-sdk';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

const USER_AGENT = 'line-botsdk-nodejs/11.0.0 (echannel)';
import { assertChatId, assertMessageId, assertUserId } from './ids';
import type { LineMessage } from './message-limits';
import { metrics, timer } from '../runtime/metrics';
import { LineHttpThread } from './http-thread';

/** LINE answered, and said no: carries the status and LINE's own error body. */
export class LineApiError extends Error {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly body: string,
    readonly requestId: string | null,
  ) {
    super(`LINE ${endpoint} answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'LineApiError';
  }

  /** 5xx and 429 may succeed later; other 4xx will not. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429;
  }

  get isInvalidReplyToken(): boolean {
    return this.status === 400 && /invalid reply token/i.test(this.body);
  }
}

/** LINE could not be reached, or did not answer in time: whether the request took effect is unknown. */
export class LineNetworkError extends Error {
  constructor(
    readonly endpoint: string,
    override readonly cause: unknown,
  ) {
    super(`LINE ${endpoint} unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'LineNetworkError';
  }
}

export interface LineApiOptions {
  channelAccessToken: string;
  apiBaseUrl: string;
  dataApiBaseUrl: string;
  timeoutMs: number;
  /**
   * reply, push and the profile on a thread of their own (line/http-thread.ts), off the event loop: what the server
   * does. Without it (scripts, tests) they run in the process, as they always did.
   */
  offThread?: boolean;
}

export interface LineProfile {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  statusMessage?: string;
  language?: string;
}

export interface SendResult {
  status: number;
  requestId: string | null;
}

/**
 * The Messaging API calls the bot makes, through @line/bot-sdk's clients with our base URLs (LINE, a staging
 * proxy or the emulator). Adds what the SDK lacks: ID checks before any URL, a timeout, and two error classes
 * that tell "LINE said no" from "LINE was not reached".
 */
export class LineApi {
  private readonly client: messagingApi.MessagingApiClient;
  private readonly blob: messagingApi.MessagingApiBlobClient;
  /** Idle sockets are dropped after 4 s (as undici does), before a server's keep-alive timeout can race a reuse. */
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });
  private readonly tlsAgent = new https.Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });
  private readonly thread: LineHttpThread | null;

  constructor(private readonly opts: LineApiOptions) {
    this.client = new messagingApi.MessagingApiClient({ channelAccessToken: opts.channelAccessToken, baseURL: opts.apiBaseUrl });
    this.blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: opts.channelAccessToken, baseURL: opts.dataApiBaseUrl });
    this.thread = opts.offThread ? new LineHttpThread({ maxSockets: 256, idleTimeoutMs: 4_000 }) : null;
  }

  /** Ends the request thread, when there is one (the server's shutdown, after the last send). */
  async close(): Promise<void> {
    await this.thread?.close();
  }

  async reply(replyToken: string, messages: readonly LineMessage[]): Promise<SendResult> {
    const r = await this.post('reply', '/v2/bot/message/reply', { replyToken, messages });
    metrics.lineSends.inc({ via: 'reply' });
    return r;
  }

  async push(to: string, messages: readonly LineMessage[], retryKey: string): Promise<SendResult> {
    assertChatId(to);
    const r = await this.post('push', '/v2/bot/message/push', { to, messages }, { 'x-line-retry-key': retryKey });
    // Counted here, when LINE accepted it: a 409 (the retry key already accepted) was counted the first time.
    metrics.lineSends.inc({ via: 'push' });
    return r;
  }

  /** The plan's messages this month: a number, or null when the plan sets no limit. */
  async messageQuota(): Promise<number | null> {
    const q = await this.call('quota', () => this.client.getMessageQuota());
    return q.type === 'limited' && typeof q.value === 'number' ? q.value : null;
  }

  /** Messages counted against the quota this month (pushes, one per recipient; replies are free). */
  async messageQuotaUsed(): Promise<number> {
    return (await this.call('quota', () => this.client.getMessageQuotaConsumption())).totalUsage;
  }

  /**
   * reply and push, the calls made for every event, go out on node:http(s) with a keep-alive pool: the SDK client's
   * fetch (undici, web streams) costs several times the CPU per call, and at a thousand events a second that is
   * the difference between keeping up and not. Same requests, same errors as through the SDK.
   */
  private post(endpoint: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<SendResult> {
    return counted(endpoint, this.postUncounted(endpoint, path, body, headers));
  }

  private async postUncounted(endpoint: string, path: string, body: unknown, headers: Record<string, string>): Promise<SendResult> {
    if (this.thread) {
      const r = await this.onThread(endpoint, 'POST', path, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
      return { status: r.status, requestId: r.requestId };
    }
    const url = new URL(path, this.opts.apiBaseUrl);
    const data = Buffer.from(JSON.stringify(body));
    const tls = url.protocol === 'https:';
    return new Promise<SendResult>((resolve, reject) => {
      const req = (tls ? https : http).request(
        url,
        {
          method: 'POST',
          agent: tls ? this.tlsAgent : this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': data.length,
            authorization: `Bearer ${this.opts.channelAccessToken}`,
            'user-agent': USER_AGENT,
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            const status = res.statusCode ?? 0;
            const requestId = (res.headers['x-line-request-id'] as string | undefined) ?? null;
            if (status >= 200 && status < 300) resolve({ status, requestId });
            else reject(new LineApiError(endpoint, status, Buffer.concat(chunks).toString('utf8'), requestId));
          });
          res.on('error', (err) => {
            clearTimeout(timer);
            reject(new LineNetworkError(endpoint, err));
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no answer in ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(new LineNetworkError(endpoint, err));
      });
      req.end(data);
    });
  }

  /** The Official Account's own profile; `basicId` ("@123abcde") is what LINE's URL schemes name it by. */
  async botInfo(): Promise<{ basicId: string; premiumId?: string; displayName: string }> {
    return this.call('botInfo', () => this.client.getBotInfo());
  }

  /** The "typing" dots in a one-to-one chat; LINE allows 5 to 60 seconds in steps of 5. */
  async showLoading(userId: string, seconds = 20): Promise<void> {
    assertUserId(userId);
    const loadingSeconds = Math.min(60, Math.max(5, Math.round(seconds / 5) * 5));
    await this.call('loading', () => this.client.showLoadingAnimation({ chatId: userId, loadingSeconds }));
  }

  async getProfile(userId: string): Promise<LineProfile> {
    assertUserId(userId);
    if (this.thread) {
      const r = await counted('profile', this.onThread('profile', 'GET', `/v2/bot/profile/${userId}`, null, {}));
      return JSON.parse(r.body) as LineProfile;
    }
    return (await this.call('profile', () => this.client.getProfile(userId))) as LineProfile;
  }

  /** A request on the thread, answered as the SDK and postUncounted answer: 2xx, else LineApiError; no answer, LineNetworkError. */
  private async onThread(endpoint: string, method: 'GET' | 'POST', path: string, body: string | null, headers: Record<string, string>) {
    let r;
    try {
      r = await this.thread!.request({
        method,
        url: new URL(path, this.opts.apiBaseUrl).href,
        headers: { authorization: `Bearer ${this.opts.channelAccessToken}`, 'user-agent': USER_AGENT, ...headers },
        body,
        timeoutMs: this.opts.timeoutMs,
      });
    } catch (err) {
      throw new LineNetworkError(endpoint, err);
    }
    if (r.status < 200 || r.status >= 300) throw new LineApiError(endpoint, r.status, r.body, r.requestId);
    return r;
  }

  /** The bytes of a message's photo, video, audio or file; LINE keeps them only a while, so fetch at once. */
  async getContent(messageId: string, maxBytes: number): Promise<{ bytes: Buffer; contentType: string }> {
    assertMessageId(messageId);
    const res = await this.call('content', () => this.blob.getMessageContentWithHttpInfo(messageId));
    const bytes = await readAll(res.body, maxBytes);
    return { bytes, contentType: res.httpResponse.headers.get('content-type') ?? 'application/octet-stream' };
  }

  private call<T>(endpoint: string, fn: () => Promise<T>): Promise<T> {
    return counted(endpoint, this.callUncounted(endpoint, fn));
  }

  private async callUncounted<T>(endpoint: string, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LineNetworkError(endpoint, new Error(`no answer in ${this.opts.timeoutMs} ms`))), this.opts.timeoutMs);
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (err) {
      if (err instanceof LineNetworkError) throw err;
      if (err instanceof HTTPFetchError) {
        throw new LineApiError(endpoint, err.status, err.body ?? '', err.headers?.get?.('x-line-request-id') ?? null);
      }
      throw new LineNetworkError(endpoint, err);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Every call counted by endpoint and status (LineApiError's status, "network" when LINE was not reached) and timed. */
async function counted<T>(endpoint: string, call: Promise<T>): Promise<T> {
  const done = timer(metrics.lineSeconds, { endpoint });
  try {
    const value = await call;
    metrics.lineRequests.inc({ endpoint, status: String((value as { status?: unknown })?.status ?? 200) });
    return value;
  } catch (err) {
    metrics.lineRequests.inc({ endpoint, status: err instanceof LineApiError ? String(err.status) : 'network' });
    throw err;
  } finally {
    done();
  }
}

export class ContentTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`content larger than ${limit} bytes`);
    this.name = 'ContentTooLargeError';
  }
}

async function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += b.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new ContentTooLargeError(maxBytes);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
