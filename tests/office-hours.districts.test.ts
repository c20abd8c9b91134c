import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_HOURS, firstAnswerDeadline, officeHoursFrom, officeStatus } from '../office/hours';
import { publicHolidaysOf } from '../office/holidays';
import { CACHE_MS, DistrictOfficeStore, InvalidDistrictOfficeError, type DistrictOfficeConfig } from '../office/store';
import { chatDistrict } from '../office/chat-district';
import { OfficerStore, CLI_ACTOR } from '../console/auth/officers';
import { addTarget } from '../notify/targets';
import { groupCard, webhookBody } from '../notify/messages';
import { engines, newTestDatabase } from './support/databases';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { login, OFFICER_PASSWORD, type ConsoleClient } from './support/console-client';
import { fileComplaint, follow, lines, MINUTE, MovableClock, newCitizen, runDueJobs, say } from './support/citizen';
import type { Database } from '../storage/database';

/** A Bangkok wall-clock time, as an officer reads it. */
const at = (iso: string) => Date.parse(`${iso}+07:00`);

const hours = (over: Partial<DistrictOfficeConfig> = {}): DistrictOfficeConfig => ({
  opens: 8 * 60,
  closes: 12 * 60,
  weekdays: [1, 2, 3, 4, 5],
  answerMinutes: 20,
  holidays: [],
  ...over,
});

describe('the first answer of a handoff is due by what the citizen was told', () => {
  it('in office hours: the answer minutes after asking, even when they run past closing', () => {
    expect(firstAnswerDeadline(DEFAULT_OFFICE_HOURS, at('2026-11-25T10:00:00'))).toBe(at('2026-11-25T10:30:00'));
    expect(firstAnswerDeadline(DEFAULT_OFFICE_HOURS, at('2026-11-25T16:20:00'))).toBe(at('2026-11-25T16:50:00'));
  });

  it('outside them: the answer minutes after the office opens, over weekends and public holidays', () => {
    expect(firstAnswerDeadline(DEFAULT_OFFICE_HOURS, at('2026-11-27T19:00:00'))).toBe(at('2026-11-30T09:00:00'));
    expect(firstAnswerDeadline(DEFAULT_OFFICE_HOURS, at('2026-12-05T12:00:00'))).toBe(at('2026-12-08T09:00:00'));
  });

  it("on a district's own holiday: closed that day, due the next working day", () => {
    const store = new DistrictOfficeStore(officeHoursFrom({ hours: '08:30-16:30', answerMinutes: 30, extraHolidays: ['2026-12-01'] }));
    const h = store.merge(hours({ holidays: [{ day: '2026-11-26', name: 'งานประจำปีอำเภอ' }] }));
    expect(officeStatus(h, at('2026-11-26T10:00:00'))).toEqual({ open: false, opensAt: at('2026-11-27T08:00:00') });
    expect(firstAnswerDeadline(h, at('2026-11-26T10:00:00'))).toBe(at('2026-11-27T08:20:00'));
    // The settings' extra closed days still close the district.
    expect(officeStatus(h, at('2026-12-01T10:00:00')).open).toBe(false);
  });

  it('lists the public holidays of the years asked, in date order', () => {
    const list = publicHolidaysOf([2027]);
    expect(list[0]).toEqual({ day: '2027-01-01', name: 'วันขึ้นปีใหม่' });
    expect(list.every((h) => h.day.startsWith('2027-'))).toBe(true);
    expect(list.map((h) => h.day)).toEqual([...list.map((h) => h.day)].sort());
  });
});

