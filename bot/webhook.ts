import express, { type Router } from 'express';
import { validateSignature, SignatureValidationFailed, JSONParseError } from '@line/bot-sdk';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../storage/database';
import { storeEvents, type IncomingEvent } from '../storage/inbox';
import { chatIdOf, isWebhookEventId } from '../line/ids';
import type { Logger } from '../runtime/logger';
import { metrics, timer } from '../runtime/metrics';

/** Event types this bot acts on; any other type is recorded and ignored (LINE adds types over time). */
export const HANDLED_EVENT_TYPES = new Set([
  'message', 'follow', 'unfollow', 'join', 'leave', 'memberJoined', 'memberLeft', 'postback', 'unsend',
  'accountLink', 'videoPlayComplete', 'beacon',
]);
export const HANDLED_MESSAGE_TYPES = new Set(['text', 'image', 'video', 'audio', 'file', 'location', 'sticker']);

export class WebhookBodyError extends Error {
  constructor(readonly reasons: string[]) {
    super(`webhook body rejected: ${reasons.join('; ')}`);
    this.name = 'WebhookBodyError';
  }
}

interface RawEvent {
  type?: unknown;
  mode?: unknown;
  timestamp?: unknown;
  webhookEventId?: unknown;
  source?: unknown;
  deliveryContext?: { isRedelivery?: unknown };
  message?: { type?: unknown };
}

/** Checks each event's envelope and decides, before storing, whether the worker will ever look at it. */
export function classifyEvents(body: unknown): { destination: string | null; events: IncomingEvent[] } {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { events?: unknown }).events)) {
    throw new WebhookBodyError(['the body must be an object with an "events" array']);
  }
  const { destination, events } = body as { destination?: unknown; events: unknown[] };
  const dest = typeof destination === 'string' ? destination.slice(0, 64) : null;
  const reasons: string[] = [];
  const out: IncomingEvent[] = [];
  events.forEach((raw, i) => {
    const e = raw as RawEvent;
    if (!e || typeof e !== 'object') return void reasons.push(`events[${i}] is not an object`);
    if (typeof e.type !== 'string' || e.type.length === 0 || e.type.length > 40) return void reasons.push(`events[${i}].type is missing`);
    if (!isWebhookEventId(e.webhookEventId)) return void reasons.push(`events[${i}].webhookEventId is not a ULID`);
    if (typeof e.timestamp !== 'number' || !Number.isFinite(e.timestamp)) return void reasons.push(`events[${i}].timestamp is not a number`);
    const mode = e.mode === 'standby' ? 'standby' : e.mode === 'active' ? 'active' : String(e.mode ?? 'active').slice(0, 16);
    const messageType = e.type === 'message' && typeof e.message?.type === 'string' ? e.message.type.slice(0, 40) : null;
    const chatId = chatIdOf(e.source);
    let note: string | null = null;
    if (mode !== 'active') note = `mode ${mode}: another channel answers this chat`;
    else if (!HANDLED_EVENT_TYPES.has(e.type)) note = `event type ${e.type} is not handled`;
    else if (e.type === 'message' && !HANDLED_MESSAGE_TYPES.has(messageType ?? '')) note = `message type ${messageType} is not handled`;
    else if (chatId === null) note = 'source id is not in LINE format';
    out.push({
      webhookEventId: e.webhookEventId,
      destination: dest,
      chatId: chatId ?? 'invalid',
      eventType: e.type,
      messageType,
      mode,
      isRedelivery: e.deliveryContext?.isRedelivery === true,
      payload: JSON.stringify(raw),
      eventTimestamp: e.timestamp,
      status: note ? 'ignored' : 'pending',
      note,
    });
  });
  if (reasons.length) throw new WebhookBodyError(reasons);
  return { destination: dest, events: out };
}

export interface WebhookOptions {
  channelSecret: string;
  maxBodyBytes: number;
  db: Database;
  logger: Logger;
  /** Called after events are committed: wakes the worker without waiting for its next poll. */
  onStored?: () => void;
  /**
   * Seals an event's JSON before it is stored: what citizens type (a national ID, a phone number) must not sit in
   * the database in plain text. The server encrypts; the worker opens it again (InboxWorker `openPayload`).
   */
  sealPayload?: (json: string) => string;
  now?: () => number;
}

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The body is larger than maxBodyBytes (413): LINE's own bodies are far smaller. */
export class WebhookTooLargeError extends Error {
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`webhook body over ${limit} bytes`);
    this.name = 'WebhookTooLargeError';
  }
}

