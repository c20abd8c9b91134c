import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { CLI_ACTOR } from '../console/auth/officers';
import { createLogger } from '../runtime/logger';
import { addTarget } from '../notify/targets';
import { nationalIdCheckDigit } from '../flows/inputs';
import { engines } from './support/databases';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { login, OFFICER_PASSWORD, startConsoleApi, type ConsoleApiServer, type ConsoleClient } from './support/console-client';
import { DAY, follow, lines, MovableClock, newCitizen, runDueJobs, say, send, sendPhoto } from './support/citizen';

const ADMIN_TOKEN = 'privacy-admin-token-0123456789abcdef';
const DISTRICT_GROUP = `C${'a1'.repeat(16)}`;
const SUPERVISORS_GROUP = `C${'b2'.repeat(16)}`;

const TIP_STORY = 'มีการลักลอบทิ้งขยะอันตรายริมแม่น้ำโขงทุกคืนวันเสาร์ รถกระบะสีขาว';
const ID12 = '310170023070';
const NATIONAL_ID = `${ID12}${nationalIdCheckDigit(ID12)}`;
/** A complaint about an official: the words that must never reach a notice. */
const OFFICIAL = {
  story: 'ปลัดที่ที่ว่าการอำเภอเรียกเงินสองพันบาทเพื่อออกเอกสารให้เร็วขึ้น',
  place: 'ร้านกาแฟหน้าที่ว่าการ',
  subject: 'ปลัดสมชาย',
  name: 'มานี ใจกล้า',
  address: '45 หมู่ 6 ต.บางทรายใหญ่ อ.เมือง จ.มุกดาหาร',
};

/** Every row of every table, one JSON object a row (bytes left out: they are not text). */
async function everyRow(server: TestServer): Promise<Array<{ table: string; row: Record<string, unknown>; text: string }>> {
  const tables =
    server.db.dialect === 'sqlite'
      ? await server.db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      : await server.db.query<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
        );
  const out: Array<{ table: string; row: Record<string, unknown>; text: string }> = [];
  for (const { name } of tables) {
    for (const row of await server.db.query<Record<string, unknown>>(`SELECT * FROM "${name}"`)) {
      const text = JSON.stringify(row, (_k, v) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? '[bytes]' : v));
      out.push({ table: name, row, text });
    }
  }
  return out;
}

