import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { engines } from './support/databases';
import type { EventHandler } from '../bot/event-handler';

/** Answers a text with "echo:<text>", optionally slowly, and checks no chat is ever handled twice at once. */
function echoHandler(opts: { delayMs?: () => number; failTimes?: Map<string, number> } = {}) {
  const active = new Set<string>();
  const overlaps: string[] = [];
  const handled: string[] = [];
  const handler: EventHandler<void> = {
    async prepare(ctx) {
      if (active.has(ctx.chatId)) overlaps.push(ctx.chatId);
      active.add(ctx.chatId);
      try {
        await new Promise((r) => setTimeout(r, opts.delayMs?.() ?? 0));
        const text = ctx.event.type === 'message' && ctx.event.message.type === 'text' ? ctx.event.message.text : '';
        const left = opts.failTimes?.get(text) ?? 0;
        if (left > 0) {
          opts.failTimes!.set(text, left - 1);
          throw new Error(`planned failure for ${text}`);
        }
      } finally {
        active.delete(ctx.chatId);
      }
    },
    async apply(ctx) {
      if (ctx.event.type !== 'message' || ctx.event.message.type !== 'text') return [];
      handled.push(ctx.event.message.text);
      return [{ type: 'text', text: `echo:${ctx.event.message.text}` }];
    },
  };
  return { handler: handler as EventHandler<unknown>, overlaps, handled };
}

const OPS = 'ops-token-for-tests-0123456789';

const texts = (server: TestServer, chatId: string) =>
  server.emulator.delivered(chatId).map((d) => (d.message as { text: string }).text);

