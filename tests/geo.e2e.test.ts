/**
 * A pin is a place, end to end: a complaint filed in the LINE emulator with a pin names the pin's place and is
 * confirmed with one tap; the case lies in that district, seen by its officer in the console and by no other
 * district's; moved to another district with a reason, both districts are told and the move is audited; a case
 * with no district (filed before pins were placed) waits in the province supervisor's "to place" list with the
 * district its pin lies in proposed. Without boundaries installed, the bot asks for the place by name and the
 * start-up log says so.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server';
import { engines } from './support/databases';
import { follow, lines, newCitizen, quick, say, send } from './support/citizen';
import { createAndSignIn, type ConsoleClient } from './support/console-client';
import { createConsoleAuth } from '../console/api/auth';
import { addTarget } from '../notify/targets';
import { fileCase } from '../cases/store';
import { createLogger } from '../runtime/logger';

const MARKET = { type: 'location' as const, latitude: 16.5453, longitude: 104.7235, title: 'ตลาดอินโดจีน', address: 'มุกดาหาร' };

describe.each(engines())('a pin is a place, on %s', (engine) => {
  let server: TestServer;
  let as: Record<'anan' | 'dao' | 'boss' | 'bkk', ConsoleClient>;
  let number = '';

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    for (const [district, group] of [['4901', `C${'a1'.repeat(16)}`], ['4903', `C${'b2'.repeat(16)}`]] as const) {
      await server.db.transaction((tx) => addTarget(tx, { districtCode: district, kind: 'line_group', address: group, actor: 'test' }, server.cipher, Date.now()));
    }
    const auth = createConsoleAuth({ db: server.db, logger: server.logger, limits: { apiPerSessionPerMinute: 10_000 } });
    ({ as } = await createAndSignIn({ base: server.url, auth, close: async () => {} }, [
      { username: 'anan', displayName: 'อนันต์', role: 'officer', districtCode: '4901' },
      { username: 'dao', displayName: 'ดาว', role: 'officer', districtCode: '4903' },
      { username: 'boss', displayName: 'หัวหน้า', role: 'supervisor', provinceCode: '49' },
      { username: 'bkk', displayName: 'กทม.', role: 'supervisor', provinceCode: '10' },
    ] as const));
  });
  afterAll(async () => server?.stop());

  it("names the pin's place, takes it with one tap, and files the case in that district", async () => {
    const user = newCitizen(server, 'th');
    await follow(server, user);
    for (const text of ['ร้องเรียน/แจ้งเรื่อง', 'ร้องเรียน/ร้องทุกข์', 'ไฟถนนหน้าตลาดดับมา 3 คืนแล้ว มืดมาก กลัวอันตรายค่ะ']) await say(server, user, text);
    const asked = await send(server, user, MARKET);
    expect(lines(asked)).toEqual(['ตำบลมุกดาหาร อำเภอเมืองมุกดาหาร ใช่ไหมคะ']);
    expect(quick(asked.at(-1))).toEqual(['✓ ใช่', 'ไม่ใช่', 'ยกเลิก']);
    expect(lines(await say(server, user, 'ใช่'))).toEqual(['เหตุการณ์เกิดขึ้นเมื่อวันที่เท่าไรคะ']);
    let summary: string[] = [];
    for (const text of ['เมื่อวาน', 'การไฟฟ้าส่วนภูมิภาค', 'ขอให้มาซ่อมไฟถนน', 'ไม่มี', 'สมศรี ใจดี', '081-234-5678', '99 หมู่ 2 ต.ศรีบุญเรือง อ.เมือง จ.มุกดาหาร']) {
      summary = lines(await say(server, user, text));
    }
    expect(summary[0]).toContain('• สถานที่: ตลาดอินโดจีน (ต.มุกดาหาร อ.เมืองมุกดาหาร จ.มุกดาหาร)');
    const receipt = lines(await say(server, user, 'ส่งเรื่อง'));
    number = /MDH-\d{4}-\d{6}-\d/.exec(receipt.join('\n'))![0];
    const [row] = await server.db.query<{ province_code: string; district_code: string; subdistrict_code: string }>(
      'SELECT province_code, district_code, subdistrict_code FROM cases WHERE tracking_number = $1',
      [number],
    );
    expect(row).toEqual({ province_code: '49', district_code: '4901', subdistrict_code: '490101' });
    const told = await server.db.query<{ district_code: string }>(`SELECT district_code FROM notification WHERE event = 'case.new' AND subject_key = $1`, [number]);
    expect(told.map((n) => n.district_code)).toEqual(['4901']);
  });

  it("is seen by its district's officer and by no other district's", async () => {
    const mine = await as.anan.call('GET', '/cases');
    expect(mine.body.cases.map((r: { number: string }) => r.number)).toContain(number);
    const theirs = await as.dao.call('GET', '/cases');
    expect(theirs.body.cases.map((r: { number: string }) => r.number)).not.toContain(number);
    expect((await as.dao.call('GET', `/cases/${number}`)).status).toBe(404);
    expect((await as.dao.call('POST', `/cases/${number}/district`, { district: '4903', reason: 'ของอำเภอเรา' })).status).toBe(404);
  });

  it('moves to another district with a reason: both districts told, audited, on the timeline', async () => {
    expect((await as.anan.call('POST', `/cases/${number}/district`, { district: '4903' })).status).toBe(400);
    expect((await as.anan.call('POST', `/cases/${number}/district`, { district: '4901', reason: 'ที่เดิม' })).status).toBe(409);
    const moved = await as.anan.call('POST', `/cases/${number}/district`, { district: '4903', reason: 'ผู้ร้องแจ้งว่าไฟดับที่ตลาดดอนตาล ไม่ใช่ในเมือง' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ from: { code: '4901', th: 'เมืองมุกดาหาร' }, to: { code: '4903', th: 'ดอนตาล' }, stillVisible: false });

    const notices = await server.db.query<{ district_code: string; payload: string }>(
      `SELECT district_code, payload FROM notification WHERE event = 'case.moved' ORDER BY district_code`,
    );
    expect(notices.map((n) => n.district_code)).toEqual(['4901', '4903']);
    expect(JSON.parse(notices[0]!.payload)).toMatchObject({ trackingNumber: number, movedFrom: '4901', caseDistrict: '4903', reason: 'ผู้ร้องแจ้งว่าไฟดับที่ตลาดดอนตาล ไม่ใช่ในเมือง' });
    const [audit] = await server.db.query<{ action: string; target: string; detail: string }>(`SELECT action, target, detail FROM audit_log WHERE action = 'case.move'`);
    expect(audit).toMatchObject({ target: number });
    expect(JSON.parse(audit!.detail)).toMatchObject({ from: '4901', to: '4903' });

    // Now the other district's, and no longer the first's.
    expect((await as.anan.call('GET', `/cases/${number}`)).status).toBe(404);
    const file = await as.dao.call('GET', `/cases/${number}`);
    expect(file.status).toBe(200);
    expect(file.body.timeline.at(-1)).toMatchObject({ kind: 'moved', note: 'ผู้ร้องแจ้งว่าไฟดับที่ตลาดดอนตาล ไม่ใช่ในเมือง', public: false });
    const district = await as.dao.call('GET', `/cases/${number}/district`);
    expect(district.body).toMatchObject({ district: { code: '4903' }, moves: [{ from: { code: '4901' }, to: { code: '4903' } }] });
    expect(district.body.choices).toHaveLength(7);
  });

  it("lists a case with no district for its province's supervisor, with its pin's district proposed, to be placed", async () => {
    // Filed before pins were placed: the pin kept, no district.
    const old = await server.db.transaction((tx) =>
      fileCase(tx, server.cipher, {
        lineUserId: 'U' + 'e5'.repeat(16), locale: 'th', flow: { id: 'complaint', version: 1 }, now: Date.now(), prefix: 'MDH', dueDays: 15,
        slots: { category: 'complaint', story: 'ถนนเป็นหลุมลึก รถล้มบ่อย', where: { source: 'line', latitude: 16.3165, longitude: 104.9202, label: 'ถนนหน้าอำเภอ' } },
      }),
    );
    expect((await as.anan.call('GET', '/cases-to-place')).status).toBe(403);
    expect((await as.bkk.call('GET', '/cases-to-place')).body.cases).toEqual([]);
    const list = await as.boss.call('GET', '/cases-to-place');
    expect(list.body.cases).toEqual([
      expect.objectContaining({ trackingNumber: old.trackingNumber, summary: 'ถนนเป็นหลุมลึก รถล้มบ่อย', province: expect.objectContaining({ code: '49' }), proposed: expect.objectContaining({ code: '4903', th: 'ดอนตาล' }) }),
    ]);
    expect((await as.bkk.call('POST', `/cases/${old.trackingNumber}/district`, { district: '4903', reason: 'ตามตำแหน่ง' })).status).toBe(404);
    expect((await as.boss.call('POST', `/cases/${old.trackingNumber}/district`, { district: '4903', reason: 'ตามตำแหน่งที่ผู้ร้องส่ง' })).status).toBe(200);
    expect((await as.boss.call('GET', '/cases-to-place')).body.cases).toEqual([]);
    expect((await as.dao.call('GET', `/cases/${old.trackingNumber}`)).status).toBe(200);
    const told = await server.db.query<{ district_code: string }>(`SELECT district_code FROM notification WHERE event = 'case.moved' AND subject_key LIKE $1`, [`${old.trackingNumber}:%`]);
    expect(told.map((n) => n.district_code)).toEqual(['4903']);
  });
});

describe('with no boundaries installed', () => {
  let server: TestServer;
  const log: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => void (log.push(String(chunk)), done()) });
    server = await startTestServer('sqlite', { BOUNDARIES_DIR: '/nonexistent/boundaries' }, { logger: createLogger('info', sink, { pretty: false }) });
  });
  afterAll(async () => server?.stop());

  it('says so in the start-up log, and asks for a pin\'s place by name', async () => {
    expect(log.join('')).toContain('no boundaries installed (BOUNDARIES_DIR): a LINE location pin is not placed, the bot asks for the place by name');
    const user = newCitizen(server, 'th');
    await follow(server, user);
    for (const text of ['ร้องเรียน/แจ้งเรื่อง', 'ร้องเรียน/ร้องทุกข์', 'ไฟถนนหน้าตลาดดับมา 3 คืนแล้ว มืดมาก กลัวอันตรายค่ะ']) await say(server, user, text);
    expect(lines(await send(server, user, MARKET))).toEqual(['ได้รับตำแหน่งแล้วค่ะ ขอทราบชื่อตำบลและอำเภอที่เกิดเหตุด้วยค่ะ เช่น ต.บางทรายใหญ่ อ.เมือง จ.มุกดาหาร']);
    expect(lines(await say(server, user, 'ต.บางทรายใหญ่ อ.เมือง จ.มุกดาหาร'))).toEqual(['เหตุการณ์เกิดขึ้นเมื่อวันที่เท่าไรคะ']);
  });
});
