/**
 * The officer console's live chat: the queue of citizens waiting for an officer, claiming one, the conversation
 * since the handoff (the citizen's messages from the inbox, the officers' replies), a live stream of it, replying
 * (a LINE push through the outbox) and ending (the chat goes back to the bot, which asks for a 1-5 rating).
 *
 * Every route decides on the server: a handoff's district is read from the database (the district of the
 * citizen's latest case, else CENTER_DISTRICT), never from the request, and a handoff the officer may not see is
 * a 404, as if it did not exist.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Database, Tx } from '../../storage/database';
import type { DataCipher } from '../../storage/crypto';
import type { Logger } from '../../server/logger';
import type { EngineInput, OutMessage } from '../../flows/engine';
import { queueMessages } from '../../storage/outbox';
import { loadSession, saveSession } from '../../storage/sessions';
import { can, type Target } from '../auth/permissions';
import { districtOrCenter, latestCaseDistrictSql } from '../../office/chat-district';
import { actorOf, HttpError, requirePermission } from './auth';
import { recordView } from '../auth/audit';

type Queryable = Pick<Tx, 'query'>;

export interface HandoffsApiOptions {
  db: Database;
  cipher: DataCipher;
  logger: Logger;
  /** CENTER_DISTRICT: where a chat whose citizen has no placed case belongs. */
  centerDistrict: string | null;
  /** Session cookie → req.officer (console/api/auth.ts). */
  requireOfficer: RequestHandler;
  /** One conversation step in the caller's transaction (bot/flow-handler.ts `converse`, as cases/jobs.ts uses it). */
  converse(tx: Tx, c: { chatId: string; input: EngineInput; logger: Logger; stampedAt: number }): Promise<OutMessage[]>;
  now?: () => number;
  /** The outbox sender's clock (default Date.now): pushes are due at once by it. */
  outboxClock?: () => number;
  /** Wakes the outbox sender after a push was queued. */
  onQueued?: () => void;
  /** How often a live stream looks for new messages, and how often it says it is alive. */
  stream?: { pollMs?: number; heartbeatMs?: number };
}

/** The flow that asks a citizen to rate a chat an officer ended (flows/definitions/chat-rating.yaml). */
export const CHAT_RATING_FLOW = 'chat-rating';

export interface HandoffRow {
  id: number;
  chatId: string;
  reason: string;
  status: string;
  requestedAt: number;
  closedAt: number | null;
  districtCode: string | null;
  displayName: string | null;
  locale: 'th' | 'en';
  /** When an officer's first answer is due (what the citizen was told); null for handoffs from before it was kept. */
  answerBy: number | null;
  claim: { officerId: number; officerName: string | null; claimedAt: number; firstReplyAt: number | null } | null;
}

export interface ChatMessage {
  /** 'in-<inbox id>' or 'out-<console_message id>': unique, and the order within each side. */
  id: string;
  direction: 'in' | 'out';
  at: number;
  type: 'text' | 'image' | 'video' | 'audio' | 'file' | 'location' | 'sticker' | 'other';
  /** Plain text, never HTML: the page escapes it. */
  text?: string;
  /** Where the console fetches a photo's (or file's) bytes. */
  contentUrl?: string;
  fileName?: string;
  location?: { title: string | null; address: string | null; latitude: number; longitude: number };
  sticker?: { packageId: string; stickerId: string };
  officerId?: number;
}

const HANDOFF_SELECT = `
  SELECT h.id, h.chat_id, h.reason, h.status, h.requested_at, h.closed_at, h.answer_by,
         z.display_name, z.locale,
         ${latestCaseDistrictSql('z')} AS case_district,
         c.officer_id, c.claimed_at, c.first_reply_at, o.display_name AS officer_name
    FROM handoff_request h
    LEFT JOIN citizen z ON z.line_user_id = h.chat_id
    LEFT JOIN handoff_claim c ON c.handoff_id = h.id
    LEFT JOIN officer o ON o.id = c.officer_id`;

type RawHandoff = Record<string, unknown>;

