/**
 * Officer notifications: binding a LINE group to a district with a one-time code, what the group hears, the card,
 * the e-mail and the signed webhook, and the sender's retries, parking and leases. Real databases (SQLite and
 * PostgreSQL), a real SMTP server, a real HTTP receiver and the LINE emulator; nothing of ours is mocked.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { webhook } from '@line/bot-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator';
import { LineApi } from '../line/api';
import { DataCipher } from '../storage/crypto';
import type { Database } from '../storage/database';
import { createLogger } from '../runtime/logger';
import { createHash } from 'node:crypto';
import { bindGroup, BINDING_CODE_TTL_MS, createBindingCode, findBindingCode, hashBindingCode, MAX_WRONG_CODES_PER_DAY, useBindingCodeKey } from '../notify/binding';
import { handleGroupEvent } from '../notify/group-handler';
import { emailMessage, groupCard, webhookBody } from '../notify/messages';
import { queueNotification } from '../notify/queue';
import { NotificationSender, type NotifySenderSettings } from '../notify/sender';
import { signBody, verifySignature } from '../notify/signature';
import { addTarget, districtsOfGroup, InvalidTargetError, listTargets } from '../notify/targets';
import type { NotificationContent } from '../notify/types';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';

const DAY = 86_400_000;
/** 25 November 2026, 14:05 in Thailand. */
const NOW = Date.UTC(2026, 10, 25, 7, 5);
const GROUP_A = 'C' + 'a'.repeat(32);
const GROUP_B = 'C' + 'b'.repeat(32);
const NATIONAL_ID = '1101700230708';
const PHONE = '0891234567';
const STORY = `ไฟถนนดับหน้าบ้าน <script>alert("x")</script> ติดต่อ ${PHONE} เลขบัตร ${NATIONAL_ID}`;
const PUBLIC_URL = 'https://echannel.example.go.th';
const cipher = new DataCipher(Buffer.alloc(32, 7));
const logger = createLogger('silent');

const textEvent = (groupId: string, text: string) =>
  ({ type: 'message', source: { type: 'group', groupId, userId: 'U' + '1'.repeat(32) }, message: { type: 'text', id: '1', text }, timestamp: NOW, mode: 'active' }) as unknown as webhook.Event;
const joinEvent = (groupId: string) => ({ type: 'join', source: { type: 'group', groupId }, timestamp: NOW, mode: 'active' }) as unknown as webhook.Event;
const leaveEvent = (groupId: string) => ({ type: 'leave', source: { type: 'group', groupId }, timestamp: NOW, mode: 'active' }) as unknown as webhook.Event;
const said = (ms: ReadonlyArray<Record<string, unknown>>) => ms.map((m) => String(m.text));

const aNewCase = (over: Partial<NotificationContent['payload']> = {}): NotificationContent => ({
  event: 'case.new',
  districtCode: '4901',
  subjectKey: 'MDH-2569-000123-4',
  payload: { trackingNumber: 'MDH-2569-000123-4', category: 'complaint', status: 'received', summary: STORY, at: NOW, ...over },
});

// ---- binding a group -----------------------------------------------------------------------------------------

