/**
 * Backups that restore (storage/backup.ts, npm run backup / restore), on each engine: a backup taken from a live
 * server while citizens are filing complaints restores into a new database that holds every case, chat and photo
 * of the source as it was, is consistent with itself (every tracking number from 1 without a gap, the sequence at
 * the last one), and a server started on it goes on filing with the next number. The personal data in it opens
 * only with the data key, which the backup does not carry.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings';
import { createLogger } from '../runtime/logger';
import { backupDatabase, RestoreTargetNotEmptyError, restoreDatabase } from '../storage/backup';
import { DataCipher } from '../storage/crypto';
import { Database } from '../storage/database';
import { startServer } from '../server/start';
import { engines } from './support/databases';
import { follow, lines, newCitizen, say, send, sendPhoto } from './support/citizen';
import { startTestServer, TEST_DATA_KEY, type TestServer } from './support/server';
import { SHARED_BOUNDARIES_DIR } from './support/boundaries';
import type { Emulator } from '../emulator';

const TRACKING = /[A-Z]{2,5}-\d{4}-\d{6,}-\d/;

/** A complaint with a photo and a location, the way tests/transcripts/complaint-turns-th.txt files one. */
async function fileWithPhoto(server: TestServer, n: number): Promise<string> {
  const user = newCitizen(server, 'th', `ผู้ร้อง${n}`);
  await follow(server, user);
  const turns: Array<() => ReturnType<typeof send>> = [
    () => say(server, user, `ไฟถนนหน้าบ้านเลขที่ ${n} ดับมา 3 วันแล้วค่ะ มืดมาก`),
    () => say(server, user, 'ร้องเรียน/ร้องทุกข์'),
    () => send(server, user, { type: 'location', latitude: 16.54, longitude: 104.72, title: 'บ้านนาโสก', address: 'มุกดาหาร' }),
    () => say(server, user, 'ใช่'),
    () => say(server, user, 'อยากให้มาเปลี่ยนหลอดไฟค่ะ'),
    () => sendPhoto(server, user),
    () => say(server, user, 'เสร็จแล้ว'),
    () => say(server, user, `ผู้ร้อง${n}`),
    () => say(server, user, `08123456${String(n).padStart(2, '0')}`),
    () => say(server, user, '12 หมู่ 3 ต.นาโสก อ.เมืองมุกดาหาร'),
    () => say(server, user, 'ส่งเรื่อง'),
  ];
  let last: string[] = [];
  for (const turn of turns) last = lines(await turn());
  const number = TRACKING.exec(last.join('\n'))?.[0];
  if (!number) throw new Error(`no receipt for citizen ${n}: ${last.join(' / ')}`);
  return number;
}

/** The sequence part of MDH-2569-000123-4. */
const seqOf = (number: string) => Number(/-(\d{6,})-\d$/.exec(number)![1]);

/** Every row of a table, in key order, as the engine returns it. */
const rows = (db: Database, table: string, order = 'id') => db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${order}`);

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** A new, empty database to restore into: a file, or a PostgreSQL database of its own (dropped afterwards). */
async function newTarget(engine: 'sqlite' | 'postgres'): Promise<string> {
  if (engine === 'sqlite') return `sqlite:${join(mkdtempSync(join(tmpdir(), 'echannel-restore-')), 'restored.sqlite')}`;
  const base = process.env.TEST_DATABASE_URL!;
  const name = `echannel_restore_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

