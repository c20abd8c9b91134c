import express, { type ErrorRequestHandler, type Router } from 'express';
import { middleware, SignatureValidationFailed, JSONParseError } from '@line/bot-sdk';
import { randomUUID } from 'node:crypto';
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

/**
 * POST /webhook. The raw bytes are read with a size limit (413 past it) and handed as a Buffer to the SDK's
 * signature middleware, which checks x-line-signature over exactly those bytes (401) and parses JSON (400).
 * Events are stored in one transaction and only then is LINE answered 200: the conversation work happens later,
 * in the worker, so the acknowledgement never waits for it.
 */
export function webhookRouter(opts: WebhookOptions): Router {
  const router = express.Router();
  const now = opts.now ?? Date.now;
  router.post(
    '/webhook',
    // Every log line about this request carries one id: LINE's x-line-request-id when present, else a new one.
    (req, res, next) => {
      res.locals.requestId = (req.headers['x-line-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
      // Timed to the answer, whatever it is: LINE waits this long, and gives up (and redelivers) after a few seconds.
      const acked = timer(metrics.webhookAck);
      res.once('finish', () => {
        const status = String(res.statusCode);
        acked({ status });
        metrics.webhookRequests.inc({ status });
      });
      next();
    },
    express.raw({ type: () => true, limit: opts.maxBodyBytes }),
    middleware({ channelSecret: opts.channelSecret }),
    async (req, res, next) => {
      const requestId = res.locals.requestId as string;
      try {
        const { events: classified } = classifyEvents(req.body);
        const seal = opts.sealPayload;
        const events = seal ? classified.map((e) => ({ ...e, payload: seal(e.payload) })) : classified;
        const { stored, duplicates } = await storeEvents(opts.db, events, now());
        for (const e of classified) metrics.webhookEvents.inc({ type: e.eventType, outcome: e.status === 'ignored' ? 'ignored' : 'accepted' });
        if (duplicates) metrics.webhookDuplicates.inc(duplicates);
        if (duplicates) opts.logger.info({ requestId, stored, duplicates }, 'webhook: redelivered events already stored');
        else opts.logger.debug({ requestId, stored }, 'webhook: events stored');
        res.status(200).json({});
        if (stored) opts.onStored?.();
      } catch (err) {
        next(err);
      }
    },
  );
  router.use('/webhook', webhookErrors(opts.logger));
  return router;
}

function webhookErrors(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const ip = req.ip;
    const requestId = res.locals.requestId as string | undefined;
    if (err instanceof SignatureValidationFailed) {
      logger.warn({ requestId, ip, reason: err.message }, 'webhook: signature rejected');
      return void res.status(401).json({ message: 'Invalid or missing x-line-signature' });
    }
    if (err instanceof JSONParseError) {
      logger.warn({ requestId, ip }, 'webhook: malformed JSON');
      return void res.status(400).json({ message: 'The body is not valid JSON' });
    }
    if (err instanceof WebhookBodyError) {
      logger.warn({ requestId, ip, reasons: err.reasons.slice(0, 10) }, 'webhook: body rejected');
      return void res.status(400).json({ message: 'The body is not a LINE webhook', details: err.reasons.slice(0, 20) });
    }
    const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
    if (status === 413) return void res.status(413).json({ message: 'The body is larger than this server accepts' });
    if (status >= 400 && status < 500) return void res.status(status).json({ message: 'The request could not be read' });
    logger.error({ requestId, err }, 'webhook: events could not be stored');
    // 500 tells LINE to redeliver: nothing was stored, so nothing is lost.
    res.status(500).json({ message: 'Temporary failure, please redeliver' });
  };
}
