import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import express from 'express';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Database } from '../storage/database';
import { DataCipher } from '../storage/crypto';
import { createLogger } from '../runtime/logger';
import {
  EXPORT_PATH,
  RETENTION_YEARS,
  collectCitizenData,
  createExportLink,
  deletionText,
  exportLinkText,
  exportRouter,
  requestDeletion,
  retainedUntil,
  retentionOf,
  summaryText,
} from '../cases/my-data';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';

const cipher = new DataCipher(Buffer.alloc(32, 7));
const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 25, 3, 0, 0); // 25 November 2026, 10:00 in Thailand

const SOMSRI = 'U' + 'a'.repeat(32);
const PRASIT = 'U' + 'b'.repeat(32);
const SOMSRI_PHONE = '+66812345678';
const PRASIT_PHONE = '+66898765432';
/** A national ID with a correct check digit. */
const SOMSRI_ID = withCheckDigit('110170020345');
const PHOTO = Buffer.from('JPEG-BYTES-OF-A-BROKEN-STREETLIGHT');

function withCheckDigit(first12: string): string {
  const sum = [...first12].reduce((s, d, i) => s + Number(d) * (13 - i), 0);
  return first12 + String((11 - (sum % 11)) % 10);
}

const bool = (db: Database, v: boolean) => (db.dialect === 'sqlite' ? (v ? 1 : 0) : v);

async function insertCitizen(db: Database, lineUserId: string, displayName: string): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO citizen (line_user_id, locale, display_name, first_seen_at, last_seen_at, privacy_notice_at)
     VALUES ($1, 'th', $2, $3, $3, $3) RETURNING id`,
    [lineUserId, displayName, NOW - 60 * DAY],
  );
  return Number(row!.id);
}

interface CaseFixture {
  tracking: string;
  status?: string;
  story?: string;
  name?: string;
  phone?: string | null;
  nationalId?: string | null;
  createdAt?: number;
  closedAt?: number | null;
}

async function insertCase(db: Database, citizenId: number, c: CaseFixture): Promise<number> {
  const created = c.createdAt ?? NOW - 20 * DAY;
  const phone = c.phone === undefined ? SOMSRI_PHONE : c.phone;
  const nid = c.nationalId ?? null;
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO cases (tracking_number, citizen_id, channel, category, status, confidential, royal_petition, anonymous, story,
       complainant_name, address, phone_enc, phone_hash, phone_last4, national_id_enc, national_id_hash, created_at, updated_at,
       due_at, last_public_update_at, closed_at, close_reason)
     VALUES ($1, $2, 'line', 'complaint', $3, $4, $4, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $13, $15, $16) RETURNING id`,
    [
      c.tracking, citizenId, c.status ?? 'received', bool(db, false), c.story ?? 'ไฟถนนดับหน้าบ้าน ซอย 3', c.name ?? 'สมศรี ใจดี',
      '12 หมู่ 4 ต.มุกดาหาร', cipher.encryptOptional(phone), phone ? cipher.hash('phone', phone) : null, phone?.slice(-4) ?? null,
      cipher.encryptOptional(nid), nid ? cipher.hash('national-id', nid) : null, created, created + 15 * DAY,
      c.closedAt ?? null, c.closedAt ? 'resolved' : null,
    ],
  );
  return Number(row!.id);
}

async function insertEvent(db: Database, caseId: number, e: { actor: string; kind: string; note?: string; public: boolean; at?: number }): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO case_event (case_id, at, actor_type, actor_id, kind, note, public) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [caseId, e.at ?? NOW - 10 * DAY, e.actor, e.actor === 'officer' ? 'officer-17' : null, e.kind, e.note ?? null, bool(db, e.public)],
  );
  return Number(row!.id);
}

async function insertAttachment(db: Database, caseId: number, eventId: number | null, bytes: Buffer): Promise<void> {
  await db.query(
    `INSERT INTO attachment (case_id, case_event_id, line_message_id, media_type, content_type, file_name, size, sha256, bytes, created_at)
     VALUES ($1, $2, '4711', 'image', 'image/jpeg', 'streetlight.jpg', $3, $4, $5, $6)`,
    [caseId, eventId, bytes.length, createHash('sha256').update(bytes).digest('hex'), bytes, NOW - 20 * DAY],
  );
}