describe.each(engines())('binding a LINE group to a district on %s', (engine) => {
  let t: TestDatabase;
  let db: Database;
  beforeEach(() => useBindingCodeKey(cipher)); // what server/start.ts does with the data key
  afterEach(async () => {
    await db?.close();
    await t?.drop();
  });
  const open = async () => {
    t = newTestDatabase(engine);
    db = await t.open();
  };
  const inGroup = (event: webhook.Event, now = NOW) => db.transaction((tx) => handleGroupEvent(tx, event, now));

  it('gives a short human code and stores only its hash', async () => {
    await open();
    const c = await db.transaction((tx) => createBindingCode(tx, '4901', 'officer:somchai', NOW));
    expect(c.code).toMatch(/^DTC-\d{4}-[A-HJKMNP-Z]{2}$/);
    expect(c.expiresAt).toBe(NOW + BINDING_CODE_TTL_MS);
    const rows = await db.query<Record<string, unknown>>('SELECT * FROM group_binding_code');
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(c.code);
    expect(JSON.stringify(rows)).not.toContain(c.code.slice(4, 8));
  });

  it('stores a keyed HMAC of the code: no hash of it can be found without the data key', async () => {
    await open();
    const c = await db.transaction((tx) => createBindingCode(tx, '4901', 'officer:somchai', NOW));
    const [row] = await db.query<{ code_hash: string }>('SELECT code_hash FROM group_binding_code');
    expect(row!.code_hash).toBe(hashBindingCode(c.code));
    // Not the old plain SHA-256 that anyone could compute for all 4.8 million codes.
    expect(row!.code_hash).not.toBe(createHash('sha256').update(`group-binding:${c.code}`).digest('hex'));
    useBindingCodeKey(new DataCipher(Buffer.alloc(32, 9))); // another deployment's key
    expect(hashBindingCode(c.code)).not.toBe(row!.code_hash);
    expect(await db.transaction((tx) => bindGroup(tx, GROUP_A, c.code, NOW + 1))).toBe('refused');
    useBindingCodeKey(cipher);
    expect(await db.transaction((tx) => bindGroup(tx, GROUP_A, c.code, NOW + 2))).toBe('bound');
  });

  it('refuses an old row stored as plain SHA-256: it simply stops matching', async () => {
    await open();
    const code = 'DTC-4821-XK';
    await db.query(
      `INSERT INTO group_binding_code (code_hash, district_code, expires_at, created_at, created_by) VALUES ($1, '4901', $2, $3, 'officer:a')`,
      [createHash('sha256').update(`group-binding:${code}`).digest('hex'), NOW + DAY, NOW],
    );
    expect(await db.transaction((tx) => bindGroup(tx, GROUP_A, code, NOW + 1))).toBe('refused');
  });

  it('says hello on join and asks for the code', async () => {
    await open();
    expect(said(await inGroup(joinEvent(GROUP_A)))).toEqual([expect.stringMatching(/^สวัสดีค่ะ .*รหัสผูกกลุ่ม.*DTC-1234-AB/)]);
  });

  it('binds the group with a code typed in it, once: the same code in another group is refused', async () => {
    await open();
    const { code } = await db.transaction((tx) => createBindingCode(tx, '4901', 'officer:somchai', NOW));
    await inGroup(joinEvent(GROUP_A));
    const bound = said(await inGroup(textEvent(GROUP_A, `รหัสค่ะ ${code}`), NOW + 60_000));
    expect(bound).toEqual([expect.stringMatching(/^ผูกกลุ่มนี้กับศูนย์ดำรงธรรมอำเภอเมืองมุกดาหาร จังหวัดมุกดาหาร เรียบร้อยแล้วค่ะ/)]);
    expect(await db.transaction((tx) => districtsOfGroup(tx, GROUP_A))).toEqual(['4901']);
    const targets = await db.transaction((tx) => listTargets(tx, '4901'));
    expect(targets).toMatchObject([{ kind: 'line_group', address: GROUP_A, active: true, createdBy: 'binding-code:officer:somchai' }]);

    expect(await db.transaction((tx) => bindGroup(tx, GROUP_B, code, NOW + 120_000))).toBe('refused');
    expect(said(await inGroup(textEvent(GROUP_B, code), NOW + 180_000))).toEqual([expect.stringMatching(new RegExp(`^รหัส ${code} ใช้ไม่ได้ค่ะ`))]);
    expect(await db.transaction((tx) => districtsOfGroup(tx, GROUP_B))).toEqual([]);
  });

  it('reads the code however it is typed: lower case, spaces, Thai digits', async () => {
    await open();
    const { code } = await db.transaction((tx) => createBindingCode(tx, '4903', 'officer:a', NOW));
    const thaiDigits = code.toLowerCase().replace(/-/g, ' ').replace(/\d/g, (d) => String.fromCharCode(0x0e50 + Number(d)));
    expect(findBindingCode(thaiDigits)).toBe(code);
    expect(await db.transaction((tx) => bindGroup(tx, GROUP_A, thaiDigits, NOW))).toBe('bound');
    expect(await db.transaction((tx) => districtsOfGroup(tx, GROUP_A))).toEqual(['4903']);
  });

  it('refuses a code after 24 hours', async () => {
    await open();
    const { code } = await db.transaction((tx) => createBindingCode(tx, '4901', 'officer:a', NOW));
    expect(await db.transaction((tx) => bindGroup(tx, GROUP_A, code, NOW + BINDING_CODE_TTL_MS))).toBe('refused');
    expect(await db.transaction((tx) => districtsOfGroup(tx, GROUP_A))).toEqual([]);
  });

  it('refuses a wrong code, and stops looking at codes from a group after too many wrong ones in a day', async () => {
    await open();
    const { code } = await db.transaction((tx) => createBindingCode(tx, '4901', 'officer:a', NOW));
    const wrong = code.endsWith('AA') ? code.replace(/..$/, 'BB') : code.replace(/..$/, 'AA');
    expect(await db.transaction((tx) => bindGroup(tx, GROUP_A, wrong, NOW))).toBe('refused');
    for (let i = 1; i < MAX_WRONG_CODES_PER_DAY; i++) await db.transaction((tx) => bindGroup(tx, GROUP_A, wrong, NOW + i));
    // Even the right code is not looked at now: guessing is stopped.
    expect(await db.transaction((tx) => bindGroup(tx, GROUP_A, code, NOW + 100))).toBe('refused');
    // A day after the first wrong code the group may try again, with a fresh code.
    const fresh = await db.transaction((tx) => createBindingCode(tx, '4901', 'officer:a', NOW + DAY));
    expect(await db.transaction((tx) => bindGroup(tx, GROUP_A, fresh.code, NOW + DAY + 1))).toBe('bound');
  });

  it('refuses an unbound group politely once a day, not after every message', async () => {
    await open();
    expect(said(await inGroup(textEvent(GROUP_A, 'สวัสดีครับ ฝากเรื่องถนนหน่อย')))).toEqual([expect.stringMatching(/^ขออภัยค่ะ กลุ่มนี้ยังไม่ได้ผูกกับศูนย์ดำรงธรรมอำเภอใด/)]);
    expect(await inGroup(textEvent(GROUP_A, 'ตอบหน่อยครับ'), NOW + 60_000)).toEqual([]);
    expect(await inGroup(textEvent(GROUP_A, 'ว่าไง'), NOW + DAY - 1)).toEqual([]);
    expect(said(await inGroup(textEvent(GROUP_A, 'ยังอยู่ไหม'), NOW + DAY))).toHaveLength(1);
    // Another group is refused on its own account.
    expect(said(await inGroup(textEvent(GROUP_B, 'hello'), NOW + 60_000))).toHaveLength(1);
  });

  it('stays quiet in a bound group, and forgets the binding when the bot is removed', async () => {
    await open();
    const { code } = await db.transaction((tx) => createBindingCode(tx, '4901', 'officer:a', NOW));
    await inGroup(textEvent(GROUP_A, code));
    expect(await inGroup(textEvent(GROUP_A, 'เรื่องเมื่อเช้าใครรับไปครับ'), NOW + 60_000)).toEqual([]);
    expect(await inGroup(textEvent(GROUP_A, 'ok'), NOW + 2 * DAY)).toEqual([]);
    expect(await inGroup(leaveEvent(GROUP_A), NOW + 3 * DAY)).toEqual([]);
    expect(await db.transaction((tx) => districtsOfGroup(tx, GROUP_A))).toEqual([]);
    const ids = await db.transaction((tx) => queueNotification(tx, { districtCode: '4901', event: 'case.new', subjectKey: 'X', payload: { at: NOW } }, NOW));
    expect(ids).toEqual([]);
  });
});