describe.each(engines())('the event pipeline on %s', (engine) => {
  let server: TestServer;
  afterEach(async () => server?.stop());

  it('answers a message by reply, once, using the event\'s replyToken', async () => {
    server = await startTestServer(engine);
    const user = server.emulator.addUser({ displayName: 'สมชาย', language: 'th' });
    const res = await server.emulator.deliver([server.emulator.buildEvent({ type: 'message', userId: user, message: { type: 'text', text: 'สวัสดีครับ' } })]);
    expect(res.status).toBe(200);
    await waitFor(() => server.emulator.delivered(user).length > 0, 5000, 'the answer');
    await waitFor(() => server.emulator.delivered(user).length > 1, 5000, 'the menu');
    const [greeting, menu] = server.emulator.delivered(user);
    // A greeting is answered with a greeting, then the menu, in the one reply.
    expect([greeting!.via, menu!.via]).toEqual(['reply', 'reply']);
    expect((greeting!.message as { text: string }).text).toContain('สวัสดีค่ะ');
    expect((menu!.message as { text: string }).text).toContain('ต้องการให้ศูนย์ดำรงธรรมช่วยเรื่องใดคะ');
    expect(server.emulator.calls({ endpoint: 'push' })).toHaveLength(0);
  });

  it('greets a new friend by the name on their LINE profile, in their language', async () => {
    server = await startTestServer(engine);
    const user = server.emulator.addUser({ displayName: 'Jane', language: 'en' });
    await server.emulator.deliver([server.emulator.buildEvent({ type: 'follow', userId: user, follow: { isUnblocked: false } })]);
    await waitFor(() => server.emulator.delivered(user).length > 0, 5000, 'the welcome');
    await waitFor(() => server.emulator.delivered(user).length > 2, 5000, 'the menu');
    const [welcome, notice, menu] = server.emulator.delivered(user).map((d) => d.message as { type: string; text?: string; altText?: string });
    expect(welcome!.text).toMatch(/^Hello Jane/);
    // The privacy notice at collection (PDPA s.23), with the full text a tap away.
    expect(notice).toMatchObject({ type: 'flex', altText: expect.stringMatching(/^Your personal data: /) });
    expect(menu!.text).toMatch(/^How can the Damrongdhama Center help you\?/);
    await server.emulator.deliver([server.emulator.buildEvent({ type: 'message', userId: user, message: { type: 'text', text: 'I want to complain' } })]);
    await waitFor(() => server.emulator.delivered(user).length > 3, 5000, 'the answer');
    // Asking to complain tells nothing yet: the kind is proposed for one tap, and the story is asked next.
    expect(texts(server, user)[3]).toMatch(/^What kind of matter is it\?\nFrom what you wrote, it looks like “Complaint”/);
  });

  it('handles a redelivered event once', async () => {
    const echo = echoHandler();
    server = await startTestServer(engine, {}, { handler: echo.handler });
    const user = server.emulator.addUser({ displayName: 'ก' });
    const event = server.emulator.buildEvent({ type: 'message', userId: user, message: { type: 'text', text: 'ครั้งเดียว' } });
    await server.emulator.deliver([event]);
    await server.emulator.deliver([{ ...event, deliveryContext: { isRedelivery: true } }]);
    await waitFor(() => server.emulator.delivered(user).length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(echo.handled).toEqual(['ครั้งเดียว']);
    expect(texts(server, user)).toEqual(['echo:ครั้งเดียว']);
  });

  it('keeps each chat in order under concurrent deliveries, and runs chats in parallel', async () => {
    const echo = echoHandler({ delayMs: () => Math.random() * 15 });
    server = await startTestServer(engine, { WORKER_CONCURRENCY: '8' }, { handler: echo.handler });
    const users = Array.from({ length: 6 }, (_, i) => server.emulator.addUser({ displayName: `ผู้ใช้ ${i}` }));
    const perUser = 15;
    // Each user's events are delivered one request each, all in flight at once, as LINE does under load.
    const sends: Promise<unknown>[] = [];
    for (let k = 0; k < perUser; k++) {
      for (const u of users) sends.push(server.emulator.deliver([server.emulator.buildEvent({ type: 'message', userId: u, message: { type: 'text', text: `${k}` } })]));
    }
    await Promise.all(sends);
    await waitFor(() => users.every((u) => server.emulator.delivered(u).length === perUser), 20_000, 'all answers');
    const stored = await server.db.query<{ chat_id: string; payload: string }>('SELECT chat_id, payload FROM inbox_event ORDER BY id');
    for (const u of users) {
      const storedOrder = stored.filter((r) => r.chat_id === u).map((r) => `echo:${JSON.parse(server.cipher.decrypt(r.payload)).message.text}`);
      expect(texts(server, u)).toEqual(storedOrder);
    }
    expect(echo.overlaps).toEqual([]);
    expect(echo.handled).toHaveLength(users.length * perUser);
  });

  it('does not answer standby events, and ignores unknown event and message types', async () => {
    server = await startTestServer(engine);
    const user = server.emulator.addUser({ displayName: 'ข' });
    const e = server.emulator;
    const res = await e.deliver([
      e.buildEvent({ type: 'message', userId: user, mode: 'standby', message: { type: 'text', text: 'อยู่ในโหมดสแตนด์บาย' } }),
      e.buildEvent({ type: 'quantumEntanglement', userId: user }),
      e.buildEvent({ type: 'message', userId: user, message: { type: 'hologram' } }),
      e.buildEvent({ type: 'message', userId: user, message: { type: 'text', text: 'ตามด้วยข้อความปกติ' } }),
    ]);
    expect(res.status).toBe(200);
    await waitFor(() => e.delivered(user).length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(e.delivered(user)).toHaveLength(1);
    const rows = await server.db.query<{ status: string }>('SELECT status FROM inbox_event ORDER BY id');
    expect(rows.map((r) => r.status)).toEqual(['ignored', 'ignored', 'ignored', 'done']);
  });

  it('pushes with a retry key when the replyToken is too old, and when LINE refuses it', async () => {
    server = await startTestServer(engine);
    const e = server.emulator;
    const user = e.addUser({ displayName: 'ค' });
    // Too old: the event happened a minute ago (LINE redelivered it late).
    await e.deliver([e.buildEvent({ type: 'message', userId: user, timestamp: Date.now() - 60_000, message: { type: 'text', text: 'เมนู' } })]);
    // Refused: LINE does not know this token.
    await e.deliver([e.buildEvent({ type: 'message', userId: user, replyToken: 'f'.repeat(32), message: { type: 'text', text: 'เมนู' } })]);
    // Each shows the menu: one message each.
    await waitFor(() => e.delivered(user).length === 2, 5000, 'two answers');
    expect(e.delivered(user).map((d) => d.via)).toEqual(['push', 'push']);
    const pushes = e.calls({ endpoint: 'push' }).filter((c) => c.status === 200);
    expect(pushes).toHaveLength(2);
    for (const p of pushes) expect(p.retryKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(e.calls({ endpoint: 'reply' }).map((c) => c.status)).toEqual([400]);
  });

  it('retries 5xx and 429 from LINE and delivers once', async () => {
    server = await startTestServer(engine);
    const e = server.emulator;
    const user = e.addUser({ displayName: 'ง' });
    e.inject({ endpoint: 'reply', status: 500, count: 1 });
    e.inject({ endpoint: 'reply', status: 429, count: 1 });
    // "เมนู" is answered with one message: the menu.
    await e.deliver([e.buildEvent({ type: 'message', userId: user, message: { type: 'text', text: 'เมนู' } })]);
    await waitFor(() => e.delivered(user).length > 0, 10_000, 'the answer');
    await new Promise((r) => setTimeout(r, 300));
    expect(e.calls({ endpoint: 'reply' }).map((c) => c.status)).toEqual([500, 429, 200]);
    expect(e.delivered(user)).toHaveLength(1);
    expect(e.delivered(user)[0]!.via).toBe('reply');
  });

  it('counts a push whose answer was lost as delivered when LINE says 409 for its retry key', async () => {
    server = await startTestServer(engine);
    const e = server.emulator;
    const user = e.addUser({ displayName: 'จ' });
    e.inject({ endpoint: 'push', dropAfterAccept: true, count: 1 });
    e.inject({ endpoint: 'push', status: 503, count: 1 });
    await e.deliver([e.buildEvent({ type: 'message', userId: user, timestamp: Date.now() - 55_000, message: { type: 'text', text: 'ส่งครั้งเดียว' } })]);
    await waitFor(() => e.calls({ endpoint: 'push' }).some((c) => c.status === 409), 10_000, 'the 409');
    const pushes = e.calls({ endpoint: 'push' });
    expect(new Set(pushes.map((p) => p.retryKey)).size).toBe(1);
    expect(e.delivered(user)).toHaveLength(1);
    await waitFor(async () => (await server.db.query<{ status: string }>("SELECT status FROM outbox_message"))[0]?.status === 'sent');
  });

  it('counts a reply whose answer was lost as delivered, instead of pushing it again', async () => {
    server = await startTestServer(engine);
    const e = server.emulator;
    const user = e.addUser({ displayName: 'ฉ' });
    e.inject({ endpoint: 'reply', dropAfterAccept: true, count: 1 });
    await e.deliver([e.buildEvent({ type: 'message', userId: user, message: { type: 'text', text: 'ตอบกลับหาย' } })]);
    await waitFor(async () => (await server.db.query<{ status: string }>("SELECT status FROM outbox_message"))[0]?.status === 'sent', 10_000, 'sent');
    expect(e.delivered(user)).toHaveLength(1);
    expect(e.calls({ endpoint: 'push' })).toHaveLength(0);
  });

  it('parks a message LINE refuses for good, with LINE\'s error body', async () => {
    server = await startTestServer(engine);
    const e = server.emulator;
    const user = e.addUser({ displayName: 'ช' });
    e.inject({ endpoint: 'push', status: 403, count: 1 });
    await e.deliver([e.buildEvent({ type: 'message', userId: user, timestamp: Date.now() - 55_000, message: { type: 'text', text: 'ไม่ผ่าน' } })]);
    const row = await waitFor(async () => (await server.db.query<{ status: string; last_status: number; last_error: string }>("SELECT status, last_status, last_error FROM outbox_message WHERE status = 'failed'"))[0], 10_000, 'parked');
    expect(row.last_status).toBe(403);
    expect(row.last_error).toMatch(/message/);
    expect(e.delivered(user)).toHaveLength(0);
    expect(e.calls({ endpoint: 'push' })).toHaveLength(1);
  });

  it('retries a failing event with backoff, parks it after the last attempt, and lets the chat move on', async () => {
    const echo = echoHandler({ failTimes: new Map([['พังตลอด', 99], ['พังครั้งเดียว', 1]]) });
    server = await startTestServer(engine, { EVENT_MAX_ATTEMPTS: '3', OPS_TOKEN: OPS }, { handler: echo.handler });
    const e = server.emulator;
    const [a, b] = [e.addUser({ displayName: 'a' }), e.addUser({ displayName: 'b' })];
    await e.deliver([e.buildEvent({ type: 'message', userId: a, message: { type: 'text', text: 'พังตลอด' } })]);
    await e.deliver([e.buildEvent({ type: 'message', userId: a, message: { type: 'text', text: 'หลังจากนั้น' } })]);
    await e.deliver([e.buildEvent({ type: 'message', userId: b, message: { type: 'text', text: 'พังครั้งเดียว' } })]);
    await waitFor(() => e.delivered(a).length === 1 && e.delivered(b).length === 1, 10_000, 'answers');
    expect(texts(server, a)).toEqual(['echo:หลังจากนั้น']);
    expect(texts(server, b)).toEqual(['echo:พังครั้งเดียว']);
    const [failed] = await server.db.query<{ status: string; attempts: number; last_error: string }>("SELECT status, attempts, last_error FROM inbox_event WHERE status = 'failed'");
    expect(failed).toMatchObject({ attempts: 3 });
    expect(failed!.last_error).toMatch(/planned failure/);
    // Where a person sees it: the operations API, behind its token.
    expect((await fetch(`${server.url}/ops/failed-events`)).status).toBe(401);
    const ops = await fetch(`${server.url}/ops/failed-events`, { headers: { authorization: `Bearer ${OPS}` } });
    const { events } = (await ops.json()) as { events: Array<{ chatId: string; lastError: string; attempts: number }> };
    expect(events).toEqual([expect.objectContaining({ chatId: a, attempts: 3, lastError: expect.stringMatching(/planned failure/) })]);
  });

  it('shows the loading animation when an answer takes more than a moment', async () => {
    const echo = echoHandler({ delayMs: () => 400 });
    server = await startTestServer(engine, { LOADING_ANIMATION_AFTER_MS: '100' }, { handler: echo.handler });
    const e = server.emulator;
    const user = e.addUser({ displayName: 'ซ' });
    await e.deliver([e.buildEvent({ type: 'message', userId: user, message: { type: 'text', text: 'ช้า' } })]);
    await waitFor(() => e.delivered(user).length > 0);
    const loading = e.calls({ endpoint: 'loading' });
    expect(loading).toHaveLength(1);
    expect(loading[0]!.body).toMatchObject({ chatId: user });
    expect(loading[0]!.seq).toBeLessThan(e.calls({ endpoint: 'reply' })[0]!.seq);
  });

  it('fetches a photo from LINE at once and keeps its bytes', async () => {
    server = await startTestServer(engine);
    const e = server.emulator;
    const user = e.addUser({ displayName: 'ฌ' });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1b8e6a40000000049454e44ae426082', 'hex');
    e.putContent('700000000001', png, 'image/png');
    await e.deliver([e.buildEvent({ type: 'message', userId: user, message: { type: 'image', id: '700000000001', contentProvider: { type: 'line' } } })]);
    await waitFor(() => e.delivered(user).length > 0);
    const [row] = await server.db.query<{ size: number; content_type: string; bytes: Buffer }>('SELECT size, content_type, bytes FROM line_content');
    expect(row).toMatchObject({ size: png.length, content_type: 'image/png' });
    expect(server.cipher.decryptBytes(row!.bytes).equals(png)).toBe(true);
    expect(texts(server, user)[0]).toContain('ได้รับไฟล์แล้วค่ะ');
  });

  it('reports ready only while the database answers and the worker runs', async () => {
    server = await startTestServer(engine);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: true, worker: true });
    await server.worker.stop(1000);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
  });
});