describe.each(engines())('district office hours in the database, on %s', (engine) => {
  let db: Database;
  const testDb = newTestDatabase(engine);

  beforeAll(async () => {
    db = await testDb.open();
  });
  afterAll(async () => {
    await db?.close();
    await testDb.drop();
  });

  it("keeps the defaults for a district without hours of its own, and a save reaches this process's readers at once", async () => {
    const store = new DistrictOfficeStore(DEFAULT_OFFICE_HOURS);
    expect(await store.anyCustomCached(db)).toBe(false);
    expect(await store.hoursCached(db, '4901')).toBe(DEFAULT_OFFICE_HOURS);
    await db.transaction((tx) => store.save(tx, '4901', hours({ weekdays: [2, 1, 3], holidays: [{ day: '2026-11-26', name: 'วันหยุดอำเภอ' }] }), 'boss', 1));
    expect(await store.anyCustomCached(db)).toBe(true);
    expect(await store.hoursCached(db, '4901')).toMatchObject({ opens: 480, closes: 720, weekdays: [1, 2, 3], answerMinutes: 20, holidays: { '2026-11-26': 'วันหยุดอำเภอ' } });
    expect(await store.read(db, '4901')).toMatchObject({ updatedBy: 'boss', updatedAt: 1, holidays: [{ day: '2026-11-26', name: 'วันหยุดอำเภอ' }] });
    expect(await store.hoursCached(db, '4902')).toBe(DEFAULT_OFFICE_HOURS);
  });

  it('reaches another process within the cache time', async () => {
    const mine = new DistrictOfficeStore(DEFAULT_OFFICE_HOURS);
    const theirs = new DistrictOfficeStore(DEFAULT_OFFICE_HOURS);
    expect((await theirs.hoursCached(db, '4903')).answerMinutes).toBe(DEFAULT_OFFICE_HOURS.answerMinutes);
    await db.transaction((tx) => mine.save(tx, '4903', hours({ answerMinutes: 90 }), 'boss', 2));
    await new Promise((r) => setTimeout(r, CACHE_MS + 50));
    expect((await theirs.hoursCached(db, '4903')).answerMinutes).toBe(90);
  });

  it('refuses hours that cannot be, whoever calls', async () => {
    const store = new DistrictOfficeStore(DEFAULT_OFFICE_HOURS);
    for (const bad of [hours({ opens: 720, closes: 480 }), hours({ weekdays: [] }), hours({ weekdays: [0] }), hours({ answerMinutes: 4 })]) {
      await expect(db.transaction((tx) => store.save(tx, '4904', bad, 'boss', 3))).rejects.toBeInstanceOf(InvalidDistrictOfficeError);
    }
    expect(await store.read(db, '4904')).toBeNull();
  });

  it("finds a chat's district from the citizen's latest case, else the center's", async () => {
    expect(await chatDistrict(db, 'U-nobody', '4901')).toBe('4901');
    expect(await chatDistrict(db, 'U-nobody', null)).toBeNull();
  });
});