// ---- what officers read ----------------------------------------------------------------------------------------

type Node = Record<string, unknown>;
function texts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) texts(v, out);
  else if (value && typeof value === 'object') {
    const n = value as Node;
    if (n.type === 'text') out.push(String(n.text));
    for (const v of Object.values(n)) texts(v, out);
  }
  return out;
}
const digitsOf = (s: string) => s.replace(/\D/g, '');

describe('the group card', () => {
  let em: Emulator;
  let line: LineApi;
  beforeAll(async () => {
    em = await startEmulator({ channelSecret: 'notify-test-secret', channelAccessToken: 'notify-test-token' });
    line = new LineApi({ channelAccessToken: 'notify-test-token', apiBaseUrl: em.url, dataApiBaseUrl: em.url, timeoutMs: 5_000 });
  });
  afterAll(() => em?.close());

  it('shows the essentials in Thai with a Buddhist-Era date and a button to the case in the console', () => {
    const card = groupCard(aNewCase(), PUBLIC_URL);
    const shown = texts(card.contents);
    expect(shown).toContain('เรื่องใหม่');
    expect(shown).toContain('MDH-2569-000123-4');
    expect(shown).toContain('ร้องเรียน/ร้องทุกข์');
    expect(shown).toContain('อำเภอเมืองมุกดาหาร จังหวัดมุกดาหาร');
    expect(shown).toContain('25 พ.ย. 2569 เวลา 14:05 น.');
    expect(JSON.stringify(card)).toContain('"uri":"https://echannel.example.go.th/console/cases/MDH-2569-000123-4"');
    expect(card.altText).toBe('เรื่องใหม่ MDH-2569-000123-4 (อำเภอเมืองมุกดาหาร จังหวัดมุกดาหาร)');
  });

  it('never carries a national ID or phone number, even when the story has them', () => {
    for (const summary of [STORY, `โทร ๐๘๙-๑๒๓-๔๕๖๗ บัตร 1-1017-00230-70-8`, `+66 89 123 4567`]) {
      for (const event of ['case.new', 'handoff.requested', 'case.overdue'] as const) {
        const card = JSON.stringify(groupCard({ ...aNewCase({ summary, detail: summary }), event }, PUBLIC_URL));
        const digits = digitsOf(card);
        expect(digits).not.toContain(NATIONAL_ID);
        expect(digits).not.toContain('891234567');
      }
    }
    expect(texts(groupCard(aNewCase(), PUBLIC_URL).contents).join(' ')).toContain('08x-xxx-4567');
  });

  it('is accepted by LINE (the emulator validates against the Messaging API) when pushed to a group', async () => {
    const res = await line.push(GROUP_A, [groupCard(aNewCase(), PUBLIC_URL)], randomUUID());
    expect(res.status).toBe(200);
    const overdue = groupCard({ ...aNewCase({ dueAt: NOW - DAY, summary: 'ก'.repeat(2000) }), event: 'case.overdue' }, PUBLIC_URL);
    expect((await line.push(GROUP_A, [overdue], randomUUID())).status).toBe(200);
    const failed = groupCard({ event: 'delivery.failed', districtCode: '4901', subjectKey: 'notification:1', payload: { at: NOW, detail: 'email → x@y.th: 451' } }, PUBLIC_URL);
    expect((await line.push(GROUP_A, [failed], randomUUID())).status).toBe(200);
    expect(em.delivered(GROUP_A)).toHaveLength(3);
  });
});