describe.each(engines())('a backup of a live server (%s)', (engine) => {
  it('restores into a new database with every case, chat and photo, and the tracking numbers go on without a gap or a repeat', async () => {
    const server = await startTestServer(engine);
    cleanups.push(() => server.stop());
    const source = server.testDb;

    // Before the backup: complaints filed and finished.
    const before = await Promise.all([1, 2, 3].map((n) => fileWithPhoto(server, n)));

    // During the backup: citizens keep filing, four at a time, until it is done (however long a loaded machine takes).
    let backupDone = false;
    let duringDone = false;
    let filing = 4;
    const lane = async (): Promise<string[]> => {
      const filed: string[] = [];
      while (!backupDone && filing < 60) filed.push(await fileWithPhoto(server, filing++));
      return filed;
    };
    const during = Promise.all([lane(), lane(), lane(), lane()])
      .then((lanes) => lanes.flat())
      .finally(() => (duringDone = true));
    await new Promise((r) => setTimeout(r, 300));
    const file = join(mkdtempSync(join(tmpdir(), 'echannel-backup-')), engine === 'sqlite' ? 'backup.sqlite' : 'backup.dump');
    const backup = await backupDatabase(source.url, file, source.schema ? { schema: source.schema } : {});
    expect(duringDone, 'the backup was taken while the server was taking messages').toBe(false);
    backupDone = true;
    expect(backup.bytes).toBeGreaterThan(0);
    const after = await during;

    const target = await newTarget(engine);
    await restoreDatabase(file, target, source.schema ? { schema: source.schema } : {});
    // Never over a database that holds something.
    await expect(restoreDatabase(file, target, source.schema ? { schema: source.schema } : {})).rejects.toBeInstanceOf(RestoreTargetNotEmptyError);

    const restored = await Database.open(target, source.schema ? { schema: source.schema } : {});
    cleanups.push(() => restored.close());

    // Consistent with itself: numbers 1..N without a gap, the sequence at N, each photo whole and with its case.
    const cases = await rows(restored, 'cases');
    const seqs = cases.map((c) => seqOf(String(c.tracking_number))).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const [sequence] = await restored.query<{ last_value: number }>('SELECT last_value FROM tracking_sequence');
    expect(Number(sequence!.last_value)).toBe(seqs.length);
    const photos = await rows(restored, 'attachment');
    expect(photos.length).toBe(cases.length);
    const cipher = new DataCipher(Buffer.from(TEST_DATA_KEY, 'base64'));
    for (const p of photos) {
      // Stored encrypted: whole when it opens with the key and hashes to what was recorded at filing.
      expect(createHash('sha256').update(cipher.decryptBytes(p.bytes as Buffer)).digest('hex')).toBe(p.sha256);
      expect(cases.some((c) => c.id === p.case_id)).toBe(true);
    }

    // Everything filed before the backup is there, and every row restored is the source's row as it is.
    const restoredNumbers = cases.map((c) => String(c.tracking_number));
    for (const n of before) expect(restoredNumbers).toContain(n);
    expect(cases.length).toBeGreaterThanOrEqual(before.length);
    expect(cases.length).toBeLessThanOrEqual(before.length + after.length);
    const live = await source.open();
    cleanups.push(() => live.close());
    // Rows that never change once written: each restored one is the source's.
    for (const table of ['cases', 'case_event', 'attachment', 'line_content', 'conversation_event']) {
      const order = table === 'line_content' ? 'message_id' : 'id';
      const was = new Map((await rows(live, table, order)).map((r) => [String(r[order]), r]));
      const got = await rows(restored, table, order);
      expect(got.length, table).toBeGreaterThan(0);
      for (const r of got) expect(r, `${table} ${String(r[order])}`).toEqual(was.get(String(r[order])));
    }
    // The chats finished before the backup: the citizen, the whole conversation log, the session, all as they are.
    const finished = (await rows(live, 'citizen')).slice(0, before.length);
    for (const citizen of finished) {
      const chat = String(citizen.line_user_id);
      for (const table of ['citizen WHERE line_user_id', 'conversation_event WHERE chat_id', 'conversation_session WHERE chat_id']) {
        const q = `SELECT * FROM ${table} = $1 ORDER BY 1`;
        const got = await restored.query(q, [chat]);
        expect(got.length, `${table} ${chat}`).toBeGreaterThan(0);
        expect(got, `${table} ${chat}`).toEqual(await live.query(q, [chat]));
      }
    }

    // The personal data opens with the key in use, and only with it: the backup does not carry the key.
    const [phoneRow] = await restored.query<{ phone_enc: string }>(`SELECT phone_enc FROM cases WHERE tracking_number = $1`, [before[0]]);
    expect(cipher.decrypt(phoneRow!.phone_enc)).toBe('+66812345601');
    expect(() => new DataCipher(Buffer.alloc(32, 9)).decrypt(phoneRow!.phone_enc)).toThrow();

    // A server on the restored database files the next number: no gap, no repeat.
    await restored.close();
    const settings = loadSettings({
      PORT: '0',
      HOST: '127.0.0.1',
      EMULATOR_PORT: '0',
      DATABASE_URL: target,
      LOG_LEVEL: 'silent',
      WORKER_POLL_MS: '50',
      DATA_KEY: TEST_DATA_KEY,
      BOUNDARIES_DIR: SHARED_BOUNDARIES_DIR,
    });
    const second = await startServer(settings, { logger: createLogger('silent'), ...(source.schema ? { databaseSchema: source.schema } : {}) });
    cleanups.push(() => second.close());
    const next = await fileWithPhoto({ ...second, emulator: second.emulator as Emulator, testDb: source, stop: async () => {} }, 8);
    expect(seqOf(next)).toBe(seqs.length + 1);
    expect(restoredNumbers).not.toContain(next);
  }, 180_000);
});
