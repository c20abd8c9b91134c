import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../storage/database';
import { claimEvents, completeEvent, failEvent, storeEvents, failedEvents, LeaseLostError, type IncomingEvent } from '../storage/inbox';
import { backoffMs, releaseAll, INBOX } from '../storage/queue';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';

const USER_A = 'U' + 'a'.repeat(32);
const USER_B = 'U' + 'b'.repeat(32);
let seq = 0;
const ulid = () => (Date.now().toString(32).toUpperCase() + String(seq++).padStart(10, '0')).replace(/[ILOU]/g, 'X').padEnd(26, '0').slice(0, 26);

function event(chatId: string, over: Partial<IncomingEvent> = {}): IncomingEvent {
  return {
    webhookEventId: ulid(),
    destination: 'Udest',
    chatId,
    eventType: 'message',
    messageType: 'text',
    mode: 'active',
    isRedelivery: false,
    payload: JSON.stringify({ type: 'message', text: 'สวัสดี 🙏' }),
    eventTimestamp: 1000,
    status: 'pending',
    note: null,
    ...over,
  };
}

const policy = { maxAttempts: 3, baseMs: 1000, maxMs: 60_000 };

describe.each(engines())('the inbox on %s', (engine) => {
  let t: TestDatabase;
  let db: Database;
  afterEach(async () => {
    await db?.close();
    await t?.drop();
  });
  const open = async () => {
    t = newTestDatabase(engine);
    db = await t.open();
    return db;
  };

  it('stores an event once, however often it is delivered', async () => {
    await open();
    const e = event(USER_A);
    expect(await storeEvents(db, [e], 1)).toEqual({ stored: 1, duplicates: 0 });
    expect(await storeEvents(db, [{ ...e, isRedelivery: true }], 2)).toEqual({ stored: 0, duplicates: 1 });
    const rows = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM inbox_event');
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('hands out only the oldest open event of each chat, and the next one after it is done', async () => {
    await open();
    const [a1, a2, b1] = [event(USER_A), event(USER_A), event(USER_B)];
    await storeEvents(db, [a1, a2, b1], 10);
    const first = await claimEvents(db, 'w1', 10, 20, 1000);
    expect(first.map((r) => r.webhook_event_id).sort()).toEqual([a1.webhookEventId, b1.webhookEventId].sort());
    expect(await claimEvents(db, 'w2', 10, 21, 1000)).toEqual([]);
    const a = first.find((r) => r.chat_id === USER_A)!;
    await db.transaction((tx) => completeEvent(tx, a.id, 'w1', 30));
    const next = await claimEvents(db, 'w2', 10, 31, 1000);
    expect(next.map((r) => r.webhook_event_id)).toEqual([a2.webhookEventId]);
  });

  it('never hands ignored events (standby, unknown types) to a worker', async () => {
    await open();
    await storeEvents(db, [event(USER_A, { status: 'ignored', mode: 'standby', note: 'standby' })], 1);
    expect(await claimEvents(db, 'w1', 10, 2, 1000)).toEqual([]);
  });

  it('retries a failed event after a backoff, holding back its chat but not others, then parks it', async () => {
    await open();
    const [a1, a2, b1] = [event(USER_A), event(USER_A), event(USER_B)];
    await storeEvents(db, [a1, a2], 0);
    let [row] = await claimEvents(db, 'w1', 1, 0, 1000);
    expect(await failEvent(db, row!, 'w1', 'boom', 0, policy)).toBe('retry');
    await storeEvents(db, [b1], 1);
    // a1 waits for its backoff; a2 stays behind it; b1 goes ahead.
    const ahead = await claimEvents(db, 'w1', 10, 1, 1000);
    expect(ahead.map((r) => r.webhook_event_id)).toEqual([b1.webhookEventId]);
    await db.transaction((tx) => completeEvent(tx, ahead[0]!.id, 'w1', 2));
    for (let attempt = 2; attempt <= 3; attempt++) {
      [row] = await claimEvents(db, 'w1', 10, attempt * 100_000, 1000);
      expect(row!.webhook_event_id).toBe(a1.webhookEventId);
      expect(row!.attempts).toBe(attempt);
      expect(await failEvent(db, row!, 'w1', `boom ${attempt}`, attempt * 100_000, policy)).toBe(attempt === 3 ? 'failed' : 'retry');
    }
    const parked = await failedEvents(db);
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ webhookEventId: a1.webhookEventId, lastError: 'boom 3', attempts: 3 });
    // With a1 parked, the chat moves on.
    expect((await claimEvents(db, 'w1', 10, 400_000, 1000)).map((r) => r.webhook_event_id)).toEqual([a2.webhookEventId]);
  });

  it('lets another worker take an event whose lease expired, and rolls back the first worker if it finishes late', async () => {
    await open();
    await storeEvents(db, [event(USER_A)], 0);
    const [held] = await claimEvents(db, 'crashed', 1, 0, 1000);
    expect(await claimEvents(db, 'w2', 1, 500, 1000)).toEqual([]);
    const [taken] = await claimEvents(db, 'w2', 1, 1001, 1000);
    expect(taken!.id).toBe(held!.id);
    await expect(db.transaction((tx) => completeEvent(tx, held!.id, 'crashed', 1002))).rejects.toBeInstanceOf(LeaseLostError);
    await db.transaction((tx) => completeEvent(tx, taken!.id, 'w2', 1003));
  });

  it('gives back held events on shutdown so they are picked up at once', async () => {
    await open();
    await storeEvents(db, [event(USER_A)], 0);
    await claimEvents(db, 'w1', 1, 0, 60_000);
    await releaseAll(db, INBOX, 'w1');
    const [again] = await claimEvents(db, 'w2', 1, 1, 60_000);
    expect(again!.attempts).toBe(1);
  });
});

describe('retry backoff', () => {
  it('grows exponentially with jitter in the upper half, capped', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffMs(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
