/**
 * The storage work of one webhook event, alone, in-process, no HTTP: what SQLite (through TypeORM and the
 * project's storage layer) costs per event on this machine, step by step.
 *   tsx bench/tools/storage-micro.ts [events=3000] [batch=1]
 * batch = events per webhook transaction and per claim (1 = one at a time, as under light load).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../storage/database';
import { storeEvents, claimEvents, completeEvent, type IncomingEvent } from '../../storage/inbox';
import { queueMessages, claimOutbox, markSent, useOutboxCipher } from '../../storage/outbox';
import { DataCipher } from '../../storage/crypto';
import { randomBytes } from 'node:crypto';
import { benchUsers, assignUsers } from '../lib/events';
import { newWebhookEventId } from '../../emulator/ids';

const N = Number(process.argv[2] ?? 3000);
const BATCH = Number(process.argv[3] ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'echannel-micro-'));
const db = await Database.open(`sqlite:${join(dir, 'm.sqlite')}`);
// Outbox bodies are stored encrypted, as the server does it: a throw-away key for this run.
useOutboxCipher(db, new DataCipher(randomBytes(32)));
const users = assignUsers(benchUsers(1000), N, 7);
const t: Record<string, number> = {};
const time = async <T>(k: string, f: () => Promise<T>): Promise<T> => {
  const s = performance.now();
  try {
    return await f();
  } finally {
    t[k] = (t[k] ?? 0) + performance.now() - s;
  }
};
const W = 'micro-worker';
const start = performance.now();
for (let i = 0; i < N; i += BATCH) {
  const events: IncomingEvent[] = [];
  for (let k = i; k < Math.min(N, i + BATCH); k++) {
    const now = Date.now();
    events.push({
      webhookEventId: newWebhookEventId(now), destination: 'U' + '0'.repeat(32), chatId: users[k]!, eventType: 'message',
      messageType: 'text', mode: 'active', isRedelivery: false, payload: JSON.stringify({ type: 'message', text: 'x'.repeat(600) }),
      eventTimestamp: now, status: 'pending', note: null,
    });
  }
  await time('1 store (webhook tx)', () => storeEvents(db, events, Date.now()));
  const rows = await time('2 claim inbox (tx)', () => claimEvents(db, W, BATCH, Date.now(), 15_000));
  for (const row of rows) {
    await time('3 complete + queue (tx)', () =>
      db.transaction(async (tx) => {
        await queueMessages(tx, { chatId: row.chat_id, messages: [{ type: 'text', text: 'ได้รับข้อความแล้ว' }], inboxEventId: row.id, replyToken: 'a'.repeat(32), replyDeadline: Date.now() + 50_000 }, Date.now());
        await completeEvent(tx, row.id, W, Date.now());
      }),
    );
  }
  const out = await time('4 claim outbox (tx)', () => claimOutbox(db, W, BATCH, Date.now(), 20_000));
  for (const o of out) await time('5 markSent', () => markSent(db, o.id, W, 'reply', 200, null, Date.now()));
  await time('6 empty claim inbox (tx)', () => claimEvents(db, W, BATCH, Date.now(), 15_000));
}
const total = performance.now() - start;
console.log(`${N} events, batch ${BATCH}: ${(total / N * 1000).toFixed(0)} µs of storage work per event => at most ${Math.round(N / total * 1000)} events/s on one core for storage alone`);
for (const [k, v] of Object.entries(t)) console.log(`  ${k.padEnd(28)} ${(v / N * 1000).toFixed(0).padStart(6)} µs/event`);
await db.close();
rmSync(dir, { recursive: true, force: true });
