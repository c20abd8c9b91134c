/**
 * What the storage does so that a webhook's acknowledgement never waits for the conversations, and so that an
 * answer leaves without a claim: the intake lane, the time slices of SQLite's group commit, the checkpointer's
 * thread, intake's own PostgreSQL connections, answers stored already held by their sender, and the session cache.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Database } from '../storage/database';
import { DataCipher } from '../storage/crypto';
import { queueAndHold, queueMessages, useOutboxCipher } from '../storage/outbox';
import { initialState } from '../flows/engine/state';
import { loadSession, saveSession } from '../flows/sessions';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';

const USER = (n: number) => `U${String(n).padStart(32, '0')}`;
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('SQLite group commit', () => {
  let t: TestDatabase;
  let db: Database;
  afterEach(async () => {
    await db?.close();
  });
  const open = async () => {
    t = newTestDatabase('sqlite');
    db = await t.open();
    await db.query('CREATE TABLE IF NOT EXISTS speed_probe (id INTEGER PRIMARY KEY, lane TEXT, payload TEXT)');
  };

  it('sizes its page cache as told (SQLITE_CACHE_MB), 32 MB when not told', async () => {
    const cacheOf = async (d: Database) => Number((await d.query<{ cache_size: number }>('PRAGMA cache_size'))[0]!.cache_size);
    await open();
    expect(await cacheOf(db)).toBe(-32 * 1024);
    const small = await Database.open(newTestDatabase('sqlite').url, { sqliteCacheMb: 8 });
    try {
      expect(await cacheOf(small)).toBe(-8 * 1024);
    } finally {
      await small.close();
    }
  });

  it("commits a webhook's intake ahead of the conversations' work queued before it", async () => {
    await open();
    const done: string[] = [];
    // Fifty units of work, 3 ms each: 150 ms in all, queued before the webhook's.
    const work = Array.from({ length: 50 }, (_, i) =>
      db.transaction(async (tx) => {
        busy(3);
        await tx.query('INSERT INTO speed_probe (lane) VALUES ($1)', ['work']);
        done.push(`work ${i}`);
      }),
    );
    const intake = db.intake(async (tx) => {
      await tx.query('INSERT INTO speed_probe (lane) VALUES ($1)', ['intake']);
      done.push('intake');
    });
    await intake;
    // It went first and committed with at most one slice of work (8 ms: three units) behind it.
    expect(done.indexOf('intake')).toBe(0);
    expect(done.filter((d) => d.startsWith('work')).length).toBeLessThanOrEqual(4);
    await Promise.all(work);
    expect(await db.query('SELECT COUNT(*) AS n FROM speed_probe')).toEqual([{ n: 51 }]);
  });

  it('lets the event loop turn between slices of a long queue of work', async () => {
    await open();
    let turns = 0;
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      turns++;
    }, 1);
    const start = performance.now();
    await Promise.all(Array.from({ length: 100 }, () => db.transaction(async () => busy(2))));
    clearInterval(timer);
    // 200 ms of work, yet timers ran all along: never held much longer than one 8 ms slice.
    expect(performance.now() - start).toBeGreaterThan(150);
    expect(turns).toBeGreaterThan(10);
    expect(longest).toBeLessThan(40);
  });

  it('copies the write-ahead log into the database file from its own thread, the connection never checkpointing itself', async () => {
    await open();
    expect(await db.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 0 }]);
    const file = t.url.slice('sqlite:'.length);
    const before = statSync(file).size;
    const blob = randomBytes(2000).toString('base64');
    for (let i = 0; i < 20; i++) await db.transaction(async (tx) => { for (let k = 0; k < 50; k++) await tx.query('INSERT INTO speed_probe (payload) VALUES ($1)', [blob]); });
    // About 2.7 MB written: to the log at commit, into the file only by the checkpointer's thread.
    const deadline = Date.now() + 5000;
    while (statSync(file).size < before + 2_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(before + 2_000_000);
  });
});

describe.each(engines())('the outbox and the sessions on %s', (engine) => {
  let t: TestDatabase;
  let db: Database;
  afterEach(async () => {
    await db?.close();
    await t?.drop();
  });
  const open = async () => {
    t = newTestDatabase(engine);
    db = await t.open();
    useOutboxCipher(db, new DataCipher(Buffer.alloc(32, 3)));
    return db;
  };
  const lease = { workerId: 'sender-1', leaseMs: 30_000 };

  it("stores an event's answer already held by its sender when the chat has nothing waiting, and in turn otherwise", async () => {
    await open();
    const now = 1_000_000;
    const first = await db.transaction((tx) => queueAndHold(tx, { chatId: USER(1), messages: [{ type: 'text', text: 'สวัสดีค่ะ' }], replyToken: 'r'.repeat(32), replyDeadline: now + 50_000 }, now, lease));
    expect(first.held?.messages).toEqual([{ type: 'text', text: 'สวัสดีค่ะ' }]);
    expect(first.held?.row).toMatchObject({ id: first.ids[0], chat_id: USER(1), reply_token: 'r'.repeat(32), status: 'sending', attempts: 1 });
    const [row] = await db.query<{ status: string; locked_by: string; locked_until: number; attempts: number; messages: string }>(
      'SELECT status, locked_by, locked_until, attempts, messages FROM outbox_message WHERE id = $1',
      [first.ids[0]],
    );
    // As a claim would have left it, with its body encrypted at rest like any other.
    expect(row).toMatchObject({ status: 'sending', locked_by: 'sender-1', locked_until: now + 30_000, attempts: 1 });
    expect(row!.messages).toMatch(/^v2:/);
    // A second answer to the same chat waits its turn behind the first: stored pending, not held.
    const second = await db.transaction((tx) => queueAndHold(tx, { chatId: USER(1), messages: [{ type: 'text', text: 'อีกข้อความ' }] }, now, lease));
    expect(second.held).toBeNull();
    expect(await db.query('SELECT status FROM outbox_message WHERE id = $1', [second.ids[0]])).toEqual([{ status: 'pending' }]);
    // Another chat with a message waiting (queued by an officer, say) is not jumped either.
    await db.transaction((tx) => queueMessages(tx, { chatId: USER(2), messages: [{ type: 'text', text: 'จากเจ้าหน้าที่' }] }, now));
    expect((await db.transaction((tx) => queueAndHold(tx, { chatId: USER(2), messages: [{ type: 'text', text: 'ตอบ' }] }, now, lease))).held).toBeNull();
  });

  it('reads a conversation as it was saved last, including after another writer or a rolled-back save', async () => {
    await open();
    const cipher = new DataCipher(Buffer.alloc(32, 9));
    const state = { ...initialState('th', 1), slots: { story: 'ไฟดับ' } };
    await db.transaction((tx) => saveSession(tx, USER(3), state, 0, 1, cipher));
    expect((await loadSession(db, USER(3), cipher)).state).toEqual(state);

    // Another process saves a new state: the next read has it, not the one this process remembers.
    const other = { ...state, slots: { story: 'น้ำไม่ไหล' } };
    const sealed = new DataCipher(Buffer.alloc(32, 9)).encrypt(JSON.stringify(other));
    await db.query('UPDATE conversation_session SET state = $1, revision = revision + 1 WHERE chat_id = $2', [sealed, USER(3)]);
    expect((await loadSession(db, USER(3), cipher))).toMatchObject({ state: other, revision: 2 });

    // A save whose transaction rolls back leaves the stored state, and so the state read, as it was.
    await expect(
      db.transaction(async (tx) => {
        await saveSession(tx, USER(3), { ...state, slots: { story: 'ไม่เกิดขึ้น' } }, 2, 2, cipher);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await loadSession(db, USER(3), cipher)).state).toEqual(other);

    // A reader with another key is never handed what only this key opened.
    expect((await loadSession(db, USER(3), new DataCipher(Buffer.alloc(32, 1)))).state).toBeNull();
    // An erased conversation is gone for the next reader.
    await db.query('DELETE FROM conversation_session WHERE chat_id = $1', [USER(3)]);
    expect((await loadSession(db, USER(3), cipher)).state).toBeNull();
  });
});

describe.each(engines().filter((e) => e === 'postgres'))('intake on %s', (engine) => {
  let t: TestDatabase;
  let db: Database;
  afterEach(async () => {
    await db?.close();
    await t?.drop();
  });

  it("commits a webhook's events while every connection of the conversations' pool is busy", async () => {
    t = newTestDatabase(engine);
    db = await t.open();
    await db.query('CREATE TABLE speed_probe (id SERIAL PRIMARY KEY, lane TEXT)');
    // The pool's ten connections, each held for a second.
    const held = Array.from({ length: 10 }, () => db.transaction(async (tx) => void (await tx.query('SELECT pg_sleep(1)'))));
    await new Promise((r) => setTimeout(r, 100));
    const start = Date.now();
    await db.intake((tx) => tx.query('INSERT INTO speed_probe (lane) VALUES ($1)', ['intake']));
    expect(Date.now() - start).toBeLessThan(500);
    await Promise.all(held);
  });
});
