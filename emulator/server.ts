/**
 * The emulator's HTTP server and its module API. One node:http server serves three things:
 *  - /v2/...       the Messaging API (api.line.me and api-data.line.me paths), as LINE answers it;
 *  - /emulator/... a thin control API over the module API, for processes that did not start the emulator;
 *  - /simulator    the chat page a person uses to talk to the bot as a LINE user.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ApiCall, type ApiResponse, LineApiError, header } from './api-context';
import { CallLog } from './call-log';
import { ContentStore } from './contents';
import { handleControl } from './control-routes';
import { FaultQueue } from './faults';
import { BodyTooLargeError, readBody, sendJson, splitUrl } from './http-util';
import { MessageIdSource, destinationFor, newRequestId } from './ids';
import { faultBody, lineErrors } from './line-errors';
import { requestValidators } from './messaging-api-schema';
import { type MessagingApiState, classify, handleMessagingApi } from './messaging-api';
import { Profiles } from './profiles';
import { ReplyTokenStore } from './reply-tokens';
import { RetryKeyStore } from './retry-keys';
import { RichMenus } from './rich-menus';
import { handleSimulator } from './simulator-routes';
import { Transcripts } from './transcripts';
import type { Emulator, EmulatorLogger, EmulatorOptions, Fault, RecordedCall } from './types';
import { postWebhook, signedHeaders } from './webhook-delivery';
import { buildEvent } from './webhook-events';
import type { EmulatorInternals } from './internals';

export class EmulatorConfigError extends Error {
  override readonly name = 'EmulatorConfigError';
}

const BODY_LIMIT = 12 * 1024 * 1024;
const silent: EmulatorLogger = { info: () => {}, warn: () => {} };

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  if (!opts.channelSecret) throw new EmulatorConfigError('channelSecret is required: webhook requests are signed with it');
  if (!opts.channelAccessToken) throw new EmulatorConfigError('channelAccessToken is required: every API call must carry it');
  const logger = opts.logger ?? silent;
  const replyTokenTtlMs = opts.replyTokenTtlMs ?? 60_000;
  const destination = destinationFor(opts.channelSecret);
  const expectedAuth = `Bearer ${opts.channelAccessToken}`;
  let webhookUrl = opts.webhookUrl;

  const validators = requestValidators();
  const state: MessagingApiState = {
    destination,
    validators,
    tokens: new ReplyTokenStore(replyTokenTtlMs),
    retryKeys: new RetryKeyStore(),
    transcripts: new Transcripts(),
    profiles: new Profiles(),
    contents: new ContentStore(),
    richMenus: new RichMenus(validators.richMenu),
    messageIds: new MessageIdSource(),
    pushed: { count: 0 },
    quota: { value: opts.messageQuota ?? null },
  };
  const log = new CallLog();
  const faults = new FaultQueue();

  function answer(call: ApiCall, endpoint: RecordedCall['endpoint']): ApiResponse {
    try {
      if (call.headers.authorization !== expectedAuth) throw lineErrors.unauthorized();
      return handleMessagingApi(state, call, endpoint);
    } catch (err) {
      if (err instanceof LineApiError) return { status: err.status, json: err.body, headers: err.headers };
      logger.warn({ err, path: call.path }, 'emulator: handler failed');
      return { status: 500, json: faultBody(500) };
    }
  }

  async function onApi(req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<void> {
    const at = Date.now();
    const endpoint = classify(path);
    const fault = faults.take(endpoint);
    const requestId = newRequestId();
    let body: Buffer;
    try {
      body = await readBody(req, BODY_LIMIT);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      const e = lineErrors.tooLarge();
      sendJson(res, e.status, e.body, { 'x-line-request-id': requestId });
      return;
    }
    const call: ApiCall = { method: req.method ?? 'GET', path, query, headers: req.headers, body, requestId };
    if (fault?.latencyMs) await sleep(fault.latencyMs);

    const record = (status: number, response: unknown, kind?: RecordedCall['fault']): void => {
      const entry: Omit<RecordedCall, 'seq'> = { at, endpoint, method: call.method, path, status };
      const retryKey = header(call, 'x-line-retry-key');
      if (retryKey !== undefined) entry.retryKey = retryKey;
      const recordedBody = call.parsedBody ?? describeBody(call);
      if (recordedBody !== undefined) entry.body = recordedBody;
      if (response !== undefined) entry.response = response;
      if (kind !== undefined) entry.fault = kind;
      log.record(entry);
    };

    if (fault?.networkError) {
      record(0, undefined, 'networkError');
      req.socket.destroy();
      return;
    }
    const response: ApiResponse =
      fault?.status !== undefined ? { status: fault.status, json: faultBody(fault.status) } : answer(call, endpoint);
    const recordedResponse = response.bytes
      ? { bytes: response.bytes.data.length, contentType: response.bytes.contentType }
      : response.json;
    if (fault?.dropAfterAccept) {
      record(response.status, recordedResponse, 'dropAfterAccept');
      req.socket.destroy();
      return;
    }
    const headers = { ...response.headers, 'x-line-request-id': requestId };
    if (response.bytes) {
      res.writeHead(response.status, {
        ...headers,
        'content-type': response.bytes.contentType,
        'content-length': response.bytes.data.length,
      });
      res.end(response.bytes.data);
    } else {
      sendJson(res, response.status, response.json, headers);
    }
    record(response.status, recordedResponse, fault?.status !== undefined ? 'status' : undefined);
  }

  const server: Server = createServer((req, res) => {
    const { path, query } = splitUrl(req.url);
    let handled: Promise<void>;
    if (path.startsWith('/v2/')) handled = onApi(req, res, path, query);
    else if (path.startsWith('/emulator/')) handled = handleControl(internals, req, res, path, query);
    else if (path === '/simulator' || path.startsWith('/simulator/')) handled = handleSimulator(internals, req, res, path, query);
    else if (path === '/' && req.method === 'GET') {
      res.writeHead(302, { location: '/simulator' });
      res.end();
      return;
    } else {
      sendJson(res, 404, { message: 'Not found' });
      return;
    }
    handled.catch((err: unknown) => {
      logger.warn({ err, path }, 'emulator: request failed');
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal server error' });
      else res.destroy();
    });
  });
  // Clients (undici, the SDK's fetch) keep connections alive; close them only well after they would.
  server.keepAliveTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const emulator: Emulator = {
    url,
    async close() {
      state.tokens.close();
      state.retryKeys.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams and idle keep-alive connections would hold close() open forever.
        server.closeAllConnections();
      });
    },
    setWebhookUrl(u) {
      webhookUrl = u;
    },
    calls: (filter) => log.list(filter),
    clearCalls: () => log.clear(),
    inject: (fault: Fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    addUser: (u) => state.profiles.add(u),
    putContent: (messageId, bytes, contentType) => state.contents.put(messageId, bytes, contentType),
    mintReplyToken: (chatId, issuedAt) => state.tokens.mint(chatId, issuedAt),
    delivered: (chatId) => state.transcripts.delivered(chatId),
    buildEvent: (partial) =>
      buildEvent(partial, {
        mintReplyToken: (chatId) => state.tokens.mint(chatId),
        newMessageId: () => state.messageIds.newId(),
      }),
    async deliver(events, o) {
      const raw = JSON.stringify({ destination: o?.destination ?? destination, events });
      return postWebhook(webhookUrl, raw, signedHeaders(opts.channelSecret, raw, o?.signature));
    },
    async deliverRaw(rawBody, headers) {
      return postWebhook(webhookUrl, rawBody, { ...signedHeaders(opts.channelSecret, rawBody), ...headers });
    },
    waitForCalls: (predicate, timeoutMs = 5_000) => log.waitFor(predicate, timeoutMs),
    setMessageQuota(value) {
      state.quota.value = value;
    },
    pushedThisMonth: () => state.pushed.count,
  };

  const internals: EmulatorInternals = {
    emulator,
    channelSecret: opts.channelSecret,
    destination,
    replyTokenTtlMs,
    webhookUrl: () => webhookUrl,
    state,
    log,
    logger,
  };
  logger.info({ url }, 'LINE emulator listening');
  return emulator;
}

/** What the call log keeps of a body the handler did not parse (auth failed first, or a fault answered). */
function describeBody(call: ApiCall): unknown {
  if (call.body.length === 0) return undefined;
  const type = header(call, 'content-type') ?? '';
  if (/^application\/json/i.test(type)) {
    try {
      return JSON.parse(call.body.toString('utf8'));
    } catch {
      return call.body.toString('utf8');
    }
  }
  return { bytes: call.body.length, contentType: type };
}

