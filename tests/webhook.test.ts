import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { FlowStore } from '../flows/store';
import { FaqStore } from '../faq/store';
import { DataCipher } from '../storage/crypto';
import { createApp, listener } from '../server/app';
import { createLogger } from '../runtime/logger';
import type { Database } from '../storage/database';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';
import { lineSignature, textEvent, userId, testEventId } from './support/signing';

const SECRET = '0123456789abcdef0123456789abcdef';

const cipher = new DataCipher(Buffer.alloc(32, 7));

// Served two ways: by express alone (app.listen), and as the server serves it, POST /webhook taken before express
// (server/app.ts listener): the same answers either way.
const servings = engines().flatMap((engine) => (['express', 'listener'] as const).map((serving) => [engine, serving] as const));

describe.each(servings)('POST /webhook on %s, served by %s', (engine, serving) => {
  let t: TestDatabase;
  let db: Database;
  let server: Server;
  let url: string;
  let woken = 0;

  beforeAll(async () => {
    t = newTestDatabase(engine);
    db = await t.open();
    const app = createApp({
      db,
      logger: createLogger('silent'),
      channelSecret: SECRET,
      webhookMaxBodyBytes: 64 * 1024,
      isReady: () => true,
      onStored: () => woken++,
      flows: new FlowStore(db),
      faq: new FaqStore(db),
      cipher,
    });
    server = await new Promise((r) => {
      const s = serving === 'express' ? app.listen(0, '127.0.0.1', () => r(s)) : createServer(listener(app)).listen(0, '127.0.0.1', () => r(s));
    });
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhook`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await db.close();
    await t.drop();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signed = (body: string, headers: Record<string, string> = {}) =>
    post(body, { 'x-line-signature': lineSignature(SECRET, body), ...headers });
  const stored = async (id: string) =>
    db.query<{ status: string; last_error: string | null; payload: string }>('SELECT status, last_error, payload FROM inbox_event WHERE webhook_event_id = $1', [id]);

  const thai = JSON.stringify({ destination: 'U' + 'f'.repeat(32), events: [textEvent(userId(1), 'ไฟถนนดับหน้าบ้าน 3 วันแล้วค่ะ 🙏😢 \u{1F1F9}\u{1F1ED}')] });

  it.each([
    ['a correctly signed body with Thai text and emoji', () => signed(thai), 200],
    ['no signature', () => post(thai), 401],
    ['a signature made with another secret', () => post(thai, { 'x-line-signature': lineSignature('f'.repeat(32), thai) }), 401],
    ['a signature of a re-serialised body (escaped emoji)', () => post(thai, { 'x-line-signature': lineSignature(SECRET, thai.replace('🙏', '\\ud83d\\ude4f')) }), 401],
    ['a body changed after signing', () => post(thai.replace('ดับ', 'ติด'), { 'x-line-signature': lineSignature(SECRET, thai) }), 401],
    ['signed malformed JSON', () => signed('{"events": [ '), 400],
    ['signed JSON that is not a webhook', () => signed('{"hello":"world"}'), 400],
    ['a signed event without a webhookEventId', () => signed(JSON.stringify({ events: [{ type: 'message', timestamp: 1 }] })), 400],
    ['a signed body over the size limit', () => signed(JSON.stringify({ events: [textEvent(userId(2), 'ก'.repeat(70_000))] })), 413],
    ['LINE\'s URL check: no events', () => signed(JSON.stringify({ destination: 'U' + 'f'.repeat(32), events: [] })), 200],
  ])('%s → %i', async (_name, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    const body = await res.json();
    if (status !== 200) expect(body.message).toEqual(expect.any(String));
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|stack/i);
  });

  it('stores the event sealed, with its bytes intact, before answering 200', async () => {
    const event = textEvent(userId(3), 'ร้องเรียนเรื่องน้ำประปาไม่ไหล 💧 โทร 0891234567');
    const res = await signed(JSON.stringify({ events: [event] }));
    expect(res.status).toBe(200);
    const [row] = await stored(event.webhookEventId);
    expect(row?.status).toBe('pending');
    // What citizens type is encrypted at rest; the key opens it unchanged.
    expect(row!.payload).not.toContain('0891234567');
    expect(JSON.parse(cipher.decrypt(row!.payload)).message.text).toBe('ร้องเรียนเรื่องน้ำประปาไม่ไหล 💧 โทร 0891234567');
  });

  it('stores a redelivered event once', async () => {
    const event = textEvent(userId(4), 'ซ้ำ');
    await signed(JSON.stringify({ events: [event] }));
    const again = { ...event, deliveryContext: { isRedelivery: true } };
    expect((await signed(JSON.stringify({ events: [again] }))).status).toBe(200);
    const rows = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM inbox_event WHERE webhook_event_id = $1', [event.webhookEventId]);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('records standby events and unknown types as ignored, never for the worker', async () => {
    const standby = textEvent(userId(5), 'ช่วยด้วย', { mode: 'standby' });
    delete (standby as Record<string, unknown>).replyToken;
    const unknownType = { type: 'somethingNew', mode: 'active', timestamp: Date.now(), webhookEventId: testEventId(), deliveryContext: { isRedelivery: false }, source: { type: 'user', userId: userId(5) } };
    const unknownMessage = textEvent(userId(5), '', { message: { id: '1', type: 'hologram' } });
    const badSource = textEvent('U../../v2/bot/evil', 'x');
    expect((await signed(JSON.stringify({ events: [standby, unknownType, unknownMessage, badSource] }))).status).toBe(200);
    for (const [e, why] of [[standby, /standby/], [unknownType, /somethingNew/], [unknownMessage, /hologram/], [badSource, /source id/]] as const) {
      const [row] = await stored(e.webhookEventId);
      expect(row?.status).toBe('ignored');
      expect(row?.last_error).toMatch(why);
    }
  });

  it('stores every event of a batch in one go, and wakes the worker', async () => {
    const before = woken;
    const events = Array.from({ length: 20 }, (_, i) => textEvent(userId(100 + i), `ข้อความ ${i}`));
    expect((await signed(JSON.stringify({ events }))).status).toBe(200);
    for (const e of events) expect((await stored(e.webhookEventId))[0]?.status).toBe('pending');
    expect(woken).toBeGreaterThan(before);
  });

  it('takes the webhook with a trailing slash or a query string, as express routes it', async () => {
    for (const suffix of ['/', '?from=line']) {
      const e = textEvent(userId(300), `ทาง ${suffix}`);
      const body = JSON.stringify({ destination: 'U' + 'f'.repeat(32), events: [e] });
      const res = await fetch(`${url}${suffix}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(SECRET, body) }, body });
      expect(res.status).toBe(200);
      expect((await stored(e.webhookEventId))[0]?.status).toBe('pending');
    }
  });

  it('answers 404 with a reason for other paths, and GET /webhook is not a webhook', async () => {
    expect((await fetch(url.replace('/webhook', '/nope'))).status).toBe(404);
    expect((await fetch(url)).status).toBe(404);
  });
});
