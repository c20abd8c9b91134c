/**
 * Key rotation while the server takes messages (storage/key-rotation.ts, npm run keys:rotate), on each engine. A
 * server reading its key from a key file holds cases with photos, an officer's chat with photos, and a few rows
 * from before (a "v1:" phone number, a plain name, a plain photo). While citizens keep writing through the real
 * webhook, the rotation puts a new key first in the file and re-encrypts everything, a few rows per transaction,
 * from another connection to the same database. Afterwards every case, chat message and photo reads back as it
 * was, every message sent was handled and answered, nothing is left under the old key, the server encrypts with
 * the new one without a restart, and once the old key is retired the new one alone opens everything.
 *
 * First, what is stored at rest after a case is filed with a photo: no name, address, place or photo bytes in the
 * clear (the raw SQLite file, every PostgreSQL row).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataCipher, keyIdOfMaster } from '../storage/crypto';
import { addKeyToFile, readKeyFile, retireOldKeys, writeKeyFile } from '../storage/data-key';
import { rotateKeys, SEALED_COLUMNS, staleValues } from '../storage/key-rotation';
import { Database } from '../storage/database';
import { attachmentOfCase, caseAttachments, caseFileByNumber } from '../cases/files';
import { collectCitizenData } from '../cases/my-data';
import { chatSince, handoffStartEvent } from '../handoffs/chat';
import { handoffsOfChat } from '../handoffs/queue';
import { storedContent } from '../handoffs/content';
import { listCases } from '../cases/case-list';
import { bindGroup, createBindingCode, useBindingCodeKey } from '../notify/binding';
import { engines, newTestDatabase } from './support/databases';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { follow, lines, newCitizen, say, send, sendPhoto } from './support/citizen';
import { everythingAtRest } from './support/at-rest';

const OLD = randomBytes(32);
const NEW = randomBytes(32);
const TRACKING = /[A-Z]{2,5}-\d{4}-\d{6,}-\d/;
/** The photo support/citizen.ts sends. */
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const nameOf = (n: number) => `ประภาพร ทดสอบกุญแจ${n}`;
const addressOf = (n: number) => `${40 + n} หมู่ 7 ต.คำอาฮวน อ.เมืองมุกดาหาร`;
const PLACE = 'บ้านคำอาฮวนริมโขง';

/** A complaint with a photo and a location, told the way people tell one (tests/transcripts/complaint-turns-th.txt). */
async function fileWithPhoto(server: TestServer, n: number): Promise<{ user: string; number: string }> {
  const user = newCitizen(server, 'th', `ไลน์ผู้ร้อง${n}`);
  await follow(server, user);
  const turns: Array<() => ReturnType<typeof send>> = [
    () => say(server, user, `ไฟถนนหน้าบ้านเลขที่ ${n} ดับมา 3 วันแล้วค่ะ มืดมาก`),
    () => say(server, user, 'ร้องเรียน/ร้องทุกข์'),
    () => send(server, user, { type: 'location', latitude: 16.51, longitude: 104.75, title: PLACE, address: 'มุกดาหาร' }),
    () => say(server, user, 'ใช่'),
    () => say(server, user, 'อยากให้มาเปลี่ยนหลอดไฟค่ะ'),
    () => sendPhoto(server, user),
    () => say(server, user, 'เสร็จแล้ว'),
    () => say(server, user, nameOf(n)),
    () => say(server, user, `08123456${String(n).padStart(2, '0')}`),
    () => say(server, user, addressOf(n)),
    () => say(server, user, 'ส่งเรื่อง'),
  ];
  let last: string[] = [];
  for (const turn of turns) last = lines(await turn());
  const number = TRACKING.exec(last.join('\n'))?.[0];
  if (!number) throw new Error(`no receipt for citizen ${n}: ${last.join(' / ')}`);
  return { user, number };
}

/** A value as the code before the key ring wrote it, and its lookup hash. */
function v1Token(master: Buffer, plain: string): string {
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'echannel/encrypt/v1', 32));
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
}
const v1Hash = (master: Buffer, kind: string, value: string) =>
  createHmac('sha256', Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'echannel/lookup-hash/v1', 32))).update(`${kind}:${value}`).digest('hex');

/** Every byte the database holds at rest: the SQLite file and its log, or every PostgreSQL row as text. */
async function bytesAtRest(server: TestServer): Promise<Buffer> {
  if (server.db.dialect === 'sqlite') {
    const file = server.testDb.url.replace(/^sqlite:/, '');
    return Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
  }
  return Buffer.from(await everythingAtRest(server), 'utf8');
}

