/**
 * /emulator/...: the module API over HTTP, for processes that did not start the emulator (the benchmark, a bot
 * server under test in another process). Thin on purpose: each route calls one module-API method.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadControlRequestError, readBody, readJsonObject, sendJson } from './http-util';
import type { EmulatorInternals } from './internals';
import { answerToolError } from './tool-errors';
import type { Endpoint, Fault, PartialEvent, UserProfileInput } from './types';

export async function handleControl(
  internals: EmulatorInternals,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
): Promise<void> {
  await route(internals, req, res, path, new URLSearchParams(query)).catch((err: unknown) => answerToolError(res, err));
}

async function route(
  { emulator, state, log }: EmulatorInternals,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  q: URLSearchParams,
): Promise<void> {
  const key = `${req.method} ${path}`;
  switch (key) {
    case 'GET /emulator/calls': {
      // The log's own `since` search: a poller asking for what is new should not copy 200,000 calls each time.
      const since = Number(q.get('since') ?? 0) || 0;
      const endpoint = (q.get('endpoint') || undefined) as Endpoint | undefined;
      return sendJson(res, 200, log.list(endpoint ? { endpoint, since } : { since }));
    }
    case 'DELETE /emulator/calls':
      emulator.clearCalls();
      return sendJson(res, 200, {});
    case 'POST /emulator/faults': {
      const f = (await readJsonObject(req)) as unknown as Fault;
      // JSON has no Infinity: -1 stands for it.
      emulator.inject(f.count === -1 ? { ...f, count: Infinity } : f);
      return sendJson(res, 200, {});
    }
    case 'PUT /emulator/quota': {
      const b = await readJsonObject(req);
      const value = b['value'];
      if (value !== null && !(Number.isInteger(value) && (value as number) >= 0)) throw new BadControlRequestError('value must be a whole number of messages, or null for no limit');
      emulator.setMessageQuota(value as number | null);
      return sendJson(res, 200, {});
    }
    case 'DELETE /emulator/faults':
      emulator.clearFaults();
      return sendJson(res, 200, {});
    case 'POST /emulator/reply-tokens': {
      const b = await readJsonObject(req);
      if (typeof b['chatId'] !== 'string') throw new BadControlRequestError('chatId (string) is required');
      const count = b['count'] === undefined ? 1 : Number(b['count']);
      if (!Number.isInteger(count) || count < 1 || count > 100_000) {
        throw new BadControlRequestError('count must be an integer from 1 to 100000');
      }
      const issuedAt = typeof b['issuedAt'] === 'number' ? b['issuedAt'] : undefined;
      const chatId = b['chatId'];
      const tokens = Array.from({ length: count }, () => emulator.mintReplyToken(chatId, issuedAt));
      return sendJson(res, 200, { tokens });
    }
    case 'POST /emulator/users': {
      const userId = emulator.addUser((await readJsonObject(req)) as unknown as UserProfileInput);
      return sendJson(res, 200, { userId });
    }
    case 'GET /emulator/users':
      return sendJson(res, 200, state.profiles.list());
    case 'POST /emulator/deliver': {
      const b = await readJsonObject(req);
      if (!Array.isArray(b['events'])) throw new BadControlRequestError('events (array of partial events) is required');
      const events = (b['events'] as PartialEvent[]).map((p) => emulator.buildEvent(p));
      const opts: { destination?: string; signature?: string } = {};
      if (typeof b['destination'] === 'string') opts.destination = b['destination'];
      if (typeof b['signature'] === 'string') opts.signature = b['signature'];
      const result = await emulator.deliver(events, opts);
      return sendJson(res, 200, { ...result, events });
    }
    case 'GET /emulator/delivered': {
      const chatId = q.get('chatId');
      if (!chatId) throw new BadControlRequestError('chatId query parameter is required');
      return sendJson(res, 200, emulator.delivered(chatId));
    }
    case 'PUT /emulator/webhook': {
      const b = await readJsonObject(req);
      if (typeof b['url'] !== 'string' || !URL.canParse(b['url'])) throw new BadControlRequestError('url is required');
      emulator.setWebhookUrl(b['url']);
      return sendJson(res, 200, {});
    }
  }
  const content = /^\/emulator\/content\/([^/]+)$/.exec(path);
  if (content && req.method === 'PUT') {
    const bytes = await readBody(req, 50 * 1024 * 1024);
    emulator.putContent(content[1]!, bytes, req.headers['content-type'] ?? 'application/octet-stream');
    return sendJson(res, 200, {});
  }
  sendJson(res, 404, { error: `no control route ${key}` });
}