function handoffOf(r: RawHandoff, centerDistrict: string | null): HandoffRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id),
    chatId: String(r.chat_id),
    reason: String(r.reason),
    status: String(r.status),
    requestedAt: Number(r.requested_at),
    closedAt: n(r.closed_at),
    districtCode: districtOrCenter(r.case_district as string | null, centerDistrict),
    displayName: (r.display_name as string | null) ?? null,
    locale: r.locale === 'en' ? 'en' : 'th',
    answerBy: n(r.answer_by),
    claim:
      r.officer_id === null || r.officer_id === undefined
        ? null
        : { officerId: Number(r.officer_id), officerName: (r.officer_name as string | null) ?? null, claimedAt: Number(r.claimed_at), firstReplyAt: n(r.first_reply_at) },
  };
}

export async function handoffById(q: Queryable, id: number, centerDistrict: string | null): Promise<HandoffRow | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const [r] = await q.query<RawHandoff>(`${HANDOFF_SELECT} WHERE h.id = $1`, [id]);
  return r ? handoffOf(r, centerDistrict) : null;
}

/** The open handoffs (waiting or claimed), oldest first. */
export async function openHandoffs(q: Queryable, centerDistrict: string | null): Promise<HandoffRow[]> {
  const rows = await q.query<RawHandoff>(`${HANDOFF_SELECT} WHERE h.status = 'waiting' ORDER BY h.requested_at, h.id LIMIT 1000`);
  return rows.map((r) => handoffOf(r, centerDistrict));
}

const handoffTarget = (h: HandoffRow): Target => ({ districtCode: h.districtCode });

/**
 * The first-answer clock as the queue shows it: due by `answerBy`; `answered` once an officer replied (a claim
 * alone does not answer the citizen); overdue once answerBy has passed unanswered, by `overdueSeconds` on the
 * server's clock.
 */
export function firstAnswer(
  h: Pick<HandoffRow, 'answerBy' | 'claim'>,
  at: number,
): { answerBy: number | null; answered: boolean; overdue: boolean; overdueSeconds: number } {
  const answered = h.claim?.firstReplyAt !== null && h.claim?.firstReplyAt !== undefined;
  const overdue = h.answerBy !== null && at >= h.answerBy && !answered;
  return { answerBy: h.answerBy, answered, overdue, overdueSeconds: overdue ? Math.floor((at - h.answerBy!) / 1000) : 0 };
}

/** The citizen's messages of a webhook event, as the console shows them; null for what is not a message. */
export function chatMessageOf(inboxId: number, at: number, event: unknown): ChatMessage | null {
  const e = event as { type?: string; message?: Record<string, unknown> };
  if (e?.type !== 'message' || !e.message) return null;
  const m = e.message;
  const base = { id: `in-${inboxId}`, direction: 'in' as const, at };
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  switch (m.type) {
    case 'text':
      return { ...base, type: 'text', text: str(m.text) ?? '' };
    case 'image':
    case 'video':
    case 'audio':
    case 'file':
      return {
        ...base,
        type: m.type,
        contentUrl: `/console/api/content/${encodeURIComponent(String(m.id))}`,
        ...(str(m.fileName) ? { fileName: str(m.fileName)! } : {}),
      };
    case 'location':
      return { ...base, type: 'location', location: { title: str(m.title), address: str(m.address), latitude: Number(m.latitude), longitude: Number(m.longitude) } };
    case 'sticker':
      return { ...base, type: 'sticker', sticker: { packageId: String(m.packageId), stickerId: String(m.stickerId) } };
    default:
      return { ...base, type: 'other' };
  }
}

/**
 * The inbox id after which the chat belongs to the handoff: the event that asked for an officer (its
 * conversation log row was written with the handoff, at the same instant).
 */
async function handoffStartEvent(q: Queryable, h: HandoffRow): Promise<number | null> {
  const [r] = await q.query<{ inbox_event_id: number | null }>(
    `SELECT inbox_event_id FROM conversation_event WHERE chat_id = $1 AND kind = 'handoff' AND at = $2 ORDER BY id DESC LIMIT 1`,
    [h.chatId, h.requestedAt],
  );
  return r?.inbox_event_id === null || r?.inbox_event_id === undefined ? null : Number(r.inbox_event_id);
}

export interface Cursor {
  afterInbox: number;
  afterOut: number;
}