describe.each(engines())('each district keeps its own office hours, through the real server at a controlled clock, on %s', (engine) => {
  let server: TestServer;
  const clock = new MovableClock();
  const groups = { '4901': `C${'e5'.repeat(16)}`, '4902': `C${'f6'.repeat(16)}` };
  let boss: ConsoleClient; // supervisor of province 49
  let somsri: ConsoleClient; // officer of 4901, the center's district
  let niran: ConsoleClient; // officer of 4902
  const handoffOf = async (chatId: string) => {
    const [h] = await server.db.query<{ id: number; answer_by: number | null }>('SELECT id, answer_by FROM handoff_request WHERE chat_id = $1 ORDER BY id DESC LIMIT 1', [chatId]);
    return { id: Number(h!.id), answerBy: h!.answer_by === null ? null : Number(h!.answer_by) };
  };
  const notifications = (event: string) =>
    server.db.query<{ district_code: string; subject_key: string; status: string; payload: string }>(
      'SELECT district_code, subject_key, status, payload FROM notification WHERE event = $1 ORDER BY id',
      [event],
    );

  // Mukdahan's center (4901) works mornings; Nikhom Kham Soi (4902) afternoons.
  const morning = { opens: '08:00', closes: '12:00', weekdays: [1, 2, 3, 4, 5], answerMinutes: 20, holidays: [] };
  const afternoon = { opens: '13:00', closes: '16:00', weekdays: [1, 2, 3, 4, 5], answerMinutes: 45, holidays: [{ day: '2026-11-27', name: 'งานประจำปีอำเภอนิคมคำสร้อย' }] };

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901', SCHEDULER_POLL_MS: '100' }, { conversationClock: clock.now });
    const officers = new OfficerStore(server.db);
    await officers.create(CLI_ACTOR, { username: 'boss', displayName: 'หัวหน้า', role: 'supervisor', provinceCode: '49', password: OFFICER_PASSWORD });
    await officers.create(CLI_ACTOR, { username: 'somsri', displayName: 'สมศรี', role: 'officer', districtCode: '4901', password: OFFICER_PASSWORD });
    await officers.create(CLI_ACTOR, { username: 'niran', displayName: 'นิรันดร์', role: 'officer', districtCode: '4902', password: OFFICER_PASSWORD });
    for (const [district, group] of Object.entries(groups)) {
      await server.db.transaction((tx) => addTarget(tx, { districtCode: district, kind: 'line_group', address: group, actor: 'test' }, server.cipher, Date.now()));
    }
    boss = await login(server.url, 'boss');
    somsri = await login(server.url, 'somsri');
    niran = await login(server.url, 'niran');
  }, 30_000);
  afterAll(async () => server?.stop());

  it('stores office hours through the console API for who may configure the district, and says why it refuses bad ones', async () => {
    clock.time = at('2026-11-20T09:00:00'); // the public-holiday list covers 2026 and 2027
    const before = await boss.call('GET', '/districts/4902/office-hours');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ districtCode: '4902', custom: false, opens: '08:30', closes: '16:30', weekdays: [1, 2, 3, 4, 5], answerMinutes: 30, holidays: [] });
    const year = new Date(clock.now()).getUTCFullYear();
    const publicDays: string[] = before.body.publicHolidays.map((h: { day: string }) => h.day);
    expect(publicDays.some((d) => d.startsWith(`${year}-`)) || publicDays.some((d) => d.startsWith(`${year + 1}-`))).toBe(true);
    expect(publicDays.every((d) => d.startsWith(`${year}-`) || d.startsWith(`${year + 1}-`))).toBe(true);

    expect((await boss.call('PUT', '/districts/4901/office-hours', morning)).status).toBe(200);
    const saved = await boss.call('PUT', '/districts/4902/office-hours', afternoon);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ ...afternoon, custom: true, updatedBy: 'boss' });
    expect((await boss.call('GET', '/districts/4902/office-hours')).body).toMatchObject({ ...afternoon, custom: true });

    // Officers do not configure their district; a supervisor only configures her province.
    expect((await somsri.call('GET', '/districts/4901/office-hours')).status).toBe(403);
    expect((await somsri.call('PUT', '/districts/4901/office-hours', morning)).status).toBe(403);
    expect((await boss.call('PUT', '/districts/1001/office-hours', morning)).status).toBe(403);
    // A district that is not in the DOPA list does not exist.
    expect((await boss.call('PUT', '/districts/4999/office-hours', morning)).status).toBe(404);

    const refused: Array<[unknown, RegExp]> = [
      [{ ...morning, opens: '12:00', closes: '08:00' }, /closes: the office must open before it closes/],
      [{ ...morning, opens: '8.30' }, /opens: a time of day such as 08:30/],
      [{ ...morning, weekdays: [0, 1] }, /weekdays\.0: weekdays are 1 \(Monday\) to 7 \(Sunday\)/],
      [{ ...morning, weekdays: [] }, /weekdays: at least one working day/],
      [{ ...morning, weekdays: [1, 1] }, /weekdays: each weekday once/],
      [{ ...morning, answerMinutes: 4 }, /answerMinutes: at least 5 minutes/],
      [{ ...morning, answerMinutes: 1441 }, /answerMinutes: at most 1440/],
      [{ ...morning, holidays: [{ day: '2026-02-30', name: 'วันที่ไม่มีจริง' }] }, /holidays\.0\.day: a day such as 2026-12-08/],
      [{ ...morning, holidays: [{ day: '2026-12-08', name: '  ' }] }, /holidays\.0\.name: a holiday needs a name/],
      [{ ...morning, holidays: Array.from({ length: 301 }, (_, i) => ({ day: new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10), name: 'หยุด' })) }, /holidays: at most 300/],
      [{ ...morning, holidays: [{ day: '2026-12-08', name: 'ก' }, { day: '2026-12-08', name: 'ข' }] }, /holidays\.1\.day: each day once/],
      [{ ...morning, extra: true }, /Unrecognized key/i],
      [[morning], /Invalid office hours/],
    ];
    for (const [body, reason] of refused) {
      const res = await boss.call('PUT', '/districts/4903/office-hours', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.message).toMatch(reason);
    }
    expect((await boss.call('GET', '/districts/4903/office-hours')).body.custom).toBe(false);
  });

  let manee: string; // no case: the center's district, 4901
  let somchai: string; // a case in 4902
  let dara: string; // no case: 4901, answered in time

  it('tells a citizen asking for an officer the hours of her district: open now in one, opening this afternoon in another', async () => {
    somchai = newCitizen(server, 'th', 'สมชาย');
    clock.time = at('2026-11-25T09:00:00'); // a Wednesday
    const number = await fileComplaint(server, somchai, 'th');
    await server.db.query('UPDATE cases SET district_code = $1 WHERE tracking_number = $2', ['4902', number]);

    clock.time = at('2026-11-25T10:00:00');
    manee = newCitizen(server, 'th', 'มานี');
    await follow(server, manee);
    const toManee = lines(await say(server, manee, 'ติดต่อเจ้าหน้าที่'));
    expect(toManee[0]).toMatch(/^รับทราบค่ะ เจ้าหน้าที่ศูนย์ดำรงธรรมจะเข้ามาตอบในแชทนี้ โดยปกติภายใน 20 นาที/);
    const toSomchai = lines(await say(server, somchai, 'ติดต่อเจ้าหน้าที่'));
    expect(toSomchai[0]).toContain('ขณะนี้อยู่นอกเวลาราชการ ศูนย์ดำรงธรรมจะเปิดทำการวันพุธที่ 25 พฤศจิกายน 2569 เวลา 13:00 น.');

    // The deadline is fixed on each handoff: 20 minutes after Manee asked; 45 after 4902 opens for Somchai.
    const m = await handoffOf(manee);
    expect(m.answerBy! - at('2026-11-25T10:20:00')).toBeGreaterThanOrEqual(0);
    expect(m.answerBy! - at('2026-11-25T10:20:00')).toBeLessThan(MINUTE);
    expect((await handoffOf(somchai)).answerBy).toBe(at('2026-11-25T13:45:00'));

    // Each district's officers hear of their own citizen.
    await waitFor(async () => (await notifications('handoff.requested')).length === 2, 10_000, 'two handoff notifications');
    expect((await notifications('handoff.requested')).map((n) => n.district_code)).toEqual(['4901', '4902']);
  });

  it("shows each handoff's answer-by time in its district's queue, and how long it is overdue once passed with no reply", async () => {
    const mine = (await somsri.call('GET', '/handoffs')).body.handoffs;
    expect(mine).toHaveLength(1);
    const m = await handoffOf(manee);
    expect(mine[0]).toMatchObject({ id: m.id, districtCode: '4901', answerBy: m.answerBy, answered: false, overdue: false, overdueSeconds: 0 });
    expect((await niran.call('GET', '/handoffs')).body.handoffs).toEqual([
      expect.objectContaining({ districtCode: '4902', answerBy: at('2026-11-25T13:45:00'), overdue: false }),
    ]);
  });

  it('notifies the district once when nobody has answered by the deadline, and not when an officer replied first', async () => {
    dara = newCitizen(server, 'th', 'ดารา');
    await follow(server, dara);
    await say(server, dara, 'ติดต่อเจ้าหน้าที่');
    const d = await handoffOf(dara);
    expect((await somsri.call('POST', `/handoffs/${d.id}/claim`)).status).toBe(200);
    expect((await somsri.call('POST', `/handoffs/${d.id}/reply`, { text: 'สวัสดีค่ะ เจ้าหน้าที่รับเรื่องแล้วค่ะ' })).status).toBe(201);

    clock.advance(25 * MINUTE);
    await runDueJobs(server, 'handoff-answer:', clock.now);
    const m = await handoffOf(manee);
    await waitFor(async () => (await notifications('handoff.overdue')).some((n) => n.status === 'sent'), 10_000, 'the overdue card sent');
    const overdue = await notifications('handoff.overdue');
    expect(overdue.map((n) => [n.district_code, n.subject_key])).toEqual([['4901', `handoff:${m.id}`]]);
    expect(JSON.parse(overdue[0]!.payload)).toMatchObject({ handoffId: m.id, answerBy: m.answerBy });

    // The card in the district's group says who waits too long and since when, with no personal numbers.
    const card = server.emulator.delivered(groups['4901']).map((x) => x.message as { altText?: string }).find((x) => x.altText?.startsWith('ผู้ร้องรอเจ้าหน้าที่ตอบเกินเวลาที่แจ้งไว้'));
    expect(card).toBeDefined();
    expect(JSON.stringify(card)).toContain('กำหนดตอบ');
    expect(JSON.stringify(card)).not.toMatch(/081-?234-?5678/);

    // The queue shows it overdue (Dara's, answered, is not).
    const queue = (await somsri.call('GET', '/handoffs')).body.handoffs as Array<{ id: number; overdue: boolean; overdueSeconds: number }>;
    const byId = new Map(queue.map((h) => [h.id, h]));
    expect(byId.get(m.id)).toMatchObject({ overdue: true });
    expect(byId.get(m.id)!.overdueSeconds).toBeGreaterThanOrEqual(4 * 60);
    expect(byId.get(d.id)).toMatchObject({ answered: true, overdue: false, overdueSeconds: 0 });

    // Waking again tells nobody twice; Somchai's district hears when its own deadline passes.
    await runDueJobs(server, 'handoff-answer:', clock.now);
    expect(await notifications('handoff.overdue')).toHaveLength(1);
    clock.time = at('2026-11-25T13:50:00');
    await runDueJobs(server, 'handoff-answer:', clock.now);
    expect((await notifications('handoff.overdue')).map((n) => n.district_code)).toEqual(['4901', '4902']);
    await runDueJobs(server, 'handoff-answer:', clock.now);
    expect(await notifications('handoff.overdue')).toHaveLength(2);
  });

  it("closes a district on its own holiday, from the moment it is saved", async () => {
    clock.time = at('2026-11-25T10:30:00');
    expect((await boss.call('PUT', '/districts/4901/office-hours', { ...morning, holidays: [{ day: '2026-11-25', name: 'วันหยุดราชการพิเศษ' }] })).status).toBe(200);
    const wanida = newCitizen(server, 'th', 'วนิดา');
    await follow(server, wanida);
    const told = lines(await say(server, wanida, 'ติดต่อเจ้าหน้าที่'));
    expect(told[0]).toContain('ขณะนี้อยู่นอกเวลาราชการ ศูนย์ดำรงธรรมจะเปิดทำการวันพฤหัสบดีที่ 26 พฤศจิกายน 2569 เวลา 08:00 น.');
    expect((await handoffOf(wanida)).answerBy).toBe(at('2026-11-26T08:20:00'));
  });
});