/**
 * POST /webhook, on Node's own request and response. The raw bytes are read with a size limit (413 past it), the
 * x-line-signature is checked over exactly those bytes with the SDK's validateSignature (401), and the JSON parsed
 * (400). Events are stored in one transaction on the intake path (Database.intake) and only then is LINE answered
 * 200: the conversation work happens later, in the worker, so the acknowledgement never waits for it.
 *
 * Not express middleware: express's router, its body parser and res.json cost about 100 µs a request on this
 * machine (the benchmark's profile), as much as storing the event; server/app.ts hands POST /webhook straight here.
 */
export function webhookIntake(opts: WebhookOptions): WebhookHandler {
  const now = opts.now ?? Date.now;
  const receive = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    const signature = req.headers['x-line-signature'];
    const body = await readBody(req, opts.maxBodyBytes);
    if (typeof signature !== 'string' || signature === '') throw new SignatureValidationFailed('no signature');
    if (!validateSignature(body, opts.channelSecret, signature)) throw new SignatureValidationFailed('signature validation failed', { signature });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new JSONParseError('the body is not JSON', { raw: '' });
    }
    const { events: classified } = classifyEvents(parsed);
    const seal = opts.sealPayload;
    const events = seal ? classified.map((e) => ({ ...e, payload: seal(e.payload) })) : classified;
    const { stored, duplicates } = await storeEvents(opts.db, events, now());
    for (const e of classified) metrics.webhookEvents.inc({ type: e.eventType, outcome: e.status === 'ignored' ? 'ignored' : 'accepted' });
    if (duplicates) metrics.webhookDuplicates.inc(duplicates);
    if (duplicates) opts.logger.info({ requestId, stored, duplicates }, 'webhook: redelivered events already stored');
    else opts.logger.debug({ requestId, stored }, 'webhook: events stored');
    sendJson(res, 200, {});
    if (stored) opts.onStored?.();
  };
  return (req, res) => {
    // Every log line about this request carries one id: LINE's x-line-request-id when present, else a new one.
    const requestId = (req.headers['x-line-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
    // Timed to the answer, whatever it is: LINE waits this long, and gives up (and redelivers) after a few seconds.
    const acked = timer(metrics.webhookAck);
    res.once('finish', () => {
      const status = String(res.statusCode);
      acked({ status });
      metrics.webhookRequests.inc({ status });
    });
    receive(req, res, requestId).catch((err: unknown) => answerError(err, req, res, requestId, opts.logger));
  };
}

/** The webhook as an express route (createApp mounts it first), for an app served by express alone. */
export function webhookRouter(opts: WebhookOptions): Router {
  const router = express.Router();
  const intake = webhookIntake(opts);
  router.post('/webhook', (req, res) => intake(req, res));
  return router;
}

/** The body's bytes, at most `limit` of them (WebhookTooLargeError past it, said before reading when declared). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume();
    return Promise.reject(new WebhookTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      req.removeAllListeners('data');
      req.resume();
      reject(new WebhookTooLargeError(limit));
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(json);
}

function answerError(err: unknown, req: IncomingMessage, res: ServerResponse, requestId: string, logger: Logger): void {
  // Behind a proxy the socket is the proxy's: its X-Forwarded-For says who sent the request (logged only).
  const ip = req.socket.remoteAddress;
  const forwardedFor = req.headers['x-forwarded-for'];
  if (err instanceof SignatureValidationFailed) {
    logger.warn({ requestId, ip, forwardedFor, reason: err.message }, 'webhook: signature rejected');
    return sendJson(res, 401, { message: 'Invalid or missing x-line-signature' });
  }
  if (err instanceof JSONParseError) {
    logger.warn({ requestId, ip, forwardedFor }, 'webhook: malformed JSON');
    return sendJson(res, 400, { message: 'The body is not valid JSON' });
  }
  if (err instanceof WebhookBodyError) {
    logger.warn({ requestId, ip, forwardedFor, reasons: err.reasons.slice(0, 10) }, 'webhook: body rejected');
    return sendJson(res, 400, { message: 'The body is not a LINE webhook', details: err.reasons.slice(0, 20) });
  }
  // The rest of an oversized body is not read: the connection is closed after the answer.
  if (err instanceof WebhookTooLargeError) return sendJson(res, 413, { message: 'The body is larger than this server accepts' }, true);
  if (req.readableAborted || req.errored) return void res.destroy();
  logger.error({ requestId, err }, 'webhook: events could not be stored');
  // 500 tells LINE to redeliver: nothing was stored, so nothing is lost.
  sendJson(res, 500, { message: 'Temporary failure, please redeliver' });
}