/** The conversation of a handoff after the cursor, oldest first, and the cursor after it. */
export async function chatSince(q: Queryable, cipher: DataCipher, h: HandoffRow, cursor: Cursor, startEvent: number | null): Promise<{ messages: ChatMessage[]; cursor: Cursor }> {
  const params: unknown[] = [h.chatId, Math.max(cursor.afterInbox, startEvent ?? 0)];
  let where = `chat_id = $1 AND id > $2 AND event_type = 'message'`;
  if (startEvent === null) {
    params.push(h.requestedAt);
    where += ` AND received_at >= $${params.length}`;
  }
  if (h.closedAt !== null) {
    params.push(h.closedAt);
    where += ` AND received_at <= $${params.length}`;
  }
  const inbox = await q.query<{ id: number; payload: string; event_timestamp: number }>(
    `SELECT id, payload, event_timestamp FROM inbox_event WHERE ${where} ORDER BY id LIMIT 500`,
    params,
  );
  const out = await q.query<{ id: number; text: string; at: number; officer_id: number }>(
    `SELECT id, text, at, officer_id FROM console_message WHERE handoff_id = $1 AND id > $2 ORDER BY id LIMIT 500`,
    [h.id, cursor.afterOut],
  );
  const messages: ChatMessage[] = [];
  let afterInbox = cursor.afterInbox;
  for (const r of inbox) {
    afterInbox = Math.max(afterInbox, Number(r.id));
    const json = r.payload.startsWith('v1:') ? cipher.decrypt(r.payload) : r.payload;
    const m = chatMessageOf(Number(r.id), Number(r.event_timestamp), JSON.parse(json));
    if (m) messages.push(m);
  }
  let afterOut = cursor.afterOut;
  for (const r of out) {
    afterOut = Math.max(afterOut, Number(r.id));
    messages.push({ id: `out-${r.id}`, direction: 'out', at: Number(r.at), type: 'text', text: r.text, officerId: Number(r.officer_id) });
  }
  messages.sort((a, b) => a.at - b.at);
  return { messages, cursor: { afterInbox, afterOut } };
}

const replyBody = z.union([z.strictObject({ text: z.string().trim().min(1).max(5000) }), z.strictObject({ cannedId: z.number().int().positive() })]);
const endBody = z.strictObject({ reason: z.string().trim().min(1).max(64).optional() });