describe.each(engines())('an anonymous tip-off and a complaint about an official, on %s', (engine) => {
  let server: TestServer;
  let api: ConsoleApiServer;
  let admin: ConsoleClient;
  const logLines: string[] = [];
  const clock = new MovableClock();
  let user: string;
  let number: string;
  let caseId: number;
  let messageIds: string[];

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    server = await startTestServer(
      engine,
      { CENTER_DISTRICT: '4901', ADMIN_TOKEN, ADMIN_TOKEN_HOLDER: 'privacy-test', SCHEDULER_POLL_MS: '100' },
      { logger: createLogger('debug', stream), conversationClock: clock.now },
    );
    await server.db.transaction(async (tx) => {
      await addTarget(tx, { districtCode: '4901', kind: 'line_group', address: DISTRICT_GROUP, actor: 'test' }, server.cipher, Date.now());
      // The province's supervisors: the pseudo district 4900.
      await addTarget(tx, { districtCode: '4900', kind: 'line_group', address: SUPERVISORS_GROUP, actor: 'test' }, server.cipher, Date.now());
    });
    api = await startConsoleApi(server, { onQueued: () => server.outbox.wake() });
    await api.auth.officers.create(CLI_ACTOR, { username: 'root', displayName: 'ผู้ดูแล', role: 'admin', password: OFFICER_PASSWORD });
    admin = await login(api.base, 'root');

    user = newCitizen(server, 'th', 'สมหมาย ลับมาก');
    await follow(server, user);
    for (const text of ['ร้องเรียน/แจ้งเรื่อง', 'แจ้งเบาะแส', 'ไม่ระบุตัวตน', TIP_STORY]) await say(server, user, text);
    await send(server, user, { type: 'location', latitude: 16.55, longitude: 104.73, title: 'ริมโขง', address: 'Mukdahan' });
    await say(server, user, 'ใช่');
    for (const text of ['เมื่อวาน', 'ไม่ทราบชื่อคนขับ รถกระบะสีขาว', 'ขอให้ตรวจสอบและจับกุม']) await say(server, user, text);
    await sendPhoto(server, user);
    await say(server, user, 'เสร็จแล้ว');
    const thanks = lines(await say(server, user, 'ส่งเรื่อง'));
    expect(thanks[0]).toMatch(/^ขอบคุณสำหรับเบาะแสค่ะ/);

    const [row] = await server.db.query<{ id: number; tracking_number: string }>(`SELECT id, tracking_number FROM cases WHERE category = 'tip_off'`);
    number = row!.tracking_number;
    caseId = Number(row!.id);
    // The chat's message ids, read from the inbox the way the server stored them (encrypted).
    const inbox = await server.db.query<{ payload: string }>('SELECT payload FROM inbox_event WHERE chat_id = $1', [user]);
    messageIds = inbox
      .map((r) => JSON.parse(server.cipher.reveal(r.payload)!) as { message?: { id?: string } })
      .map((e) => e.message?.id)
      .filter((id): id is string => typeof id === 'string');
    expect(messageIds.length).toBeGreaterThan(5);
    await waitFor(async () => {
      const open = await server.db.query(`SELECT id FROM notification WHERE status IN ('pending', 'sending')`);
      return open.length === 0;
    }, 10_000, 'the notices sent');
  });
  afterAll(async () => {
    await api?.close();
    await server?.stop();
  });

  const needles = () => [user, ...messageIds];
  const found = (text: string) => needles().filter((n) => text.includes(n));

  it('files the tip-off with its photo copied onto the case, and no actor on its events', async () => {
    const [photo] = await server.db.query<{ line_message_id: string | null; size: number }>('SELECT line_message_id, size FROM attachment WHERE case_id = $1', [caseId]);
    expect(photo).toBeDefined();
    expect(photo!.line_message_id).toBeNull();
    expect(Number(photo!.size)).toBeGreaterThan(0);
    const events = await server.db.query<{ actor_type: string; actor_id: string | null }>('SELECT actor_type, actor_id FROM case_event WHERE case_id = $1', [caseId]);
    expect(events).toEqual([{ actor_type: 'citizen', actor_id: null }]);
    // The chat's own copy of the photo is gone: its bytes and hash would lead back to the chat.
    expect(await server.db.query('SELECT message_id FROM line_content WHERE chat_id = $1', [user])).toEqual([]);
  });

  it('leaves no LINE user id or message id in any row that leads to the case, and no message id anywhere', async () => {
    const rows = await everyRow(server);
    const linked = rows.filter(
      ({ table, row, text }) =>
        (table === 'cases' && Number(row.id) === caseId) ||
        (row.case_id !== undefined && row.case_id !== null && Number(row.case_id) === caseId) ||
        text.includes(number) ||
        text.includes(`"caseId":${caseId}`),
    );
    expect(linked.map((r) => r.table)).toEqual(expect.arrayContaining(['cases', 'case_event', 'attachment', 'notification']));
    expect(linked.flatMap(({ table, text }) => found(text).map((n) => `${table}: ${n}`))).toEqual([]);
    // The other way round: nothing that names the chat names the case.
    expect(rows.filter(({ text }) => text.includes(user) && text.includes(number)).map((r) => r.table)).toEqual([]);
    // Nor what the tip said: the outbox keeps no body in plain text beside its chat id (encrypted, then erased once sent).
    expect(rows.filter(({ text }) => text.includes(user) && text.includes(TIP_STORY.slice(0, 20))).map((r) => r.table)).toEqual([]);
    const outbox = rows.filter(({ table, row }) => table === 'outbox_message' && row.chat_id === user);
    expect(outbox.length).toBeGreaterThan(0);
    expect(outbox.filter(({ row }) => row.status === 'sent' && row.messages !== '[]')).toEqual([]);
    expect(rows.flatMap(({ table, text }) => messageIds.filter((id) => text.includes(id)).map((id) => `${table}: ${id}`))).toEqual([]);
  });

  it('shows an admin the case, its files, the list and the audit log without the sender', async () => {
    const detail = await admin.call('GET', `/cases/${number}`);
    expect(detail.status).toBe(200);
    expect(detail.body.anonymous).toBe(true);
    expect(detail.body.attachments).toHaveLength(1);
    const answers = [detail.text, (await admin.call('GET', `/cases?q=${encodeURIComponent(number)}`)).text, (await admin.call('GET', '/cases')).text];
    for (const a of detail.body.attachments as Array<{ id: number; contentUrl?: string }>) {
      const file = await admin.call('GET', `/cases/${number}/attachments/${a.id}`);
      if (file.status !== 404) answers.push(file.headers.get('content-disposition') ?? '', file.status === 200 ? '' : file.text);
    }
    answers.push((await admin.call('GET', '/audit')).text);
    const viaToken = await fetch(`${server.url}/api/admin/cases/${number}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-actor': 'privacy-test' } });
    expect(viaToken.status).toBe(200);
    answers.push(await viaToken.text());
    for (const a of answers) expect(found(a)).toEqual([]);
  });

  it('tells the district of the tip-off with its first line only, and no notice or log line carries the sender', async () => {
    const notices = await server.db.query<{ district_code: string; payload: string }>('SELECT district_code, payload FROM notification WHERE subject_key = $1', [number]);
    expect(notices.map((n) => n.district_code)).toEqual(['4901']);
    expect(JSON.parse(notices[0]!.payload)).toMatchObject({ trackingNumber: number, category: 'tip_off', summary: TIP_STORY });
    const cards = server.emulator.delivered(DISTRICT_GROUP).map((d) => JSON.stringify(d.message));
    expect(cards.some((c) => c.includes(number))).toBe(true);
    for (const c of cards) expect(found(c)).toEqual([]);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((l) => found(l).length > 0).map((l) => l.slice(0, 300))).toEqual([]);
    expect(logLines.filter((l) => messageIds.some((id) => l.includes(id)))).toEqual([]);
  });

  it('tells only the province\'s supervisors of a complaint about an official, without its story or any place finer than the district', async () => {
    const citizen = newCitizen(server, 'th');
    for (const text of ['ร้องเรียน/แจ้งเรื่อง', 'พฤติกรรมเจ้าหน้าที่', OFFICIAL.story]) await say(server, citizen, text);
    await send(server, citizen, { type: 'location', latitude: 16.5453, longitude: 104.7235, title: OFFICIAL.place, address: 'ถนนพิทักษ์พนมเขต' });
    await say(server, citizen, 'ใช่');
    for (const text of ['เมื่อวาน', OFFICIAL.subject, 'ขอให้ตรวจสอบ', 'ไม่มี', OFFICIAL.name, '081-234-5678', NATIONAL_ID, OFFICIAL.address]) await say(server, citizen, text);
    const receipt = lines(await say(server, citizen, 'ส่งเรื่อง'));
    expect(receipt[0]).toMatch(/^\[flex\]/);
    const [row] = await server.db.query<{ tracking_number: string; confidential: boolean | number }>(`SELECT tracking_number, confidential FROM cases WHERE category = 'official_conduct'`);
    const official = row!.tracking_number;
    expect(Boolean(row!.confidential)).toBe(true);

    // 15 days without news: the case is past its deadline.
    clock.advance(16 * DAY);
    await runDueJobs(server, 'progress:', clock.now, citizen);
    await waitFor(async () => {
      const rows = await server.db.query<{ status: string }>(`SELECT status FROM notification WHERE subject_key LIKE $1`, [`${official}%`]);
      return rows.length === 2 && rows.every((r) => r.status === 'sent');
    }, 10_000, 'the new-case and overdue notices sent');

    const notices = await server.db.query<{ event: string; district_code: string; target: string; payload: string }>(
      `SELECT event, district_code, target, payload FROM notification WHERE subject_key LIKE $1 ORDER BY id`,
      [`${official}%`],
    );
    expect(notices.map((n) => [n.event, n.district_code, n.target])).toEqual([
      ['case.new', '4900', SUPERVISORS_GROUP],
      ['case.overdue', '4900', SUPERVISORS_GROUP],
    ]);
    for (const n of notices) {
      const payload = JSON.parse(n.payload) as Record<string, unknown>;
      expect(payload).toMatchObject({ trackingNumber: official, category: 'official_conduct', caseDistrict: '4901' });
      expect(payload.summary).toBeUndefined();
    }
    expect(server.emulator.delivered(DISTRICT_GROUP).some((d) => JSON.stringify(d.message).includes(official))).toBe(false);
    const cards = server.emulator.delivered(SUPERVISORS_GROUP).map((d) => JSON.stringify(d.message)).filter((c) => c.includes(official));
    expect(cards).toHaveLength(2);
    for (const card of cards) {
      expect(card).toContain('เมืองมุกดาหาร');
      expect(card).toContain('ศูนย์ดำรงธรรมจังหวัดมุกดาหาร');
      expect(card).toContain(`/console/cases/${official}`);
      for (const words of [OFFICIAL.story, OFFICIAL.place, 'ถนนพิทักษ์พนมเขต', OFFICIAL.subject, OFFICIAL.name, OFFICIAL.address, 'บางทรายใหญ่', '5678', 'เรียกเงิน']) {
        expect(card).not.toContain(words);
      }
    }
  });
});