describe('the e-mail and the webhook body', () => {
  it('escapes what a person typed in the HTML and keeps the subject on one line', () => {
    const mail = emailMessage(aNewCase(), PUBLIC_URL);
    expect(mail.subject).toBe('[E-Channel] เรื่องใหม่ MDH-2569-000123-4 - อำเภอเมืองมุกดาหาร จังหวัดมุกดาหาร');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.text).toContain('25 พ.ย. 2569 เวลา 14:05 น.');
    for (const s of [mail.subject, mail.text, mail.html]) expect(digitsOf(s)).not.toContain(NATIONAL_ID);
  });

  it('gives machines English field names, ISO dates, a stable id and a masked summary', () => {
    const body = JSON.parse(webhookBody(aNewCase(), 42, NOW + 1000, PUBLIC_URL));
    expect(body).toMatchObject({
      id: '42',
      event: 'case.new',
      occurredAt: '2026-11-25T07:05:00.000Z',
      sentAt: '2026-11-25T07:05:01.000Z',
      district: { code: '4901', th: 'เมืองมุกดาหาร', en: 'Mueang Mukdahan' },
      case: { trackingNumber: 'MDH-2569-000123-4', category: 'complaint', url: `${PUBLIC_URL}/console/cases/MDH-2569-000123-4` },
    });
    expect(digitsOf(body.case.summary)).not.toContain(NATIONAL_ID);
  });

  it('signs with HMAC-SHA256: the right secret verifies, a wrong secret or an altered body does not', () => {
    const body = webhookBody(aNewCase(), 1, NOW, PUBLIC_URL);
    const sig = signBody('a-shared-secret-of-32-characters', body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('a-shared-secret-of-32-characters', body, sig)).toBe(true);
    expect(verifySignature('another-secret-of-32-characters!', body, sig)).toBe(false);
    expect(verifySignature('a-shared-secret-of-32-characters', body.replace('4901', '4902'), sig)).toBe(false);
    expect(verifySignature('a-shared-secret-of-32-characters', body, undefined)).toBe(false);
  });

  it('refuses targets that could never be delivered, naming the field', async () => {
    const { validateTarget } = await import('../notify/targets');
    const bad = [
      { districtCode: '49', kind: 'email', address: 'a@b.th' },
      { districtCode: '4901', kind: 'email', address: 'not an address' },
      { districtCode: '4901', kind: 'line_group', address: 'U' + 'a'.repeat(32) },
      { districtCode: '4901', kind: 'webhook', address: 'http://example.com/hook', secret: 'x'.repeat(20) },
      { districtCode: '4901', kind: 'webhook', address: 'https://example.com/hook', secret: 'short' },
    ] as const;
    for (const t of bad) expect(() => validateTarget({ ...t, actor: 'admin' })).toThrow(InvalidTargetError);
  });
});

