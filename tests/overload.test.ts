/**
 * Past capacity: webhooks arrive faster than the conversations can be answered. The acknowledgements must not wait
 * for the conversations, the backlog must stay in the database (bounded in memory, visible in /metrics), answers
 * whose reply token grew too old are pushed with their retry key and counted, and once the traffic stops the
 * backlog drains with nothing lost, nothing answered twice, and every chat answered in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { engines } from './support/databases';
import type { EventHandler } from '../bot/event-handler';

const OPS = 'ops-token-for-overload-tests-0123';
const CONCURRENCY = 4;
/** Each event takes this long to prepare: CONCURRENCY / DELAY_MS = 200 events a second at most. */
const DELAY_MS = 20;
const CHATS = 60;
const PER_CHAT = 10;

/** Answers "echo:<text>" after DELAY_MS; notes the most events it held at once. */
function slowEcho() {
  let inHand = 0;
  let mostInHand = 0;
  const handler: EventHandler<void> = {
    async prepare() {
      mostInHand = Math.max(mostInHand, ++inHand);
      await new Promise((r) => setTimeout(r, DELAY_MS));
      inHand--;
    },
    async apply(ctx) {
      if (ctx.event.type !== 'message' || ctx.event.message.type !== 'text') return [];
      return [{ type: 'text', text: `echo:${ctx.event.message.text}` }];
    },
  };
  return { handler: handler as EventHandler<unknown>, mostInHand: () => mostInHand };
}

async function metric(server: TestServer, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${OPS}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe.each(engines())('past capacity, on %s', (engine) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('acknowledges everything at once, pushes answers whose reply token grew too old, and drains the backlog with nothing lost or doubled', async () => {
    const echo = slowEcho();
    server = await startTestServer(
      engine,
      { WORKER_CONCURRENCY: String(CONCURRENCY), REPLY_TOKEN_MAX_AGE_MS: '1000', OPS_TOKEN: OPS },
      { handler: echo.handler },
    );
    const e = server.emulator;
    const expiredBefore = await metric(server, 'echannel_reply_token_expired_total');
    const users = Array.from({ length: CHATS }, (_, i) => e.addUser({ displayName: `ผู้ใช้ ${i}` }));

    // 600 events to 60 chats, each chat's in order, one webhook in flight per chat as LINE would send them: three
    // times what the server can answer in the same time.
    const events = users.flatMap((user, c) => Array.from({ length: PER_CHAT }, (_, n) => ({ user, text: `${c}-${n}` })));
    const acked: number[] = [];
    const started = Date.now();
    await Promise.all(
      users.map(async (_, c) => {
        for (const { user, text } of events.slice(c * PER_CHAT, (c + 1) * PER_CHAT)) {
          const res = await e.deliver([e.buildEvent({ type: 'message', userId: user, message: { type: 'text', text } })]);
          expect(res.status).toBe(200);
          acked.push(Date.now());
        }
      }),
    );
    const allAcked = Date.now();

    // Every webhook was answered while most of the work was still to do: intake did not wait for the conversations.
    const answeredByThen = e.calls({ endpoint: 'reply' }).length + e.calls({ endpoint: 'push' }).length;
    expect(acked).toHaveLength(events.length);
    expect(answeredByThen).toBeLessThan(events.length / 2);

    // The backlog is in the database and visible; in memory the worker holds no more than its concurrency.
    await server.metrics.countQueues();
    expect(await metric(server, 'echannel_queue_items', '{queue="inbox",state="waiting"}')).toBeGreaterThan(0);
    expect(await metric(server, 'echannel_in_hand_items', '{queue="inbox"}')).toBeLessThanOrEqual(CONCURRENCY);

    // Drained: every event done, every message sent.
    await waitFor(
      async () => (await server!.db.query(`SELECT id FROM inbox_event WHERE status <> 'done' UNION ALL SELECT id FROM outbox_message WHERE status <> 'sent'`)).length === 0,
      30_000,
      'the backlog to drain',
    );
    expect(echo.mostInHand()).toBeLessThanOrEqual(CONCURRENCY);

    // Nothing lost, nothing twice, each chat in order.
    for (const [c, user] of users.entries()) {
      expect(e.delivered(user).map((d) => (d.message as { text: string }).text)).toEqual(Array.from({ length: PER_CHAT }, (_, n) => `echo:${c}-${n}`));
    }
    // The later answers came after their token's time: pushed with a retry key each, and counted.
    const pushes = e.calls({ endpoint: 'push' }).filter((p) => p.status === 200);
    expect(Date.now() - started).toBeGreaterThan(1000);
    expect(pushes.length).toBeGreaterThan(0);
    for (const p of pushes) expect(p.retryKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.calls({ endpoint: 'reply' }).filter((r) => r.status === 200).length + pushes.length).toBe(events.length);
    expect((await metric(server, 'echannel_reply_token_expired_total')) - expiredBefore).toBe(pushes.length);
    expect(allAcked).toBeGreaterThan(started);
  }, 90_000);
});
