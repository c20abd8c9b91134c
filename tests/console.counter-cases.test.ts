/**
 * Cases recorded in the console from the other channels (cases/counter.ts, console/api/cases/record.ts), against
 * the real server and its LINE emulator: one register and one number sequence with the bot's; every field read by
 * the bot's parsers and every problem named at once; scans checked by their bytes and kept encrypted; officers for
 * their own district, supervisors for their province; each filing and print audited; the channel in the list and
 * the detail; the receipt's QR link; and the walk-in's case tracked on LINE, linked to the chat (its status changes
 * then pushed there), unlinked by the citizen and by an officer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { parseTrackingNumber } from '../flows/inputs/tracking-number';
import { jobsByKeyPrefix } from '../scheduler/jobs';
import { fileComplaint, lines, newCitizen, quick, received, say, tap } from './support/citizen';
import { login, OFFICER_PASSWORD, type ConsoleClient } from './support/console-client';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
const SCAN = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const EXE = Buffer.from('4d5a90000300000004000000ffff0000', 'hex');

const WALK_IN = {
  channel: 'walk_in',
  category: 'complaint',
  story: 'ถนนในหมู่บ้านเป็นหลุมลึก น้ำท่วมขังทุกครั้งที่ฝนตก รถจักรยานยนต์ล้มบ่อย',
  occurredOn: '20/11/2569',
  placeProvince: '49',
  placeDistrict: '4901',
  placeSubdistrict: '490101',
  placeDetail: 'หน้าโรงเรียนบ้านนาโด่',
  subject: 'องค์การบริหารส่วนตำบล',
  request: 'ขอให้ซ่อมถนน',
  fullName: 'บุญมี ขยันดี',
  phone: '081 234 1234',
  nationalId: '1-1017-00230-70-8',
  address: '99 หมู่ 2 ต.ศรีบุญเรือง อ.เมืองมุกดาหาร จ.มุกดาหาร',
};

type Files = Array<{ name: string; bytes: Buffer; type: string }>;

/** The console's own way: a multipart form with the session cookie and CSRF token. */
async function record(server: TestServer, who: ConsoleClient, fields: Record<string, string>, files: Files = []) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  const res = await fetch(`${server.url}/console/api/cases`, { method: 'POST', headers: { cookie: who.cookie, 'x-csrf-token': who.csrf }, body: form });
  const body = (res.headers.get('content-type') ?? '').includes('json') ? await res.json() : null;
  return { status: res.status, body };
}