/** Everything a case holds that a person reads, decrypted. */
async function caseAsRead(server: TestServer, cipher: DataCipher, number: string) {
  const f = (await caseFileByNumber(server.db, cipher, number))!;
  const files = await caseAttachments(server.db, f.id);
  const photos = [];
  for (const a of files) photos.push(sha((await attachmentOfCase(server.db, cipher, f.id, Number(a.id)))!.bytes));
  return {
    name: f.complainant_name,
    address: f.address,
    location: f.location,
    phone: cipher.reveal(f.phone_enc),
    story: f.story,
    photos,
  };
}

/** A handoff's whole chat as the officer reads it, photos by their bytes' hash. */
async function chatAsRead(server: TestServer, cipher: DataCipher, chatId: string) {
  const [h] = await handoffsOfChat(server.db, chatId, null);
  const { messages } = await chatSince(server.db, cipher, h!, { afterInbox: 0, afterOut: 0 }, await handoffStartEvent(server.db, h!));
  const out = [];
  for (const m of messages) {
    if (m.type === 'image') {
      const id = decodeURIComponent(m.contentUrl!.split('/').pop()!);
      out.push(`photo ${sha((await storedContent(server.db, cipher, id))!.bytes)}`);
    } else out.push(`${m.type} ${m.text ?? ''}`);
  }
  return out;
}