/** Somsri with an open case (photo, public and internal notes, a survey) and a closed one; Prasit with one case. */
async function seed(db: Database) {
  const somsri = await insertCitizen(db, SOMSRI, 'Somsri');
  const prasit = await insertCitizen(db, PRASIT, 'Prasit');
  const open = await insertCase(db, somsri, { tracking: 'MDH-6911-0001', nationalId: SOMSRI_ID });
  const created = await insertEvent(db, open, { actor: 'citizen', kind: 'created', public: true, at: NOW - 20 * DAY });
  await insertAttachment(db, open, created, PHOTO);
  await insertEvent(db, open, { actor: 'officer', kind: 'note', note: 'ส่งเรื่องให้ อบต. แล้ว จะซ่อมภายใน 7 วัน', public: true });
  await insertEvent(db, open, { actor: 'officer', kind: 'note', note: 'INTERNAL: ผู้ร้องเคยร้องเรื่องเดียวกัน 4 ครั้ง', public: false });
  await db.query(`INSERT INTO survey_response (case_id, chat_id, subject, rating, comment, at) VALUES ($1, $2, 'case', 4, 'เร็วดีค่ะ', $3)`, [open, SOMSRI, NOW - DAY]);
  const closed = await insertCase(db, somsri, { tracking: 'MDH-6910-0042', status: 'ended', createdAt: NOW - 400 * DAY, closedAt: NOW - 365 * DAY });
  const other = await insertCase(db, prasit, { tracking: 'MDH-6911-0002', story: 'เพื่อนบ้านเผาขยะทุกคืน', name: 'ประสิทธิ์ มั่นคง', phone: PRASIT_PHONE });
  await insertEvent(db, other, { actor: 'citizen', kind: 'created', public: true });
  await db.query(`INSERT INTO survey_response (case_id, chat_id, subject, rating, comment, at) VALUES ($1, $2, 'case', 1, 'ช้ามาก', $3)`, [other, PRASIT, NOW - DAY]);
  await db.query(`INSERT INTO survey_response (case_id, chat_id, subject, rating, comment, at) VALUES (NULL, $1, 'chat', 2, 'รอนาน', $2)`, [PRASIT, NOW]);
  return { somsri, prasit, open, closed, other };
}