// ---- the sender ------------------------------------------------------------------------------------------------

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on port 0; `fail` answers DATA with that SMTP code while it returns one. */
async function smtpServer(fail: () => number | null = () => null) {
  const mails: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const code = fail();
        if (code) return cb(Object.assign(new Error('try again later'), { responseCode: code }));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 2_000, socketTimeout: 5_000 });
  return { mails, transport, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A real HTTP receiver; `status` decides the answer to each request. */
async function webhookReceiver(status: () => number = () => 200) {
  const hits: Array<{ body: string; headers: http.IncomingHttpHeaders }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/echannel?token=abc`;
  return { hits, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The decoded subject and the decoded bodies of a raw mail (nodemailer writes base64 parts, encoded-word subjects). */
function readMail(raw: string): { subject: string; html: string; text: string } {
  const header = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const subjectLine = /^Subject: (.*)$/m.exec(header)?.[1] ?? '';
  const subject = subjectLine.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
  const part = (type: string) => {
    const m = new RegExp(`Content-Type: ${type}[^\\r]*\\r\\nContent-Transfer-Encoding: base64\\r\\n\\r\\n([A-Za-z0-9+/=\\r\\n]+)`).exec(raw);
    return m ? Buffer.from(m[1]!.replace(/\s/g, ''), 'base64').toString('utf8') : '';
  };
  return { subject, html: part('text/html'), text: part('text/plain') };
}

/** Tests only: webhooks may reach the receivers these tests run on this machine. */
const LOCAL_RECEIVERS = { allowPrivateAddresses: true } as const;

const fast: Partial<NotifySenderSettings> = { pollMs: 20, retryBaseMs: 10, retryMaxMs: 40, maxAttempts: 3, webhookTimeoutMs: 2_000, leaseMs: 5_000 };

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(engines())('the notification sender on %s', (engine) => {
  let t: TestDatabase;
  let db: Database;
  let em: Emulator;
  let line: LineApi;
  const closers: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    em = await startEmulator({ channelSecret: 'notify-test-secret', channelAccessToken: 'notify-test-token' });
    line = new LineApi({ channelAccessToken: 'notify-test-token', apiBaseUrl: em.url, dataApiBaseUrl: em.url, timeoutMs: 5_000 });
  });
  afterAll(() => em?.close());
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    await db?.close();
    await t?.drop();
  });
  const open = async () => {
    t = newTestDatabase(engine);
    db = await t.open();
  };
  const sender = (o: { mailer?: Transporter | null; workerId?: string } = {}) => {
    const s = new NotificationSender({
      db,
      line,
      mailer: o.mailer ?? null,
      mailFrom: 'E-Channel <noreply@echannel.example.go.th>',
      cipher,
      publicUrl: PUBLIC_URL,
      logger,
      workerId: o.workerId ?? `w-${randomUUID()}`,
      settings: fast,
      // The test allowance: the receivers below listen on 127.0.0.1 (tests/notify.outside.test.ts has the policy).
      webhooks: LOCAL_RECEIVERS,
    });
    s.start();
    closers.push(() => s.stop(2_000));
    return s;
  };
  const target = (kind: 'line_group' | 'email' | 'webhook', address: string, secret?: string) =>
    db.transaction((tx) => addTarget(tx, { districtCode: '4901', kind, address, ...(secret ? { secret } : {}), actor: 'admin:test' }, cipher, NOW, LOCAL_RECEIVERS));
  const queue = (c: NotificationContent = aNewCase()) =>
    db.transaction((tx) => queueNotification(tx, { districtCode: c.districtCode, event: c.event, subjectKey: c.subjectKey, payload: c.payload }, Date.now()));
  const rows = () => db.query<{ id: number; event: string; target_kind: string; status: string; attempts: number; last_error: string | null; payload: string }>('SELECT * FROM notification ORDER BY id');

  it('queues one row per active target, once per event, with the story masked in the row', async () => {
    await open();
    await target('email', 'officers@mukdahan.go.th');
    await target('webhook', 'https://example.go.th/hook', 'a-shared-secret-of-32-characters');
    await target('line_group', GROUP_A);
    expect(await queue()).toHaveLength(3);
    expect(await queue()).toEqual([]);
    const stored = await rows();
    expect(stored.map((r) => r.target_kind).sort()).toEqual(['email', 'line_group', 'webhook']);
    expect(digitsOf(JSON.stringify(stored))).not.toContain(NATIONAL_ID);
    expect(digitsOf(JSON.stringify(stored))).not.toContain('891234567');
    const secrets = await db.query<{ secret_enc: string }>(`SELECT secret_enc FROM district_target WHERE kind = 'webhook'`);
    expect(secrets[0]!.secret_enc).toMatch(/^v2:/);
    expect(JSON.stringify(secrets)).not.toContain('a-shared-secret');
  });

  it('posts the card to the LINE group with a retry key', async () => {
    await open();
    const group = 'C' + randomUUID().replace(/-/g, '');
    await target('line_group', group);
    await queue();
    sender();
    const done = await until(rows, (r) => r[0]?.status === 'sent');
    expect(done[0]).toMatchObject({ status: 'sent', attempts: 1 });
    const seen = em.delivered(group);
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen[0])).toContain('MDH-2569-000123-4');
    const retryKey = (await db.query<{ retry_key: string }>('SELECT retry_key FROM notification'))[0]!.retry_key;
    expect(em.calls({ endpoint: 'push' }).filter((c) => (c as { retryKey?: string }).retryKey === retryKey)).toHaveLength(1);
  });

  it('e-mails the district: subject, recipient, and the story escaped in the HTML', async () => {
    await open();
    const smtp = await smtpServer();
    closers.push(smtp.close);
    await target('email', 'officers@mukdahan.go.th');
    await queue();
    sender({ mailer: smtp.transport });
    await until(rows, (r) => r[0]?.status === 'sent');
    expect(smtp.mails).toHaveLength(1);
    const m = smtp.mails[0]!;
    expect(m.to).toEqual(['officers@mukdahan.go.th']);
    expect(m.from).toBe('noreply@echannel.example.go.th');
    const mail = readMail(m.raw);
    expect(mail.subject).toBe('[E-Channel] เรื่องใหม่ MDH-2569-000123-4 - อำเภอเมืองมุกดาหาร จังหวัดมุกดาหาร');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('https://echannel.example.go.th/console/cases/MDH-2569-000123-4');
    expect(digitsOf(m.raw + mail.html + mail.text)).not.toContain(NATIONAL_ID);
  });

  it('posts the webhook signed with the target secret and a timestamp; a wrong secret does not verify', async () => {
    await open();
    const hook = await webhookReceiver();
    closers.push(hook.close);
    await target('webhook', hook.url, 'a-shared-secret-of-32-characters');
    await queue();
    sender();
    await until(rows, (r) => r[0]?.status === 'sent');
    expect(hook.hits).toHaveLength(1);
    const { body, headers } = hook.hits[0]!;
    expect(verifySignature('a-shared-secret-of-32-characters', body, headers['x-echannel-signature'] as string)).toBe(true);
    expect(verifySignature('not-the-secret-at-all-0123456789', body, headers['x-echannel-signature'] as string)).toBe(false);
    expect(Number(headers['x-echannel-timestamp'])).toBe(Date.parse(JSON.parse(body).sentAt));
    expect(headers['x-echannel-delivery']).toBe(String((await rows())[0]!.id));
    expect(JSON.parse(body)).toMatchObject({ event: 'case.new', case: { trackingNumber: 'MDH-2569-000123-4' } });
  });

  it('retries a failing SMTP server and delivers when it recovers', async () => {
    await open();
    let failures = 2;
    const smtp = await smtpServer(() => (failures-- > 0 ? 451 : null));
    closers.push(smtp.close);
    await target('email', 'officers@mukdahan.go.th');
    await queue();
    sender({ mailer: smtp.transport });
    const done = await until(rows, (r) => r[0]?.status === 'sent');
    expect(done[0]).toMatchObject({ status: 'sent', attempts: 3 });
    expect(smtp.mails).toHaveLength(1);
  });

  it('parks a target that keeps failing after the last attempt, and tells the district\'s other targets', async () => {
    await open();
    const smtp = await smtpServer(() => 451);
    const hook = await webhookReceiver(() => 503);
    closers.push(smtp.close, hook.close);
    const group = 'C' + randomUUID().replace(/-/g, '');
    await target('email', 'officers@mukdahan.go.th');
    await target('webhook', hook.url, 'a-shared-secret-of-32-characters');
    await target('line_group', group);
    await queue();
    sender({ mailer: smtp.transport });
    const all = await until(rows, (r) => r.length === 7 && r.every((x) => x.status === 'sent' || x.status === 'failed'));
    const newCase = all.filter((r) => r.event === 'case.new');
    expect(newCase.map((r) => [r.target_kind, r.status, r.attempts]).sort()).toEqual([
      ['email', 'failed', 3],
      ['line_group', 'sent', 1],
      ['webhook', 'failed', 3],
    ]);
    expect(newCase.find((r) => r.target_kind === 'email')!.last_error).toMatch(/451/);
    expect(newCase.find((r) => r.target_kind === 'webhook')!.last_error).toMatch(/503/);
    expect(hook.hits.length).toBeGreaterThanOrEqual(3);
    // Each failure is reported to the district's other targets: the group hears of both. A report that fails in
    // turn is parked without a report of its own, so failures cannot chain.
    const reports = all.filter((r) => r.event === 'delivery.failed');
    expect(reports.map((r) => [r.target_kind, r.status]).sort()).toEqual([
      ['email', 'failed'],
      ['line_group', 'sent'],
      ['line_group', 'sent'],
      ['webhook', 'failed'],
    ]);
    await until(async () => em.delivered(group).length, (n) => n === 3);
    expect(texts(em.delivered(group).map((d) => (d as { message?: unknown }).message ?? d)).filter((s) => s === 'ส่งข้อความไม่สำเร็จ')).toHaveLength(2);
  });

  it('parks at once what will never pass: an SMTP 550', async () => {
    await open();
    const smtp = await smtpServer(() => 550);
    closers.push(smtp.close);
    await target('email', 'nobody@mukdahan.go.th');
    await queue();
    sender({ mailer: smtp.transport });
    const done = await until(rows, (r) => r[0]?.status === 'failed');
    expect(done[0]).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('sends each notification once with two senders at work', async () => {
    await open();
    const hook = await webhookReceiver();
    closers.push(hook.close);
    await target('webhook', hook.url, 'a-shared-secret-of-32-characters');
    const n = 40;
    for (let i = 0; i < n; i++) await queue({ ...aNewCase(), subjectKey: `MDH-2569-${String(i).padStart(6, '0')}-0` });
    sender({ workerId: 'one' });
    sender({ workerId: 'two' });
    await until(rows, (r) => r.every((x) => x.status === 'sent'));
    expect((await rows()).filter((r) => r.status === 'sent')).toHaveLength(n);
    const ids = hook.hits.map((h) => h.headers['x-echannel-delivery']);
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
  });
});