describe('the handoff.overdue notification', () => {
  const n = { event: 'handoff.overdue' as const, districtCode: '4901', subjectKey: 'handoff:7', payload: { at: at('2026-11-25T10:00:00'), summary: 'requested โทร 0891234567', handoffId: 7, answerBy: at('2026-11-25T10:20:00') } };

  it('is a card with the answer-by time in B.E., the reason masked, and a button to the console', () => {
    const card = JSON.stringify(groupCard(n, 'https://echannel.example.go.th'));
    expect(card).toContain('ผู้ร้องรอเจ้าหน้าที่ตอบเกินเวลาที่แจ้งไว้');
    expect(card).toContain('25 พ.ย. 2569 เวลา 10:20 น.');
    expect(card).toContain('"uri":"https://echannel.example.go.th/console"');
    expect(card).not.toContain('0891234567');
  });

  it('gives machines the handoff and its deadline in ISO time', () => {
    const body = JSON.parse(webhookBody(n, 1, at('2026-11-25T10:21:00'), 'https://echannel.example.go.th'));
    expect(body).toMatchObject({ event: 'handoff.overdue', case: null, handoff: { id: '7', answerBy: '2026-11-25T03:20:00.000Z' } });
    expect(body.handoff.reason).not.toContain('0891234567');
  });
});
