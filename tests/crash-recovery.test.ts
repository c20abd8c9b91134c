import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type WebhookEvent } from '../emulator';
import { Database } from '../storage/database';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';
import { startServerProcess, freePort, serverEnv, LINE_SECRET, LINE_TOKEN, type ServerProcess } from './support/server-process';
import { waitFor } from './support/server';
import { messagesFor } from './support/engine-run';



describe.each(engines())('a server killed with SIGKILL under load, on %s', (engine) => {
  let emulator: Emulator;
  let t: TestDatabase;
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.kill().catch(() => undefined);
    await emulator?.close();
    await t?.drop();
  });

  it('restarts and finishes every stored event, none twice, and nothing acknowledged is lost', async () => {
    emulator = await startEmulator({ channelSecret: LINE_SECRET, channelAccessToken: LINE_TOKEN });
    t = newTestDatabase(engine);
    await (await t.open()).close(); // schema ready before the processes start
    const port = await freePort();
    // An answer's outbox row is held by its sender for twice the LINE request timeout: after the kill, the restarted
    // server waits that long before it sends what the dead one held. The emulator answers in milliseconds.
    const env = { ...serverEnv(t, emulator, port), LINE_REQUEST_TIMEOUT_MS: '1500' };
    server = await startServerProcess(env);
    emulator.setWebhookUrl(`${server.url}/webhook`);

    // Slow LINE a little so that work is in flight at every stage when the kill comes.
    emulator.inject({ endpoint: 'reply', latencyMs: 5, count: Infinity });
    const users = Array.from({ length: 30 }, (_, i) => emulator.addUser({ displayName: `ผู้ร้อง ${i}` }));
    const events: WebhookEvent[] = [];
    for (let k = 0; k < 20; k++) {
      for (const u of users) events.push(emulator.buildEvent({ type: 'message', userId: u, message: { type: 'text', text: chatText(k) } }));
    }
    const acked = new Set<string>();
    const unacked: WebhookEvent[] = [];
    let killed = false;
    const killAt = 250;
    // Ten deliveries in flight at a time; the server dies part-way through.
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < events.length) {
          const e = events[next++]!;
          if (!killed && acked.size >= killAt) {
            killed = true;
            await server!.kill();
          }
          const res = await emulator.deliver([e]).catch(() => null);
          if (res?.status === 200) acked.add(e.webhookEventId);
          else unacked.push(e);
        }
      }),
    );
    expect(killed).toBe(true);
    expect(unacked.length).toBeGreaterThan(0);

    server = await startServerProcess(env);
    emulator.setWebhookUrl(`${server.url}/webhook`);
    // LINE redelivers what was not acknowledged.
    for (const e of unacked) {
      const res = await emulator.deliver([{ ...e, deliveryContext: { isRedelivery: true } }]);
      expect(res.status).toBe(200);
    }

    const db = await t.open();
    try {
      await waitFor(
        async () => {
          const [r] = await db.query<{ open: number }>(
            `SELECT (SELECT COUNT(*) FROM inbox_event WHERE status IN ('pending','processing'))
                  + (SELECT COUNT(*) FROM outbox_message WHERE status IN ('pending','sending')) AS open`,
          );
          return Number(r!.open) === 0;
        },
        45_000,
        'every stored event and message finished',
      );
      const rows = await db.query<{ webhook_event_id: string; status: string }>('SELECT webhook_event_id, status FROM inbox_event');
      expect(rows).toHaveLength(events.length);
      expect(rows.filter((r) => r.status !== 'done')).toEqual([]);
      for (const id of acked) expect(rows.some((r) => r.webhook_event_id === id)).toBe(true);
      // Each event's answer was queued once: one outbox row per event.
      const [queued] = await db.query<{ rows: number; events: number }>('SELECT COUNT(*) AS rows, COUNT(DISTINCT inbox_event_id) AS events FROM outbox_message');
      expect(Number(queued!.rows)).toBe(events.length);
      expect(Number(queued!.events)).toBe(events.length);
    } finally {
      await db.close();
    }
    // One answer per event, per chat: nothing lost, nothing doubled.
    const perChat = messagesFor(Array.from({ length: 20 }, (_, k) => chatText(k)));
    for (const u of users) expect(emulator.delivered(u)).toHaveLength(perChat);
  }, 120_000);
});


/** What each chat sends, in order: the menu and the help page in turn, answers whose messages the pure engine can count. */
const chatText = (k: number) => (k % 2 === 0 ? 'เมนู' : 'ช่วยเหลือ');

describe('a server asked to stop with SIGTERM', () => {
  let emulator: Emulator;
  let t: TestDatabase;
  afterEach(async () => {
    await emulator?.close();
    await t?.drop();
  });

  it('stops taking webhooks, finishes the events in flight, closes the database and exits 0', async () => {
    emulator = await startEmulator({ channelSecret: LINE_SECRET, channelAccessToken: LINE_TOKEN });
    t = newTestDatabase('sqlite');
    const server = await startServerProcess({ ...serverEnv(t, emulator, await freePort()), LOG_LEVEL: 'info' });
    emulator.setWebhookUrl(`${server.url}/webhook`);
    // LINE is slow: replies are in flight when the signal comes.
    emulator.inject({ endpoint: 'reply', latencyMs: 300, count: Infinity });
    const users = Array.from({ length: 5 }, (_, i) => emulator.addUser({ displayName: `ผู้ใช้ ${i}` }));
    for (const u of users) {
      const res = await emulator.deliver([emulator.buildEvent({ type: 'message', userId: u, message: { type: 'text', text: 'ก่อนปิด' } })]);
      expect(res.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 100));
    const code = await server.stop();
    expect(code).toBe(0);
    expect(server.output()).toContain('shut down cleanly');
    for (const u of users) expect(emulator.delivered(u)).toHaveLength(1);
    await expect(emulator.deliver([emulator.buildEvent({ type: 'message', userId: users[0]!, message: { type: 'text', text: 'หลังปิด' } })])).rejects.toThrow();
    const db = await t.open();
    const rows = await db.query<{ status: string }>('SELECT status FROM inbox_event');
    await db.close();
    expect(rows.map((r) => r.status)).toEqual(Array(5).fill('done'));
  }, 60_000);
});
