/**
 * /simulator: a chat page where a person talks to the bot as LINE users. The page builds and signs its webhook
 * requests itself (WebCrypto, with the channel secret), exactly as LINE does; these routes give it what only the
 * platform can: identities (reply tokens, message ids, ULIDs), storage for sent images, a relay to the webhook
 * URL (the page cannot post cross-origin to the bot), and a stream of what the bot sends each chat.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadControlRequestError, readBody, readJsonObject, sendBytes, sendJson } from './http-util';
import { newQuoteToken, newWebhookEventId } from './ids';
import type { EmulatorInternals } from './internals';
import { answerToolError } from './tool-errors';
import type { ChatActivity } from './transcripts';
import { WEBHOOK_HEADERS, postWebhook } from './webhook-delivery';

const PUBLIC_DIR = new URL('./public/', import.meta.url);
const STATIC_FILE = /^[a-z0-9-]+\.(html|js|css|svg)$/;
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};
const HEARTBEAT_MS = 15_000;

export async function handleSimulator(
  internals: EmulatorInternals,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
): Promise<void> {
  await route(internals, req, res, path, new URLSearchParams(query)).catch((err: unknown) => answerToolError(res, err));
}

async function route(
  internals: EmulatorInternals,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  q: URLSearchParams,
): Promise<void> {
  const { emulator, state } = internals;
  const key = `${req.method} ${path}`;
  switch (key) {
    case 'GET /simulator':
    case 'GET /simulator/':
      return serveStatic(res, 'simulator.html');
    case 'GET /simulator/api/config':
      return sendJson(res, 200, {
        channelSecret: internals.channelSecret,
        destination: internals.destination,
        webhookUrl: internals.webhookUrl() ?? null,
        users: state.profiles.list(),
      });
    case 'POST /simulator/api/users': {
      const b = await readJsonObject(req);
      const input = { displayName: String(b['displayName'] ?? '').trim(), language: stringOr(b['language'], 'th') };
      const userId = emulator.addUser(input);
      return sendJson(res, 200, state.profiles.get(userId));
    }
    case 'POST /simulator/api/mint': {
      const b = await readJsonObject(req);
      const now = Date.now();
      const out: Record<string, unknown> = { webhookEventId: newWebhookEventId(now), timestamp: now };
      if (b['replyToken'] === true) {
        if (typeof b['chatId'] !== 'string') throw new BadControlRequestError('chatId is required for a reply token');
        out['replyToken'] = emulator.mintReplyToken(b['chatId'], now);
      }
      if (b['message'] === true) {
        out['messageId'] = state.messageIds.newId();
        out['quoteToken'] = newQuoteToken();
      }
      return sendJson(res, 200, out);
    }
    case 'POST /simulator/api/content': {
      const bytes = await readBody(req, 20 * 1024 * 1024);
      if (bytes.length === 0) throw new BadControlRequestError('empty upload');
      const messageId = state.messageIds.newId();
      emulator.putContent(messageId, bytes, req.headers['content-type'] ?? 'application/octet-stream');
      return sendJson(res, 200, { messageId });
    }
    case 'POST /simulator/api/relay':
      return relay(internals, req, res);
    case 'GET /simulator/api/stream':
      return stream(internals, req, res, q);
    case 'GET /simulator/api/richmenu': {
      const userId = q.get('userId') ?? '';
      const menu = state.richMenus.effectiveFor(userId);
      if (menu === undefined) return sendJson(res, 200, {});
      return sendJson(res, 200, {
        ...menu.request,
        richMenuId: menu.richMenuId,
        imageUrl: menu.hasImage ? `/simulator/api/richmenu-image/${menu.richMenuId}` : null,
      });
    }
  }
  const image = /^\/simulator\/api\/richmenu-image\/([^/]+)$/.exec(path);
  if (image && req.method === 'GET') {
    const img = state.richMenus.image(image[1]!);
    return img ? sendBytes(res, 200, img.data, img.contentType) : sendJson(res, 404, { error: 'no image' });
  }
  const file = /^\/simulator\/([^/]+)$/.exec(path);
  if (file && req.method === 'GET' && STATIC_FILE.test(file[1]!)) return serveStatic(res, file[1]!);
  sendJson(res, 404, { error: `no simulator route ${key}` });
}

async function serveStatic(res: ServerResponse, name: string): Promise<void> {
  const ext = name.slice(name.lastIndexOf('.') + 1);
  try {
    // Read on each request: the page is a development tool, and edits should show on reload.
    const data = await readFile(new URL(name, PUBLIC_DIR));
    sendBytes(res, 200, data, TYPES[ext] ?? 'application/octet-stream', { 'cache-control': 'no-cache' });
  } catch {
    sendJson(res, 404, { error: `no file ${name}` });
  }
}

/**
 * Forward the page's exact bytes and signature to the webhook URL. A page outside a secure context has no
 * WebCrypto; it sends `signature: null` and the relay signs for it, saying so in the answer.
 */
async function relay(internals: EmulatorInternals, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const b = await readJsonObject(req);
  if (typeof b['body'] !== 'string') throw new BadControlRequestError('body (the exact webhook JSON text) is required');
  const raw = b['body'];
  const pageSigned = typeof b['signature'] === 'string';
  const headers: Record<string, string> = { ...WEBHOOK_HEADERS };
  if (pageSigned) headers['x-line-signature'] = b['signature'] as string;
  const result = pageSigned
    ? await postWebhook(internals.webhookUrl(), raw, headers)
    : await internals.emulator.deliverRaw(raw);
  sendJson(res, 200, { ...result, signedBy: pageSigned ? 'page' : 'emulator' });
}

/**
 * Server-sent events for one or more chats (`?chatId=A&chatId=B`): one stream for all of the page's users, since
 * a browser holds only six HTTP/1.1 connections per host. Sends each chat's messages from the bot (resuming after
 * Last-Event-ID, or `after`, a position across chats), then new ones and loading animations as they happen.
 */
function stream(internals: EmulatorInternals, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
  const chatIds = [...new Set(q.getAll('chatId').filter((c) => c !== ''))];
  if (chatIds.length === 0) throw new BadControlRequestError('at least one chatId query parameter is required');
  const transcripts = internals.state.transcripts;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const send = (a: ChatActivity): void => {
    if (a.kind === 'message') res.write(`id: ${a.entry.seq}\nevent: message\ndata: ${JSON.stringify(a.entry)}\n\n`);
    else res.write(`event: loading\ndata: ${JSON.stringify({ chatId: a.chatId, seconds: a.seconds })}\n\n`);
  };
  const lastHeader = req.headers['last-event-id'];
  const after = Number((Array.isArray(lastHeader) ? lastHeader[0] : lastHeader) ?? q.get('after') ?? 0) || 0;
  res.write('retry: 1000\n\n');
  const backlog = chatIds.flatMap((chatId) => transcripts.entries(chatId, after)).sort((a, b) => a.seq - b.seq);
  for (const entry of backlog) send({ kind: 'message', entry });
  const unsubscribes = chatIds.map((chatId) => transcripts.subscribe(chatId, send));
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  req.on('close', () => {
    clearInterval(heartbeat);
    for (const u of unsubscribes) u();
  });
}

function stringOr(v: unknown, fallback: string): string {
  return typeof v === 'string' && v !== '' ? v : fallback;
}