describe.each(engines())('key rotation while the server takes messages, on %s', (engine) => {
  let server: TestServer;
  let keyFile: string;
  const filed: Array<{ user: string; number: string }> = [];

  beforeAll(async () => {
    keyFile = join(mkdtempSync(join(tmpdir(), 'echannel-keys-')), 'keys', 'data-key');
    writeKeyFile(keyFile, [OLD]);
    // The key from the file, as a server without DATA_KEY has it: the rotation reaches it there.
    server = await startTestServer(engine, { DATA_KEY: '', DATA_KEY_FILE: keyFile });
    for (let n = 1; n <= 4; n++) filed.push(await fileWithPhoto(server, n));
  }, 120_000);
  afterAll(async () => server?.stop());

  it('keeps no name, address, place or photo in the clear at rest once a case with a photo is filed', async () => {
    const raw = await bytesAtRest(server);
    expect(raw.length).toBeGreaterThan(10_000);
    // The scan reads real data: the story is there (it is not encrypted; numbers in it are masked).
    expect(raw.includes(Buffer.from('ไฟถนนหน้าบ้านเลขที่ 1'))).toBe(true);
    for (let n = 1; n <= 4; n++) {
      expect(raw.includes(Buffer.from(nameOf(n))), `name ${n}`).toBe(false);
      expect(raw.includes(Buffer.from(addressOf(n))), `address ${n}`).toBe(false);
      expect(raw.includes(Buffer.from(`ไลน์ผู้ร้อง${n}`)), `LINE name ${n}`).toBe(false);
    }
    expect(raw.includes(Buffer.from(PLACE)), 'place').toBe(false);
    expect(raw.includes(JPEG), 'photo bytes').toBe(false);
    expect(raw.includes(Buffer.from(JPEG.toString('hex'))), 'photo bytes as hex').toBe(false);
  });

  it('re-encrypts everything under a new key while messages keep coming: all readable, nothing lost, nothing left under the old key', async () => {
    const db = server.db;
    const oldRing = new DataCipher(OLD);
    // Rows from before: a phone number in the "v1:" format, a plain name and profile, a plain photo.
    const [first] = filed;
    const phone = '+66812345601';
    await db.query('UPDATE cases SET phone_enc = $2, phone_hash = $3, complainant_name = $4 WHERE tracking_number = $1', [
      first!.number,
      v1Token(OLD, phone),
      v1Hash(OLD, 'phone', phone),
      nameOf(1),
    ]);
    await db.query('UPDATE citizen SET display_name = $2 WHERE line_user_id = $1', [first!.user, 'ไลน์ผู้ร้อง1']);
    const [a] = await db.query<{ id: number }>('SELECT a.id FROM attachment a JOIN cases c ON c.id = a.case_id WHERE c.tracking_number = $1', [first!.number]);
    await db.query('UPDATE attachment SET bytes = $2 WHERE id = $1', [a!.id, JPEG]);
    await db.query('UPDATE line_content SET bytes = $1 WHERE message_id = (SELECT MIN(message_id) FROM line_content)', [JPEG]);

    // An officer's chat: the citizen asks for an officer and writes, with a photo.
    const chatty = newCitizen(server, 'th', 'มาลี');
    await follow(server, chatty);
    await say(server, chatty, 'ติดต่อเจ้าหน้าที่');
    await say(server, chatty, 'สวัสดีค่ะ ขอสอบถามเรื่องที่แจ้งไว้');
    await sendPhoto(server, chatty);

    const casesBefore = await Promise.all(filed.map((f) => caseAsRead(server, oldRing, f.number)));
    const chatBefore = await chatAsRead(server, oldRing, chatty);
    const myDataBefore = await collectCitizenData(db, oldRing, first!.user);
    expect(casesBefore[0]).toMatchObject({ name: nameOf(1), address: addressOf(1), phone, photos: [sha(JPEG)] });
    expect(JSON.parse(casesBefore[0]!.location!)).toMatchObject({ title: PLACE });
    expect(chatBefore).toEqual(['text สวัสดีค่ะ ขอสอบถามเรื่องที่แจ้งไว้', `photo ${sha(JPEG)}`]);

    // Citizens keep writing through the webhook the whole time: one at the menu, one to the officer.
    const talker = newCitizen(server, 'th', 'สมปอง');
    await follow(server, talker);
    let stop = false;
    const said: string[] = [];
    const answered: number[] = [];
    const sentToOfficer: string[] = [];
    const traffic = Promise.all([
      (async () => {
        for (let i = 0; !stop; i++) {
          const text = `สวัสดีค่ะ ${i}`;
          said.push(text);
          answered.push((await say(server, talker, text)).length);
        }
      })(),
      (async () => {
        for (let i = 0; !stop; i++) {
          if (i % 3 === 2) {
            await sendPhoto(server, chatty);
            sentToOfficer.push(`photo ${sha(JPEG)}`);
          } else {
            const text = `ข้อความถึงเจ้าหน้าที่ ${i}`;
            await say(server, chatty, text);
            sentToOfficer.push(`text ${text}`);
          }
        }
      })(),
    ]);

    // The rotation, as npm run keys:rotate does it, from its own connection to the same database.
    const rotation = await (server.testDb.schema ? Database.open(server.testDb.url, { schema: server.testDb.schema }) : server.testDb.open());
    let batches = 0;
    try {
      await waitFor(() => said.length >= 3 && sentToOfficer.length >= 2, 20_000, 'traffic before the rotation');
      const before = said.length + sentToOfficer.length;
      addKeyToFile(keyFile, NEW);
      const ring = new DataCipher(readKeyFile(keyFile));
      expect(ring.keyIds).toEqual([keyIdOfMaster(NEW), keyIdOfMaster(OLD)]);
      // As the script does: the rotation ends on a pass begun once the servers have had time to see the new key.
      const report = await rotateKeys(rotation, ring, { batchSize: 5, pauseMs: 500, serversSwitchedBy: Date.now() + 3000, progress: () => void batches++ });
      expect(report.passes).toBeGreaterThan(1);
      // The citizens were writing all along.
      expect(said.length + sentToOfficer.length - before).toBeGreaterThan(10);
      expect(report.unreadable).toEqual([]);
      expect(report.currentKeyId).toBe(keyIdOfMaster(NEW));
      const tally = (table: string, column: string) => report.columns.find((c) => c.table === table && c.column === column)!;
      expect(tally('cases', 'phone_enc')).toMatchObject({ reencrypted: 4, hashes: 4 });
      expect(tally('cases', 'complainant_name').reencrypted + tally('cases', 'complainant_name').sealed).toBe(4);
      expect(tally('cases', 'complainant_name').sealed).toBe(1);
      expect(tally('attachment', 'bytes').sealed).toBe(1);
      expect(tally('inbox_event', 'payload').reencrypted).toBeGreaterThan(40);
      // Several batches: the rotation went a few rows at a time beside the server's own writes.
      expect(batches).toBeGreaterThan(10);

      // The server picked the new key up from the file: what it writes now is under the new key.
      await waitFor(() => server.cipher.currentKeyId === keyIdOfMaster(NEW), 5000, 'the server to take the new key');
      // The citizens stop first: a photo of theirs still on its way would land beside this message in either order.
      stop = true;
      await traffic;
      const afterText = 'ข้อความหลังเปลี่ยนกุญแจ';
      await say(server, chatty, afterText);
      sentToOfficer.push(`text ${afterText}`);
      const [latest] = await db.query<{ payload: string }>('SELECT payload FROM inbox_event ORDER BY id DESC LIMIT 1');
      expect(ring.keyIdOf(latest!.payload)).toBe(keyIdOfMaster(NEW));
    } finally {
      stop = true;
      await traffic;
    }

    // Nothing lost: every message sent was handled, and every one at the menu was answered.
    expect(answered.every((n) => n > 0)).toBe(true);
    const failed = await db.query(`SELECT id FROM inbox_event WHERE status <> 'done'`);
    expect(failed).toEqual([]);
    const newRing = new DataCipher([NEW, OLD]);
    const talk = await db.query<{ payload: string }>(`SELECT payload FROM inbox_event WHERE chat_id = $1 AND event_type = 'message' ORDER BY id`, [talker]);
    expect(talk.map((r) => (JSON.parse(newRing.reveal(r.payload)!) as { message: { text: string } }).message.text)).toEqual(said);

    // Everything reads back as it was, and the officer's chat holds every message in order.
    for (const [i, f] of filed.entries()) expect(await caseAsRead(server, newRing, f.number)).toEqual(casesBefore[i]);
    expect(await chatAsRead(server, newRing, chatty)).toEqual([...chatBefore, ...sentToOfficer]);
    expect(await collectCitizenData(db, newRing, first!.user)).toEqual(myDataBefore);
    const [looked] = await db.query<{ phone_hash: string }>('SELECT phone_hash FROM cases WHERE tracking_number = $1', [first!.number]);
    expect(looked!.phone_hash).toBe(newRing.hash('phone', phone));

    // Nothing is left under the old key, or in the clear where it should be sealed.
    expect(await staleValues(rotation, newRing)).toEqual([]);
    for (const c of SEALED_COLUMNS) {
      const rows = await db.query<{ v: string | Buffer }>(`SELECT ${c.column} AS v FROM ${c.table} WHERE ${c.column} IS NOT NULL`);
      for (const r of rows) {
        if (c.type === 'text' && !c.sealPlain && !String(r.v).startsWith('v')) continue; // erased bodies, plain JSON of old
        expect(newRing.keyIdOf(c.type === 'bytes' ? Buffer.from(r.v as Buffer) : String(r.v)), `${c.table}.${c.column}`).toBe(keyIdOfMaster(NEW));
      }
    }
    await rotation.close();

    // The old key retired: the new key alone opens everything, in this server too.
    retireOldKeys(keyFile);
    const only = new DataCipher(NEW);
    for (const [i, f] of filed.entries()) expect(await caseAsRead(server, only, f.number)).toEqual(casesBefore[i]);
    expect(await chatAsRead(server, only, chatty)).toEqual([...chatBefore, ...sentToOfficer]);
    await waitFor(() => server.cipher.keyIds.length === 1, 5000, 'the server to drop the old key');
    expect(lines(await say(server, talker, 'สวัสดีค่ะ')).length).toBeGreaterThan(0);
  }, 180_000);

  it('lists and searches the cases by the complainant\'s name, which is stored encrypted', async () => {
    const found = await listCases(server.db, server.cipher, { scope: 'all' }, { q: 'กุญแจ3', page: 1, pageSize: 25 }, Date.now());
    expect(found.total).toBe(1);
    expect(found.rows.map((r) => [r.tracking_number, r.complainant_name])).toEqual([[filed[2]!.number, nameOf(3)]]);
    const all = await listCases(server.db, server.cipher, { scope: 'all' }, { page: 1, pageSize: 2 }, Date.now());
    expect(all.total).toBe(4);
    expect(all.rows.map((r) => r.complainant_name)).toEqual([nameOf(4), nameOf(3)]);
  });
});

