import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator';
import { newTestDatabase, type TestDatabase } from './support/databases';
import { startServerProcess, freePort, serverEnv, LINE_SECRET, LINE_TOKEN, type ServerProcess } from './support/server-process';
import { messagesFor } from './support/engine-run';
import { waitFor } from './support/server';

/**
 * A province runs several server processes on one PostgreSQL database behind a load balancer. The database alone
 * coordinates them: each event is handled by one process, and a chat's events are answered in the order stored.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('two server processes on one PostgreSQL database', () => {
  let emulator: Emulator;
  let t: TestDatabase;
  const servers: ServerProcess[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.kill().catch(() => undefined)));
    await emulator?.close();
    await t?.drop();
  });

  it('share the work, handle each event once and keep every chat in order', async () => {
    emulator = await startEmulator({ channelSecret: LINE_SECRET, channelAccessToken: LINE_TOKEN });
    t = newTestDatabase('postgres');
    await (await t.open()).close();
    // Both start at once: migrations are serialised by an advisory lock.
    const [a, b] = await Promise.all([0, 1].map(async () => startServerProcess(serverEnv(t, emulator, await freePort()))));
    servers.push(a!, b!);

    emulator.inject({ endpoint: 'reply', latencyMs: 3, count: Infinity });
    const users = Array.from({ length: 12 }, (_, i) => emulator.addUser({ displayName: `ผู้ใช้ ${i}` }));
    const perUser = 15;
    const tokenToEvent = new Map<string, string>();
    // A load balancer alternates: consecutive events of one chat land on different processes.
    const sends: Promise<void>[] = [];
    for (let k = 0; k < perUser; k++) {
      for (const [i, u] of users.entries()) {
        const e = emulator.buildEvent({ type: 'message', userId: u, message: { type: 'text', text: `ข้อความ ${k}` } });
        tokenToEvent.set((e as { replyToken: string }).replyToken, e.webhookEventId);
        const target = servers[(k + i) % 2]!;
        emulator.setWebhookUrl(`${target.url}/webhook`);
        sends.push(emulator.deliver([e]).then((r) => void expect(r.status).toBe(200)));
      }
      await Promise.all(sends.splice(0));
    }
    const perChat = messagesFor(Array.from({ length: perUser }, (_, k) => `ข้อความ ${k}`));
    await waitFor(() => users.every((u) => emulator.delivered(u).length === perChat), 30_000, 'every answer');

    const db = await t.open();
    try {
      const rows = await db.query<{ id: number; webhook_event_id: string; chat_id: string; locked_by: string; status: string }>(
        'SELECT id, webhook_event_id, chat_id, locked_by, status FROM inbox_event ORDER BY id',
      );
      expect(rows.every((r) => r.status === 'done')).toBe(true);
      // Both processes did part of the work.
      expect(new Set(rows.map((r) => r.locked_by.split(':').slice(0, 2).join(':'))).size).toBe(2);
      const idOf = new Map(rows.map((r) => [r.webhook_event_id, r.id]));
      // Each chat's successful replies, in the order LINE received them, follow the order the events were stored.
      const replies = emulator.calls({ endpoint: 'reply' }).filter((c) => c.status === 200);
      expect(replies).toHaveLength(users.length * perUser);
      for (const u of users) {
        const order = replies
          .map((c) => tokenToEvent.get((c.body as { replyToken: string }).replyToken)!)
          .filter((id) => rows.find((r) => r.webhook_event_id === id)!.chat_id === u)
          .map((id) => idOf.get(id)!);
        expect(order).toEqual([...order].sort((x, y) => x - y));
        expect(order).toHaveLength(perUser);
      }
      expect(emulator.calls({ endpoint: 'push' })).toHaveLength(0);
    } finally {
      await db.close();
    }
  }, 120_000);
});