describe.each(engines())('my data on %s', (engine) => {
  let t: TestDatabase;
  let db: Database;
  let server: Server;
  let base: string;
  let logs: string[];

  beforeEach(async () => {
    t = newTestDatabase(engine);
    db = await t.open();
    logs = [];
    const logger = createLogger('info', { write: (line: string) => void logs.push(line) });
    const app = express();
    app.set('trust proxy', 'loopback');
    app.use(EXPORT_PATH, exportRouter({ db, cipher, logger }));
    app.use('/limited', exportRouter({ db, cipher, logger, guessLimit: { max: 3, windowMs: 60_000 } }));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    await db?.close();
    await t?.drop();
  });

  const linkFor = (citizenId: number, at = Date.now()) => db.transaction((tx) => createExportLink(tx, citizenId, at, `${base}/`));
  const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;

  it("collects only the asking citizen's own cases, with their phone and national ID decrypted", async () => {
    await seed(db);
    // Inside a conversation's transaction, as the chat action reads it.
    const data = await db.transaction((tx) => collectCitizenData(tx, cipher, SOMSRI));
    expect(data.citizen).toMatchObject({ lineUserId: SOMSRI, displayName: 'Somsri', privacyNoticeAt: NOW - 60 * DAY });
    expect(data.cases.map((c) => c.trackingNumber)).toEqual(['MDH-6910-0042', 'MDH-6911-0001']);
    expect(data.cases[1]).toMatchObject({ phone: SOMSRI_PHONE, nationalId: SOMSRI_ID, complainantName: 'สมศรี ใจดี', status: 'received' });
    const text = JSON.stringify(data);
    for (const foreign of ['MDH-6911-0002', 'เผาขยะ', 'ประสิทธิ์', PRASIT_PHONE, PRASIT, 'ช้ามาก', 'รอนาน']) expect(text).not.toContain(foreign);
    expect(data.surveys).toEqual([{ trackingNumber: 'MDH-6911-0001', subject: 'case', rating: 4, comment: 'เร็วดีค่ะ', at: NOW - DAY }]);
  });

  it('keeps the public timeline and file fingerprints, never internal notes, officer ids or the file bytes', async () => {
    await seed(db);
    const data = await collectCitizenData(db, cipher, SOMSRI);
    const open = data.cases.find((c) => c.trackingNumber === 'MDH-6911-0001')!;
    expect(open.timeline.map((e) => [e.by, e.kind, e.note])).toEqual([
      ['citizen', 'created', undefined],
      ['officer', 'note', 'ส่งเรื่องให้ อบต. แล้ว จะซ่อมภายใน 7 วัน'],
    ]);
    expect(open.attachments).toEqual([{
      mediaType: 'image', contentType: 'image/jpeg', fileName: 'streetlight.jpg', size: PHOTO.length,
      sha256: createHash('sha256').update(PHOTO).digest('hex'), receivedAt: NOW - 20 * DAY,
    }]);
    const text = JSON.stringify(data);
    for (const hidden of ['INTERNAL', 'officer-17', PHOTO.toString('base64'), PHOTO.toString()]) expect(text).not.toContain(hidden);
  });

  it('summarises what is held in the chat with the phone and national ID masked', async () => {
    await seed(db);
    const data = await collectCitizenData(db, cipher, SOMSRI);
    const th = summaryText(data, 'th');
    expect(th).toMatch(/^ข้อมูลของท่านที่ศูนย์ดำรงธรรมเก็บไว้/);
    expect(th).toContain('เบอร์โทร: 08x-xxx-5678 (ปิดบางส่วน)');
    expect(th).toContain('เรื่องร้องเรียน 2 เรื่อง (ดำเนินการอยู่ 1 เรื่อง ยุติแล้ว 1 เรื่อง)');
    expect(th).toContain('MDH-6911-0001, MDH-6910-0042');
    expect(th).toContain('ติดต่อครั้งแรก: 26 กันยายน 2569');
    const en = summaryText(data, 'en');
    expect(en).toContain('Phone: 08x-xxx-5678 (partly hidden)');
    expect(en).toContain('First contact: 26 September 2026');
    for (const text of [th, en]) {
      for (const full of ['0812345678', '812345678', SOMSRI_ID, SOMSRI_ID.slice(0, 10)]) expect(text).not.toContain(full);
      expect(text).toContain('x-xxxx-xxxxx-');
      expect(text).not.toContain('12 หมู่ 4');
    }
  });

  it("includes the person's royal petitions from the register, with their words, name and phone, and nobody else's", async () => {
    await seed(db);
    const petition = async (chat: string, seq: number, words: string, name: string) => {
      const [h] = await db.query<{ id: unknown }>(
        `INSERT INTO handoff_request (chat_id, reason, status, requested_at, closed_at, district_code) VALUES ($1, 'royal_petition', 'closed', $2, $2, '4901') RETURNING id`,
        [chat, NOW - 10 * DAY],
      );
      await db.query(
        `INSERT INTO royal_petition (register_number, be_year, seq, handoff_id, channel, district_code, province_code, received_at, words_enc,
           petitioner_name_enc, petitioner_phone_enc, status, forwarded_to, forwarded_at, updated_at, updated_by)
         VALUES ($1, 2569, $2, $3, 'line', '4901', '49', $4, $5, $6, $7, 'forwarded', 'สำนักงานราชเลขาธิการ', $8, $8, 'anan')`,
        [`${seq}/2569`, seq, Number(h!.id), NOW - 10 * DAY, cipher.encrypt(words), cipher.encrypt(name), cipher.encrypt(SOMSRI_PHONE), NOW - 5 * DAY],
      );
    };
    await petition(SOMSRI, 3, 'ขอพระราชทานความเป็นธรรมเรื่องที่ดินทำกิน', 'สมศรี ใจดี');
    await petition(PRASIT, 4, 'ขอพระราชทานความช่วยเหลือค่ารักษา', 'ประสิทธิ์ มั่นคง');
    const data = await collectCitizenData(db, cipher, SOMSRI);
    expect(data.petitions).toEqual([{
      registerNumber: '3/2569', receivedAt: NOW - 10 * DAY, status: 'forwarded', words: 'ขอพระราชทานความเป็นธรรมเรื่องที่ดินทำกิน',
      petitionerName: 'สมศรี ใจดี', petitionerPhone: SOMSRI_PHONE, forwardedTo: 'สำนักงานราชเลขาธิการ', forwardedAt: NOW - 5 * DAY,
    }]);
    expect(JSON.stringify(data)).not.toContain('ค่ารักษา');
    expect(summaryText(data, 'th')).toContain('ฎีกาในทะเบียนฎีกา เลขที่ 3/2569');
  });

  it('says plainly when nothing is held about a LINE user', async () => {
    const data = await collectCitizenData(db, cipher, 'U' + 'c'.repeat(32));
    expect(data).toEqual({ citizen: null, cases: [], surveys: [], dataRequests: [], petitions: [] });
    expect(summaryText(data, 'th')).toMatch(/ยังไม่มีข้อมูลของท่าน/);
  });

  it('the link opens a page without spending it, downloads once, and then answers 410 Gone in Thai and English', async () => {
    const { somsri } = await seed(db);
    const url = await linkFor(somsri);
    expect(url).toMatch(new RegExp(`^${base}/my-data/[A-Za-z0-9_-]{43}\\?openExternalBrowser=1$`));
    expect(exportLinkText(url, 'th')).toContain('ดาวน์โหลดข้อมูลของท่านได้ที่ลิงก์นี้ภายใน 24 ชั่วโมง ใช้ได้ครั้งเดียว');

    // LINE fetches the link to draw a preview; that must not spend it.
    for (let i = 0; i < 2; i++) {
      const page = await fetch(url, { headers: { 'user-agent': 'facebookexternalhit/1.1;line-poker/1.0' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await page.text();
      expect(html).toContain('<form method="post">');
      expect(html).not.toContain('สมศรี');
    }

    const file = await fetch(url, { method: 'POST' });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^application\/json/);
    expect(file.headers.get('cache-control')).toBe('no-store');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="my-data-\d{4}-\d{2}-\d{2}\.json"$/);
    const doc = await file.json();
    expect(doc.format).toBe('echannel-my-data/1');
    expect(doc.about.th).toMatch(/พ\.ร\.บ\.คุ้มครองข้อมูลส่วนบุคคล/);

    const again = await fetch(url, { method: 'POST', headers: { accept: 'application/json' } });
    expect(again.status).toBe(410);
    const body = await again.json();
    expect(body.message.th).toMatch(/ใช้ดาวน์โหลดไปแล้ว/);
    expect(body.message.en).toMatch(/already been used/);
    const page = await fetch(url);
    expect(page.status).toBe(410);
    expect(page.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/);
    expect(await page.text()).toMatch(/ใช้ดาวน์โหลดไปแล้ว[\s\S]*already been used/);

    const [row] = await db.query<{ status: string }>(`SELECT status FROM data_request WHERE kind = 'export'`);
    expect(row!.status).toBe('downloaded');
  });

  it("the downloaded file holds the person's own decrypted phone and national ID, Thai-time stamps, and no one else's case", async () => {
    const { somsri } = await seed(db);
    const res = await fetch(await linkFor(somsri), { method: 'POST' });
    const text = await res.text();
    const doc = JSON.parse(text);
    const open = doc.cases.find((c: { trackingNumber: string }) => c.trackingNumber === 'MDH-6911-0001');
    expect(open.phone).toBe(SOMSRI_PHONE);
    expect(open.nationalId).toBe(SOMSRI_ID);
    expect(open.createdAt).toBe('2026-11-05T10:00:00+07:00');
    expect(doc.citizen.lineUserId).toBe(SOMSRI);
    expect(doc.dataRequests).toEqual([expect.objectContaining({ kind: 'export', status: 'downloaded' })]);
    for (const foreign of ['MDH-6911-0002', PRASIT_PHONE, 'เผาขยะ', 'INTERNAL', 'tokenHash', 'token_hash']) expect(text).not.toContain(foreign);
  });

  it('answers an unknown, malformed or expired link with the same 404, not saying which', async () => {
    const { somsri } = await seed(db);
    const expired = await linkFor(somsri, Date.now() - 25 * HOUR);
    const unknown = `${base}/my-data/${randomBytes(32).toString('base64url')}`;
    const malformed = `${base}/my-data/not-a-token`;
    const bodies = new Set<string>();
    for (const url of [expired, unknown, malformed]) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(url, { method });
        expect(res.status, `${method} ${url}`).toBe(404);
        bodies.add(await res.text());
      }
    }
    expect([...bodies]).toHaveLength(1);
    expect([...bodies][0]).toMatch(/ไม่พบลิงก์นี้ หรือลิงก์หมดอายุแล้ว[\s\S]*not found or has expired/);
    const [row] = await db.query<{ status: string }>(`SELECT status FROM data_request WHERE kind = 'export'`);
    expect(row!.status).toBe('issued');
  });

  it('stores only the SHA-256 of the token, never the token itself', async () => {
    const { somsri } = await seed(db);
    const token = tokenOf(await linkFor(somsri));
    const rows = await db.query<Record<string, unknown>>('SELECT * FROM data_request');
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]).toMatchObject({ kind: 'export', status: 'issued', token_hash: createHash('sha256').update(token).digest('hex') });
    expect(Number(rows[0]!.expires_at) - Number(rows[0]!.requested_at)).toBe(24 * HOUR);
  });

  it('two clicks at once download the file once', async () => {
    const { somsri } = await seed(db);
    const url = await linkFor(somsri);
    // Open the connections first (a GET spends nothing), so that the clicks reach the server together.
    await Promise.all(Array.from({ length: 8 }, () => fetch(url).then((r) => r.text())));
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => fetch(url, { method: 'POST' })))).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 410, 410, 410, 410, 410, 410, 410]);
  });

  it('a new link replaces the unused earlier one', async () => {
    const { somsri } = await seed(db);
    const first = await linkFor(somsri);
    const second = await linkFor(somsri);
    expect((await fetch(first, { method: 'POST' })).status).toBe(410);
    expect((await fetch(second, { method: 'POST' })).status).toBe(200);
  });

  it('refuses an address with 429 after too many unknown links, even for a good one', async () => {
    const { somsri } = await seed(db);
    const good = tokenOf(await linkFor(somsri));
    for (let i = 0; i < 3; i++) expect((await fetch(`${base}/limited/${randomBytes(32).toString('base64url')}`)).status).toBe(404);
    const refused = await fetch(`${base}/limited/${good}`, { method: 'POST' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The unguarded mount keeps its own count: the person's link still works there.
    expect((await fetch(`${base}/my-data/${good}`, { method: 'POST' })).status).toBe(200);
  });

  it('logs a download for the audit without personal data', async () => {
    const { somsri } = await seed(db);
    const url = await linkFor(somsri);
    await fetch(url, { method: 'POST' });
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'my-data: export downloaded');
    expect(line).toMatchObject({ level: 30, dataRequestId: expect.any(Number) });
    const all = logs.join('\n');
    for (const personal of [SOMSRI, 'Somsri', 'สมศรี', '812345678', SOMSRI_ID, tokenOf(url)]) expect(all).not.toContain(personal);
  });

  it('records a deletion request as pending and lists what must be kept, case by case, with the reason', async () => {
    const { somsri } = await seed(db);
    const old = await insertCase(db, somsri, { tracking: 'MDH-6306-0007', status: 'ended', createdAt: NOW - 7 * 365 * DAY, closedAt: NOW - 6 * 365 * DAY });
    const result = await db.transaction((tx) => requestDeletion(tx, somsri, NOW));
    expect(result.alreadyPending).toBe(false);
    expect(result.retained).toEqual([
      { trackingNumber: 'MDH-6910-0042', reason: 'retention', until: retainedUntil(NOW - 365 * DAY) },
      { trackingNumber: 'MDH-6911-0001', reason: 'open' },
    ]);
    expect(old).toBeGreaterThan(0);
    const rows = await db.query<{ id: number; kind: string; status: string; requested_at: number }>(
      `SELECT id, kind, status, requested_at FROM data_request WHERE citizen_id = $1`, [somsri]);
    expect(rows.map((r) => [Number(r.id), r.kind, r.status, Number(r.requested_at)])).toEqual([[result.requestId, 'deletion', 'pending', NOW]]);
    // Nothing is deleted until an officer decides.
    const [n] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM cases WHERE citizen_id = $1', [somsri]);
    expect(Number(n!.n)).toBe(3);
  });

  it('asking for deletion twice keeps the one pending request', async () => {
    const { somsri } = await seed(db);
    const first = await db.transaction((tx) => requestDeletion(tx, somsri, NOW));
    const second = await db.transaction((tx) => requestDeletion(tx, somsri, NOW + HOUR));
    expect(second).toMatchObject({ requestId: first.requestId, alreadyPending: true });
    const [n] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM data_request WHERE kind = 'deletion'`);
    expect(Number(n!.n)).toBe(1);
  });

  it('explains in the chat what is kept and until when, in Buddhist Era in Thai', async () => {
    const { somsri } = await seed(db);
    const result = await db.transaction((tx) => requestDeletion(tx, somsri, NOW));
    const th = deletionText(result, 'th');
    expect(th).toContain(`รับคำขอลบข้อมูลของท่านแล้วค่ะ (คำขอเลขที่ ${result.requestId})`);
    expect(th).toContain('• เรื่องเลขที่ MDH-6911-0001: ยังอยู่ระหว่างดำเนินการ');
    expect(th).toContain('• เรื่องเลขที่ MDH-6910-0042: เก็บไว้ถึง 25 พฤศจิกายน 2573');
    expect(th).toContain(`เก็บไว้ ${RETENTION_YEARS} ปีนับจากวันยุติเรื่อง`);
    const en = deletionText(result, 'en');
    expect(en).toContain('• Case MDH-6910-0042: kept until 25 November 2030');
    expect(en).toContain('• Case MDH-6911-0001: still being handled');
  });
});

describe('how long a case is kept', () => {
  const closedAt = Date.UTC(2026, 1, 10);

  it('keeps an open case whatever its age', () => {
    expect(retentionOf({ status: 'in_progress', closedAt: null, updatedAt: 0 }, NOW)).toEqual({ reason: 'open' });
    expect(retentionOf({ status: 'forwarded', closedAt: null, updatedAt: 0 }, NOW)).toEqual({ reason: 'open' });
  });

  it(`keeps a closed case for ${RETENTION_YEARS} calendar years after it closed, then no longer`, () => {
    const until = Date.UTC(2026 + RETENTION_YEARS, 1, 10);
    expect(retainedUntil(closedAt)).toBe(until);
    for (const status of ['ended', 'not_accepted', 'withdrawn'] as const) {
      expect(retentionOf({ status, closedAt, updatedAt: closedAt }, until - 1)).toEqual({ reason: 'retention', until });
      expect(retentionOf({ status, closedAt, updatedAt: closedAt }, until)).toBeNull();
    }
  });

  it('counts a closed case without a closing time from its last change', () => {
    expect(retentionOf({ status: 'ended', closedAt: null, updatedAt: closedAt }, closedAt + DAY)).toEqual({ reason: 'retention', until: retainedUntil(closedAt) });
  });
});