/** npm run keys:rotate, as an operator runs it: its own process, the key file and DATABASE_URL from the environment. */
function keysRotate(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/keys-rotate.ts', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe.each(engines())('npm run keys:rotate, on %s', (engine) => {
  const testDb = newTestDatabase(engine);
  afterAll(async () => testDb.drop());

  it('adds a key, re-encrypts and prints what it did; run again it finishes, then retires the old key', async () => {
    const db = await testDb.open();
    const old = new DataCipher(OLD);
    await db.query(`INSERT INTO citizen (line_user_id, locale, display_name, first_seen_at, last_seen_at) VALUES ('U1', 'th', 'สมหมาย', 1, 1)`);
    await db.query(
      `INSERT INTO cases (tracking_number, channel, category, status, confidential, royal_petition, anonymous, story, complainant_name, phone_enc,
         phone_hash, created_at, updated_at, due_at, last_public_update_at)
       VALUES ('MDH-2569-000001-0', 'line', 'complaint', 'received', $1, $1, $1, 'เรื่อง', 'สมหมาย ใจงาม', $2, $3, 1, 1, 1, 1)`,
      [db.dialect === 'sqlite' ? 0 : false, v1Token(OLD, '+66812345678'), v1Hash(OLD, 'phone', '+66812345678')],
    );
    await db.close();
    const keyFile = join(mkdtempSync(join(tmpdir(), 'echannel-keys-')), 'data-key');
    writeKeyFile(keyFile, [OLD]);
    const url = testDb.schema ? `${testDb.url}?options=${encodeURIComponent(`-c search_path=${testDb.schema}`)}` : testDb.url;
    const env = { DATABASE_URL: url, DATA_KEY_FILE: keyFile };

    const first = await keysRotate(env, '--batch', '1');
    expect(first.code, first.out).toBe(0);
    const [added] = readKeyFile(keyFile);
    expect(readKeyFile(keyFile)).toEqual([added, OLD]);
    expect(first.out).toContain(`Added key ${keyIdOfMaster(added!)} first in ${keyFile}`);
    expect(first.out).toMatch(/cases\s+phone_enc\s+1\s+0\s+1\s+0/);
    expect(first.out).toMatch(/cases\s+complainant_name\s+0\s+1\s+0\s+0/);
    expect(first.out).toMatch(/citizen\s+display_name\s+0\s+1\s+0\s+0/);
    expect(first.out).toContain(`everything is under ${keyIdOfMaster(added!)}`);
    expect(first.out).not.toContain(OLD.toString('base64'));
    expect(first.out).not.toContain(added!.toString('base64'));

    // Run again (after an interruption, or to retire): no new key, nothing left to do, then the old key goes.
    const second = await keysRotate(env, '--retire-old');
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain('finishing that rotation, no key added');
    expect(second.out).toMatch(/total\s+0\s+0\s+0\s+0/);
    expect(second.out).toContain(`Removed the old keys ${keyIdOfMaster(OLD)}`);
    expect(readKeyFile(keyFile)).toEqual([added]);

    const check = await testDb.open();
    const only = new DataCipher(added!);
    const [row] = await check.query<{ complainant_name: string; phone_enc: string; phone_hash: string }>('SELECT complainant_name, phone_enc, phone_hash FROM cases');
    expect([only.decrypt(row!.complainant_name), only.decrypt(row!.phone_enc), row!.phone_hash]).toEqual(['สมหมาย ใจงาม', '+66812345678', only.hash('phone', '+66812345678')]);
    expect(old.keyIds).not.toContain(only.currentKeyId);
    await check.close();
  }, 60_000);

  it('with DATA_KEY holding one key, changes nothing and prints the new ring to set on every server', async () => {
    const r = await keysRotate({ DATABASE_URL: 'sqlite::memory:', DATA_KEY: OLD.toString('base64') });
    expect(r.code, r.out).toBe(0);
    const ring = /DATA_KEY=(\S+)/.exec(r.out)![1]!.split(',');
    expect(ring).toHaveLength(2);
    expect(ring[1]).toBe(OLD.toString('base64'));
    expect(r.out).toContain('nothing was changed yet');
  }, 30_000);
});

describe.each(engines())('binding codes across a key rotation, on %s', (engine) => {
  const testDb = newTestDatabase(engine);
  afterAll(async () => testDb.drop());

  it('binds a group with a code made before the rotation, for as long as the old key is in the ring', async () => {
    const db = await testDb.open();
    try {
      const cipher = new DataCipher(OLD);
      useBindingCodeKey(cipher);
      const now = Date.now();
      const before = await db.transaction((tx) => createBindingCode(tx, '4901', 'officer:somchai', now));
      // The server takes the new ring from the key file: new codes are hashed under the new key.
      cipher.useKeys([NEW, OLD]);
      const after = await db.transaction((tx) => createBindingCode(tx, '4902', 'officer:somchai', now));
      const group = (n: number) => `C${String(n).repeat(32)}`;
      expect(await db.transaction((tx) => bindGroup(tx, group(1), before.code, now + 1))).toBe('bound');
      expect(await db.transaction((tx) => bindGroup(tx, group(2), after.code, now + 1))).toBe('bound');
    } finally {
      await db.close();
    }
  });
});