export function handoffsRouter(o: HandoffsApiOptions): Router {
  const router = express.Router();
  const now = o.now ?? Date.now;
  const sendAt = o.outboxClock ?? Date.now;
  const signedIn = o.requireOfficer;
  const pollMs = o.stream?.pollMs ?? 500;
  const heartbeatMs = o.stream?.heartbeatMs ?? 15_000;

  const loaded = async (req: Request): Promise<HandoffRow | null> => {
    const h = await handoffById(o.db, Number(req.params.id), o.centerDistrict);
    if (h) (req as Request & { handoff?: HandoffRow }).handoff = h;
    return h;
  };
  const handoffOfReq = (req: Request): HandoffRow => (req as Request & { handoff?: HandoffRow }).handoff!;
  const allowed = (action: 'handoff.claim' | 'handoff.reply') =>
    requirePermission(action, async (req) => {
      const h = await loaded(req);
      return h ? handoffTarget(h) : null;
    }, { hideRefused: true });

  router.get('/handoffs', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const at = now();
    const visible = (await openHandoffs(o.db, o.centerDistrict)).filter((h) => can(actor, 'handoff.claim', handoffTarget(h)));
    res.json({
      handoffs: visible.map((h) => ({
        id: h.id,
        displayName: h.displayName,
        reason: h.reason,
        royalPetition: h.reason === 'royal_petition',
        districtCode: h.districtCode,
        requestedAt: h.requestedAt,
        waitingSeconds: Math.max(0, Math.floor((at - h.requestedAt) / 1000)),
        claimedBy: h.claim ? { officerId: h.claim.officerId, name: h.claim.officerName, at: h.claim.claimedAt } : null,
        ...firstAnswer(h, at),
      })),
    });
  });

  router.post('/handoffs/:id/claim', signedIn, allowed('handoff.claim'), async (req, res) => {
    const h = handoffOfReq(req);
    if (h.status !== 'waiting') throw new HttpError(409, 'This chat has ended');
    const officer = req.officer!;
    const at = now();
    // The primary key decides between two officers claiming at once: one insert wins, the other is 409.
    const won = await o.db.query<{ handoff_id: number }>(
      `INSERT INTO handoff_claim (handoff_id, officer_id, claimed_at) VALUES ($1, $2, $3) ON CONFLICT (handoff_id) DO NOTHING RETURNING handoff_id`,
      [h.id, officer.id, at],
    );
    if (won.length === 0) throw new HttpError(409, 'Another officer has taken this chat');
    o.logger.info({ handoff: h.id, officer: officer.id }, 'handoff claimed');
    res.json({ id: h.id, claimedBy: { officerId: officer.id, name: officer.displayName, at } });
  });

  router.get('/handoffs/:id/messages', signedIn, allowed('handoff.reply'), async (req, res) => {
    const h = handoffOfReq(req);
    const start = await handoffStartEvent(o.db, h);
    const { messages } = await chatSince(o.db, o.cipher, h, { afterInbox: 0, afterOut: 0 }, start);
    // What a citizen types to an officer is often personal (an address, a phone number): who read it is logged.
    await recordView(o.db, { officerId: req.officer!.id, action: 'handoff.view_chat', target: `handoff:${h.id}`, ip: req.ip ?? null, at: now() });
    res.json({ handoff: { id: h.id, status: h.status, displayName: h.displayName, reason: h.reason, requestedAt: h.requestedAt, closedAt: h.closedAt }, messages });
  });

  router.get('/handoffs/:id/stream', signedIn, allowed('handoff.reply'), async (req, res) => {
    const h = handoffOfReq(req);
    const sessionId = req.consoleSession!.id;
    const start = await handoffStartEvent(o.db, h);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(': connected\n\n');
    let cursor: Cursor = { afterInbox: 0, afterOut: 0 };
    let closed = false;
    let busy = false;
    const stop = () => {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      clearInterval(beat);
      res.end();
    };
    const tick = async () => {
      if (busy || closed) return;
      busy = true;
      try {
        // Logged out (or expired) on another tab: the stream ends with the session.
        const [alive] = await o.db.query('SELECT 1 AS one FROM console_session WHERE id = $1', [sessionId]);
        if (!alive) {
          res.write('event: logout\ndata: {}\n\n');
          return stop();
        }
        const current = (await handoffById(o.db, h.id, o.centerDistrict)) ?? h;
        const next = await chatSince(o.db, o.cipher, current, cursor, start);
        cursor = next.cursor;
        for (const m of next.messages) if (!closed) res.write(`event: message\nid: ${m.id}\ndata: ${JSON.stringify(m)}\n\n`);
        if (current.status !== 'waiting') {
          res.write(`event: ended\ndata: ${JSON.stringify({ closedAt: current.closedAt })}\n\n`);
          stop();
        }
      } catch (err) {
        o.logger.error({ err, handoff: h.id }, 'chat stream failed');
        stop();
      } finally {
        busy = false;
      }
    };
    const poll = setInterval(() => void tick(), pollMs);
    const beat = setInterval(() => !closed && res.write(': heartbeat\n\n'), heartbeatMs);
    req.on('close', stop);
    void tick();
  });

  const mustHoldClaim = (h: HandoffRow, req: Request) => {
    if (h.status !== 'waiting') throw new HttpError(409, 'This chat has ended');
    if (!h.claim) throw new HttpError(409, 'Claim this chat first');
    if (h.claim.officerId !== req.officer!.id) throw new HttpError(409, 'Another officer has taken this chat');
  };

  router.post('/handoffs/:id/reply', signedIn, allowed('handoff.reply'), async (req, res) => {
    const h = handoffOfReq(req);
    const body = replyBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Send {"text": ...} or {"cannedId": ...}');
    mustHoldClaim(h, req);
    let text: string;
    if ('text' in body.data) text = body.data.text;
    else {
      const [c] = await o.db.query<{ text_th: string; text_en: string }>('SELECT text_th, text_en FROM canned_reply WHERE id = $1 AND district_code = $2', [
        body.data.cannedId,
        h.districtCode ?? '',
      ]);
      if (!c) throw new HttpError(404, 'No such canned reply');
      text = h.locale === 'en' ? c.text_en : c.text_th;
    }
    const at = now();
    const officerId = req.officer!.id;
    const id = await o.db.transaction(async (tx) => {
      await queueMessages(tx, { chatId: h.chatId, messages: [{ type: 'text', text }] }, sendAt());
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO console_message (chat_id, handoff_id, direction, officer_id, text, at) VALUES ($1, $2, 'out', $3, $4, $5) RETURNING id`,
        [h.chatId, h.id, officerId, text, at],
      );
      await tx.query('UPDATE handoff_claim SET first_reply_at = $2 WHERE handoff_id = $1 AND first_reply_at IS NULL', [h.id, at]);
      return Number(row!.id);
    });
    o.onQueued?.();
    o.logger.info({ handoff: h.id, officer: officerId }, 'officer replied in chat');
    res.status(201).json({ id: `out-${id}`, at, text });
  });

  router.post('/handoffs/:id/end', signedIn, allowed('handoff.reply'), async (req, res) => {
    const h = handoffOfReq(req);
    const body = endBody.safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(400, 'Send {"reason": ...}');
    mustHoldClaim(h, req);
    const reason = body.data.reason ?? 'resolved';
    const at = now();
    const ended = await o.db.transaction(async (tx) => {
      const closed = await tx.query(`UPDATE handoff_request SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'waiting' RETURNING id`, [h.id, at]);
      if (closed.length === 0) return false;
      await tx.query('UPDATE handoff_claim SET ended_at = $2, ended_reason = $3 WHERE handoff_id = $1', [h.id, at, reason]);
      // The chat goes back to the bot, which asks how the chat was.
      const session = await loadSession(tx, h.chatId, o.cipher);
      if (session.state?.handoff) await saveSession(tx, h.chatId, { ...session.state, handoff: null }, session.revision, at, o.cipher);
      const messages = await o.converse(tx, {
        chatId: h.chatId,
        input: { type: 'start', flow: CHAT_RATING_FLOW, slots: { handoff: String(h.id) } },
        logger: o.logger,
        stampedAt: at,
      });
      if (messages.length) await queueMessages(tx, { chatId: h.chatId, messages }, sendAt());
      return true;
    });
    if (!ended) throw new HttpError(409, 'This chat has ended');
    o.onQueued?.();
    o.logger.info({ handoff: h.id, officer: req.officer!.id, reason }, 'chat ended by officer');
    res.json({ id: h.id, status: 'closed', closedAt: at });
  });

  /** A photo or file the citizen sent: only to an officer who may see a chat of that citizen. */
  router.get(
    '/content/:messageId',
    signedIn,
    requirePermission('handoff.reply', async (req) => {
      const [c] = await o.db.query<{ chat_id: string }>('SELECT chat_id FROM line_content WHERE message_id = $1', [String(req.params.messageId)]);
      if (!c) return null;
      const [h] = await o.db.query<{ id: number }>('SELECT id FROM handoff_request WHERE chat_id = $1 ORDER BY id DESC LIMIT 1', [c.chat_id]);
      const handoff = h ? await handoffById(o.db, Number(h.id), o.centerDistrict) : null;
      return handoff ? handoffTarget(handoff) : null;
    }, { hideRefused: true }),
    async (req, res: Response) => {
      const [c] = await o.db.query<{ content_type: string; bytes: Buffer | Uint8Array }>('SELECT content_type, bytes FROM line_content WHERE message_id = $1', [
        String(req.params.messageId),
      ]);
      if (!c) throw new HttpError(404, 'Not found');
      const bytes = Buffer.from(c.bytes);
      // Only media is shown inline as what it says it is; anything else is bytes, never a page of this origin.
      res.setHeader('Content-Type', /^(image|video|audio)\/[\w.+-]+$/i.test(c.content_type) ? c.content_type : 'application/octet-stream');
      res.setHeader('Content-Disposition', 'inline');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Length', String(bytes.length));
      res.end(bytes);
    },
  );

  return router;
}