describe.each(engines())('cases recorded from the other channels (%s)', (engine) => {
  let server: TestServer;
  const as: Record<string, ConsoleClient> = {};
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    const officers = new OfficerStore(server.db);
    for (const o of [
      { username: 'somsri', displayName: 'สมศรี ใจดี', role: 'officer', districtCode: '4901' },
      { username: 'niran', displayName: 'นิรันดร์ มั่นคง', role: 'officer', districtCode: '4902' },
      { username: 'boss', displayName: 'หัวหน้า มุกดาหาร', role: 'supervisor', provinceCode: '49' },
    ] as const) {
      ids[o.username] = (await officers.create(CLI_ACTOR, { ...o, password: OFFICER_PASSWORD })).id;
      as[o.username] = await login(server.url, o.username);
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  const seq = (number: string) => {
    const parsed = parseTrackingNumber(number);
    if (!parsed.ok) throw new Error(`not a number: ${number}`);
    return parsed.value.seq;
  };
  const audit = (action: string, target: string) =>
    server.db.query<{ officer_id: number | string; detail: string | null }>('SELECT officer_id, detail FROM audit_log WHERE action = $1 AND target = $2', [action, target]);

  let walkIn = '';

  it('files a walk-in with a scanned letter and a photo in the same sequence as the bot, its numbers and files encrypted', async () => {
    const citizen = newCitizen(server, 'th', 'ผู้ร้องไลน์');
    const online = await fileComplaint(server, citizen, 'th');
    const res = await record(server, as.somsri!, WALK_IN, [
      { name: 'หนังสือร้องเรียน.pdf', bytes: SCAN, type: 'application/pdf' },
      { name: 'ถนน.jpg', bytes: JPEG, type: 'image/jpeg' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    walkIn = res.body.number;
    expect(seq(walkIn)).toBe(seq(online) + 1);
    expect(res.body).toMatchObject({ receipt: `/cases/${walkIn}/receipt`, intakeForm: `/cases/${walkIn}/intake-form.pdf` });

    const [row] = await server.db.query<Record<string, unknown>>(
      `SELECT id, channel, citizen_id, district_code, province_code, subdistrict_code, occurred_on, complainant_name, phone_enc, phone_last4, national_id_enc, flow_id, story
         FROM cases WHERE tracking_number = $1`,
      [walkIn],
    );
    expect(row).toMatchObject({ channel: 'walk_in', citizen_id: null, district_code: '4901', province_code: '49', subdistrict_code: '490101', occurred_on: '2026-11-20', phone_last4: '1234', flow_id: null });
    expect(server.cipher.reveal(row!.complainant_name as string)).toBe('บุญมี ขยันดี');
    expect(row!.complainant_name).not.toContain('บุญมี');
    expect(server.cipher.decrypt(row!.phone_enc as string)).toBe('+66812341234');
    expect(server.cipher.decrypt(row!.national_id_enc as string)).toBe('1101700230708');

    const [created] = await server.db.query<{ actor_type: string; actor_id: string }>(`SELECT actor_type, actor_id FROM case_event WHERE case_id = $1 AND kind = 'created'`, [row!.id]);
    expect(created).toEqual({ actor_type: 'officer', actor_id: String(ids.somsri) });
    const files = await server.db.query<{ content_type: string; file_name: string; line_message_id: string | null; bytes: Buffer }>(
      'SELECT content_type, file_name, line_message_id, bytes FROM attachment WHERE case_id = $1 ORDER BY id',
      [row!.id],
    );
    expect(files.map((f) => [f.content_type, f.file_name, f.line_message_id])).toEqual([
      ['application/pdf', 'หนังสือร้องเรียน.pdf', null],
      ['image/jpeg', 'ถนน.jpg', null],
    ]);
    expect(Buffer.from(files[0]!.bytes).includes(SCAN)).toBe(false);
    expect(server.cipher.decryptBytes(files[0]!.bytes)).toEqual(SCAN);

    const [entry] = await audit('case.record', walkIn);
    expect(Number(entry!.officer_id)).toBe(ids.somsri);
    expect(JSON.parse(entry!.detail!)).toEqual({ channel: 'walk_in', district: '4901', files: 2 });
    expect((await jobsByKeyPrefix(server.db, `progress:${walkIn}`)).map((j) => j.status)).toEqual(['pending']);
  });

  it('names every problem of the form at once, in the bot\'s own terms, and files nothing', async () => {
    const res = await record(server, as.somsri!, {
      ...WALK_IN,
      category: 'justice',
      story: 'สั้น',
      occurredOn: '1/1/2580',
      placeSubdistrict: '340101',
      phone: '12345',
      nationalId: '1101700230709',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'story', message: 'too_short' },
      { path: 'occurredOn', message: 'future' },
      { path: 'placeSubdistrict', message: 'unknown_place' },
      { path: 'consent', message: 'consent_required' },
      { path: 'phone', message: 'unknown_prefix' },
      { path: 'nationalId', message: 'checksum' },
    ]);
    const next = await record(server, as.somsri!, { ...WALK_IN, channel: 'hotline' });
    expect(seq(next.body.number)).toBe(seq(walkIn) + 1); // the refused form took no number
  });

  it('checks files by their bytes, not their names, and refuses one too large or too many', async () => {
    const exe = await record(server, as.somsri!, WALK_IN, [{ name: 'scan.jpg', bytes: EXE, type: 'image/jpeg' }]);
    expect(exe).toMatchObject({ status: 400, body: { errors: [{ path: 'files.0', message: 'file_type' }] } });
    const big = await record(server, as.somsri!, WALK_IN, [{ name: 'big.pdf', bytes: Buffer.concat([SCAN, Buffer.alloc(10 * 1024 * 1024)]), type: 'application/pdf' }]);
    expect(big.status).toBe(413);
    const many = await record(server, as.somsri!, WALK_IN, Array.from({ length: 11 }, (_, i) => ({ name: `p${i}.jpg`, bytes: JPEG, type: 'image/jpeg' })));
    expect(many.status).toBe(413);
  });

  it('takes JSON too, with a small file in base64', async () => {
    const res = await as.somsri!.call('POST', '/cases', { ...WALK_IN, channel: 'email', files: [{ fileName: 'photo.jpg', base64: JPEG.toString('base64') }] });
    expect(res.status).toBe(201);
    const [row] = await server.db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM attachment a JOIN cases c ON c.id = a.case_id WHERE c.tracking_number = $1', [res.body.number]);
    expect(Number(row!.n)).toBe(1);
  });

  it('lets officers record for their own district only, complaints about officials only supervisors, and supervisors for their province', async () => {
    expect(await record(server, as.niran!, { ...WALK_IN, districtCode: '4901' })).toMatchObject({ status: 403, body: { errors: [{ path: 'districtCode', message: 'not_your_district' }] } });
    expect(await record(server, as.somsri!, { ...WALK_IN, category: 'official_conduct' })).toMatchObject({
      status: 403,
      body: { errors: [{ path: 'category', message: 'confidential_for_supervisors' }] },
    });
    expect((await record(server, as.boss!, { ...WALK_IN })).body.errors).toEqual([{ path: 'districtCode', message: 'unknown_district' }]);
    const supervisors = await record(server, as.boss!, { ...WALK_IN, districtCode: '4903', category: 'official_conduct', channel: 'letter' });
    expect(supervisors.status).toBe(201);
    const [row] = await server.db.query<{ district_code: string; confidential: unknown }>('SELECT district_code, confidential FROM cases WHERE tracking_number = $1', [supervisors.body.number]);
    expect({ district: row!.district_code, confidential: Boolean(row!.confidential) }).toEqual({ district: '4903', confidential: true });
    expect((await record(server, as.boss!, { ...WALK_IN, districtCode: '3401' })).status).toBe(403);
    // Without a CSRF token, nothing.
    const form = new FormData();
    form.append('channel', 'walk_in');
    expect((await fetch(`${server.url}/console/api/cases`, { method: 'POST', headers: { cookie: as.somsri!.cookie }, body: form })).status).toBe(403);
  });

  it('shows the channel in the list and the detail', async () => {
    const list = await as.somsri!.call('GET', `/cases?q=${walkIn}`);
    expect(list.body.cases.map((c: { number: string; channel: string }) => [c.number, c.channel])).toEqual([[walkIn, 'walk_in']]);
    const hotlines = await as.somsri!.call('GET', '/cases?channel=hotline');
    expect(hotlines.body.cases.every((c: { channel: string }) => c.channel === 'hotline')).toBe(true);
    expect(hotlines.body.total).toBeGreaterThan(0);
    const detail = await as.somsri!.call('GET', `/cases/${walkIn}`);
    expect(detail.body).toMatchObject({ channel: 'walk_in', lineLinked: false, complainant: { phone: '+66812341234', nationalId: '1101700230708' } });
  });

  it("prints a receipt whose QR opens the center's LINE chat with the tracking message typed, and audits it", async () => {
    const res = await as.somsri!.call('GET', `/cases/${walkIn}/receipt`);
    expect(res.status).toBe(200);
    expect(res.body.track.lineUrl).toBe(`https://line.me/R/oaMessage/@emulator/?${encodeURIComponent(`ติดตาม ${walkIn}`)}`);
    expect(res.body.track.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(res.body.track.qr.split(',')[1], 'base64').toString()).toContain('<svg');
    expect(res.body).toMatchObject({ number: walkIn, channel: 'walk_in', complainantName: 'บุญมี ขยันดี', center: { districtCode: '4901', th: 'อำเภอเมืองมุกดาหาร จังหวัดมุกดาหาร' } });
    expect(JSON.stringify(res.body)).not.toContain('1234');
    expect(await audit('case.print_receipt', walkIn)).toHaveLength(1);
    expect((await as.niran!.call('GET', `/cases/${walkIn}/receipt`)).status).toBe(404);
  });

  it('lets the walk-in track the case on LINE with the phone check, link it, and then receive the officer’s status change', async () => {
    const boonmee = newCitizen(server, 'th', 'บุญมี');
    expect(lines(await say(server, boonmee, `ติดตาม ${walkIn}`))).toEqual(['เพื่อความปลอดภัยของข้อมูล กรุณาพิมพ์เลข 4 ตัวท้ายของเบอร์โทรศัพท์ที่ให้ไว้ตอนแจ้งเรื่องค่ะ']);
    const shown = await say(server, boonmee, '1234');
    expect(lines(shown)[0]).toMatch(new RegExp(`^\\[flex\\] เรื่องเลขที่ ${walkIn} \\(ร้องเรียน/ร้องทุกข์\\)`));
    expect(lines(shown)[1]).toMatch(/^ต้องการรับแจ้งความคืบหน้าเรื่อง .* ทาง LINE นี้ไหมคะ/);
    expect(quick(shown[1]).slice(0, 2)).toEqual(['รับแจ้งทาง LINE', 'ไม่ต้อง']);
    expect(lines(await say(server, boonmee, 'รับแจ้งทาง LINE'))).toEqual([`เชื่อมเรื่อง ${walkIn} กับ LINE นี้แล้วค่ะ ทุกครั้งที่มีความคืบหน้า จะแจ้งมาที่แชตนี้`]);

    const [row] = await server.db.query<{ line_user_id: string }>('SELECT z.line_user_id FROM cases c JOIN citizen z ON z.id = c.citizen_id WHERE c.tracking_number = $1', [walkIn]);
    expect(row!.line_user_id).toBe(boonmee);
    const detail = await as.somsri!.call('GET', `/cases/${walkIn}`);
    expect(detail.body.lineLinked).toBe(true);
    expect(detail.body.timeline.map((e: { kind: string; public: boolean }) => [e.kind, e.public])).toContainEqual(['line_linked', false]);

    // The officer's public status change now reaches the chat.
    const before = server.emulator.delivered(boonmee).length;
    expect((await as.somsri!.call('POST', `/cases/${walkIn}/status`, { status: 'in_progress', public: true, note: 'ส่งช่างไปสำรวจแล้ว' })).status).toBe(200);
    expect(lines(await received(server, boonmee, before, 2))[0]).toBe(`ความคืบหน้าเรื่อง ${walkIn}: อยู่ระหว่างดำเนินการ\nหมายเหตุจากเจ้าหน้าที่: ส่งช่างไปสำรวจแล้ว`);
    // And it is among the person's own cases: tracking it needs no phone check any more.
    expect(lines(await say(server, boonmee, 'เรื่องของฉัน'))[0]).toContain(walkIn);
    const again = await tap(server, boonmee, `flow=track&number=${walkIn}`);
    expect(lines(again)[1]).toBe('เรื่องนี้แจ้งความคืบหน้าทาง LINE นี้อยู่ค่ะ');
    expect(quick(again[1]).slice(0, 2)).toEqual(['หยุดแจ้งทาง LINE', 'แจ้งต่อ']);
  }, 60_000);

  it('does not offer the link to anyone else while it is linked, even with the right digits', async () => {
    const other = newCitizen(server, 'th', 'คนอื่น');
    await say(server, other, `ติดตาม ${walkIn}`);
    const shown = await say(server, other, '1234');
    expect(lines(shown)[1]).toBe('หากต้องการเพิ่มข้อมูลหรือถอนเรื่อง กดปุ่มในรายละเอียดเรื่องได้เลยค่ะ');
  });

  it('lets the citizen undo the link in the chat, and an officer undo it in the console (the chat told, audited)', async () => {
    const [{ line_user_id: boonmee }] = (await server.db.query<{ line_user_id: string }>(
      'SELECT z.line_user_id FROM cases c JOIN citizen z ON z.id = c.citizen_id WHERE c.tracking_number = $1',
      [walkIn],
    )) as [{ line_user_id: string }];
    await tap(server, boonmee, `flow=track&number=${walkIn}`);
    expect(lines(await say(server, boonmee, 'หยุดแจ้งทาง LINE'))).toEqual([
      `หยุดแจ้งความคืบหน้าเรื่อง ${walkIn} ทาง LINE นี้แล้วค่ะ หากต้องการรับแจ้งอีก พิมพ์ "ติดตามเรื่อง" แล้วยืนยันเบอร์โทรศัพท์ได้เสมอ`,
    ]);
    expect((await as.somsri!.call('GET', `/cases/${walkIn}`)).body.lineLinked).toBe(false);
    expect((await as.somsri!.call('POST', `/cases/${walkIn}/unlink-line`, {})).status).toBe(409);

    // Linked again, then undone by an officer.
    await say(server, boonmee, `ติดตาม ${walkIn}`);
    await say(server, boonmee, '1234');
    await say(server, boonmee, 'รับแจ้งทาง LINE');
    const before = server.emulator.delivered(boonmee).length;
    expect((await as.niran!.call('POST', `/cases/${walkIn}/unlink-line`, {})).status).toBe(404);
    expect((await as.somsri!.call('POST', `/cases/${walkIn}/unlink-line`, { note: 'ผู้ร้องแจ้งว่าไม่ใช่ LINE ของตน' })).status).toBe(200);
    expect(lines(await received(server, boonmee, before, 1))[0]).toMatch(new RegExp(`^เรื่อง ${walkIn} จะไม่แจ้งความคืบหน้าทาง LINE นี้แล้วค่ะ`));
    const timeline = (await as.somsri!.call('GET', `/cases/${walkIn}`)).body.timeline as Array<{ kind: string; actorName: string | null; note: string | null }>;
    expect(timeline.filter((e) => e.kind.startsWith('line_')).map((e) => [e.kind, e.actorName, e.note])).toEqual([
      ['line_linked', null, null],
      ['line_unlinked', null, null],
      ['line_linked', null, null],
      ['line_unlinked', 'สมศรี ใจดี', 'ผู้ร้องแจ้งว่าไม่ใช่ LINE ของตน'],
    ]);
    expect(await audit('case.unlink_line', walkIn)).toHaveLength(1);
  }, 60_000);
});
