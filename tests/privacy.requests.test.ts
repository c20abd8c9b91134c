/**
 * A citizen's deletion request, asked in the LINE chat and decided in the console (PDPA s.33): the supervisor of
 * the citizen's province sees it with its 30-day deadline and what approving would erase and keep; officers and
 * other provinces do not; approving erases the chats, the media, the profile and the cases past retention, keeps
 * the open one and says so, tells the citizen on LINE, and is audited; nothing erased is left at rest. Real server,
 * real HTTP, both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from './support/databases';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { createAndSignIn, startConsoleApi, type ConsoleApiServer, type ConsoleClient } from './support/console-client';
import { DAY, deliveredCount, fileComplaint, follow, lines, newCitizen, officerSets, received, say, sendPhoto } from './support/citizen';
import { everythingAtRest } from './support/at-rest';

const ADMIN_TOKEN = 'requests-admin-token-0123456789abcdef';
const DISPLAY_NAME = 'บุษบา ลบได้ไหม';
const CHAT_SECRET = 'เพื่อนบ้านชื่อสมปองตะโกนด่าทุกคืน';
const OLD_STORY = 'ท่อระบายน้ำหน้าบ้านเลขที่เก้าสิบเก้าอุดตันส่งกลิ่นเหม็นมาหลายเดือน';
const OPEN_STORY = 'ถนนในซอยหน้าวัดเป็นหลุมเป็นบ่อรถจักรยานยนต์ล้มบ่อยมาก';
const YEAR = 365 * DAY;
const PETITION_SENT = Date.UTC(2025, 11, 20, 3);

describe.each(engines())('a deletion request decided in the console, on %s', (engine) => {
  let server: TestServer;
  let api: ConsoleApiServer;
  let as: Record<'boss' | 'ubon' | 'anan' | 'root', ConsoleClient>;
  let user: string;
  let oldCase: string;
  let openCase: string;
  let requestId: number;

  const place = (n: string, district: string) =>
    server.db.query('UPDATE cases SET district_code = $2, province_code = $3 WHERE tracking_number = $1', [n, district, district.slice(0, 2)]);

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901', ADMIN_TOKEN, ADMIN_TOKEN_HOLDER: 'requests-test' });
    api = await startConsoleApi(server, { onQueued: () => server.outbox.wake() });
    ({ as } = await createAndSignIn(api, [
      { username: 'boss', displayName: 'หัวหน้าจังหวัด', role: 'supervisor', provinceCode: '49' },
      { username: 'ubon', displayName: 'หัวหน้าอุบล', role: 'supervisor', provinceCode: '34' },
      { username: 'anan', displayName: 'อนันต์', role: 'officer', districtCode: '4901' },
      { username: 'root', displayName: 'ผู้ดูแล', role: 'admin' },
    ] as const));

    user = newCitizen(server, 'th', DISPLAY_NAME);
    await follow(server, user);
    oldCase = await fileComplaint(server, user, 'th', { story: OLD_STORY });
    openCase = await fileComplaint(server, user, 'th', { story: OPEN_STORY });
    await place(oldCase, '4901');
    await place(openCase, '4902');
    await officerSets(server, oldCase, { status: 'ended', public: true, reason: 'resolved', note: 'ล้างท่อแล้ว' }, ADMIN_TOKEN);
    // Closed six years ago: past the five years the law keeps a closed case.
    await server.db.query('UPDATE cases SET closed_at = $2, updated_at = $2 WHERE tracking_number = $1', [oldCase, Date.now() - 6 * YEAR]);
    await sendPhoto(server, user);
    // A royal petition this person made a year ago, handed to an officer and sent on: an entry of the register.
    const [handoff] = await server.db.query<{ id: unknown }>(
      `INSERT INTO handoff_request (chat_id, reason, status, requested_at, closed_at, district_code) VALUES ($1, 'royal_petition', 'closed', $2, $2, '4901') RETURNING id`,
      [user, Date.now() - YEAR],
    );
    await server.db.query(
      `INSERT INTO royal_petition (register_number, be_year, seq, handoff_id, channel, district_code, province_code, received_at, kind, words_enc,
         petitioner_name_enc, status, forwarded_to, forwarded_at, updated_at, updated_by)
       VALUES ('7/2568', 2568, 7, $1, 'line', '4901', '49', $2, 'justice', 'v2:words', 'v2:name', 'forwarded', 'สำนักงานราชเลขาธิการ', $3, $3, 'anan')`,
      [Number(handoff!.id), Date.now() - YEAR, PETITION_SENT],
    );
    // Said in passing, then thought better of: the bot took it for a new complaint, and the person cancels.
    await say(server, user, CHAT_SECRET);
    await say(server, user, 'ยกเลิก');
    await say(server, user, 'ข้อมูลของฉัน');
    await say(server, user, 'ขอลบข้อมูล');
    const answer = lines(await say(server, user, 'ยืนยัน')).join('\n');
    expect(answer).toContain('รับคำขอลบข้อมูลของท่านแล้ว');
    // Told at once what the law keeps: the open case and the royal petition, an entry of the official register.
    expect(answer).toContain('ฎีกาเลขที่ 7/2568 ในทะเบียนฎีกา: เก็บเป็นหลักฐานทางราชการถึง 20 ธันวาคม 2573');
    requestId = Number(/คำขอเลขที่ (\d+)/.exec(answer)![1]);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await server?.stop();
  });

  it("lists the request for the supervisor of the citizen's province, with the date the law's 30 days run out", async () => {
    const res = await as.boss.call('GET', '/data-requests');
    expect(res.status).toBe(200);
    const mine = res.body.requests.find((r: { id: number }) => r.id === requestId);
    expect(mine).toMatchObject({ kind: 'deletion', status: 'pending', overdue: false, districtCodes: ['4901', '4902'] });
    expect(mine.dueAt - mine.requestedAt).toBe(30 * DAY);
  });

  it('hides it from officers and from the supervisor of another province', async () => {
    expect((await as.anan.call('GET', '/data-requests')).status).toBe(403);
    expect((await as.anan.call('GET', `/data-requests/${requestId}`)).status).toBe(404);
    expect((await as.ubon.call('GET', '/data-requests')).body.requests).toEqual([]);
    expect((await as.ubon.call('GET', `/data-requests/${requestId}`)).status).toBe(404);
    expect((await as.ubon.call('POST', `/data-requests/${requestId}/decision`, { decision: 'approve', note: 'ลบให้' })).status).toBe(404);
    expect((await as.boss.call('GET', '/data-requests/999999')).status).toBe(404);
  });

  it('shows what approving would erase and what the law keeps, and audits the view', async () => {
    const res = await as.boss.call('GET', `/data-requests/${requestId}`);
    expect(res.status).toBe(200);
    expect(res.body.plan).toMatchObject({ erasedCases: [oldCase], kept: [{ trackingNumber: openCase, reason: 'open' }], unlinked: false });
    // The royal petition is the register's: kept five years from when it was sent on.
    expect(res.body.plan.keptPetitions).toEqual([{ registerNumber: '7/2568', until: Date.UTC(2030, 11, 20, 3) }]);
    expect(res.body.plan.counts.chatMessages).toBeGreaterThan(10);
    expect(res.body.plan.counts.media).toBe(1);
    const [audit] = await server.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'data_request.view' AND target = $1`, [`request ${requestId}`]);
    expect(Number(audit!.n)).toBeGreaterThan(0);
  });

  it('refuses a decision without a reason', async () => {
    const res = await as.boss.call('POST', `/data-requests/${requestId}/decision`, { decision: 'approve', note: ' ' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('reason');
  });

  it('approved: erases chats, media, profile and the case past retention, keeps the open case, and tells the citizen on LINE', async () => {
    const before = deliveredCount(server, user);
    const res = await as.boss.call('POST', `/data-requests/${requestId}/decision`, { decision: 'approve', note: 'ลบตามคำขอ เรื่องที่ยังดำเนินการอยู่ต้องเก็บไว้ก่อน' });
    expect(res.status).toBe(200);
    expect(res.body.request).toMatchObject({ status: 'done', decidedBy: 'boss', outcome: { erasedCases: [oldCase], unlinked: false } });

    const [told] = lines(await received(server, user, before, 1));
    expect(told).toContain(`คำขอลบข้อมูลเลขที่ ${requestId}`);
    expect(told).toContain(oldCase);
    expect(told).toContain(`เรื่องเลขที่ ${openCase}: ยังอยู่ระหว่างดำเนินการ`);
    expect(told).toContain('ลบตามคำขอ');
    expect(told).toContain('ฎีกาเลขที่ 7/2568 ในทะเบียนฎีกา: เก็บเป็นหลักฐานทางราชการถึง 20 ธันวาคม 2573');
    const [entry] = await server.db.query<Record<string, unknown>>('SELECT words_enc, petitioner_name_enc, status FROM royal_petition');
    expect(entry).toEqual({ words_enc: 'v2:words', petitioner_name_enc: 'v2:name', status: 'forwarded' });

    const [old] = await server.db.query<Record<string, unknown>>('SELECT * FROM cases WHERE tracking_number = $1', [oldCase]);
    expect(old).toMatchObject({ story: '', complainant_name: null, address: null, phone_enc: null, phone_hash: null, location: null, citizen_id: null, status: 'ended', district_code: '4901' });
    expect(old!.personal_erased_at).not.toBeNull();
    const [open] = await server.db.query<Record<string, unknown>>('SELECT story, citizen_id, personal_erased_at FROM cases WHERE tracking_number = $1', [openCase]);
    expect(open).toMatchObject({ story: OPEN_STORY, personal_erased_at: null });
    expect(open!.citizen_id).not.toBeNull();
    const [profile] = await server.db.query<Record<string, unknown>>('SELECT display_name, picture_url, line_user_id FROM citizen WHERE line_user_id = $1', [user]);
    expect(profile).toMatchObject({ display_name: null, picture_url: null });
    expect(await server.db.query('SELECT 1 FROM line_content WHERE chat_id = $1', [user])).toEqual([]);
    expect(await server.db.query('SELECT 1 FROM conversation_session WHERE chat_id = $1', [user])).toEqual([]);

    const [audit] = await server.db.query<{ detail: string }>(`SELECT detail FROM audit_log WHERE action = 'data_request.decide' AND target = $1`, [`request ${requestId}`]);
    expect(JSON.parse(audit!.detail)).toMatchObject({ decision: 'approve', erased: { casePersonalData: 1, media: 1 } });
  });

  it('leaves none of the erased data at rest, and the kept case whole', async () => {
    await waitFor(async () => {
      const [open] = await server.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM outbox_message WHERE status NOT IN ('sent', 'failed')`);
      return Number(open!.n) === 0;
    });
    const all = await everythingAtRest(server);
    for (const gone of [CHAT_SECRET, OLD_STORY, DISPLAY_NAME, 'ล้างท่อแล้ว']) expect(all, gone).not.toContain(gone);
  });

  it('is decided once: a second decision is refused as already made', async () => {
    const res = await as.root.call('POST', `/data-requests/${requestId}/decision`, { decision: 'refuse', note: 'ซ้ำ' });
    expect(res.status).toBe(409);
  });

  it('a refusal keeps everything and tells the citizen the reason and where to complain', async () => {
    const other = newCitizen(server, 'en', 'Refused Person');
    await follow(server, other);
    const n = await fileComplaint(server, other, 'en', { story: 'A fallen tree blocks the road to the school' });
    await place(n, '4903');
    await say(server, other, 'My data');
    await say(server, other, 'Ask for deletion');
    const answer = lines(await say(server, other, 'Send it')).join('\n');
    const id = Number(/request no\. (\d+)/.exec(answer)![1]);
    const before = deliveredCount(server, other);
    const res = await as.boss.call('POST', `/data-requests/${id}/decision`, { decision: 'refuse', note: 'The case is still being investigated by the police' });
    expect(res.status).toBe(200);
    expect(res.body.request).toMatchObject({ status: 'refused', decisionNote: 'The case is still being investigated by the police', outcome: null });
    const [told] = lines(await received(server, other, before, 1));
    expect(told).toContain(`request no. ${id} to delete your data was not approved`);
    expect(told).toContain('still being investigated');
    expect(told).toContain('Personal Data Protection Committee');
    const [c] = await server.db.query<{ story: string }>('SELECT story FROM cases WHERE tracking_number = $1', [n]);
    expect(c!.story).toBe('A fallen tree blocks the road to the school');
  });

  it('a person with nothing kept is unlinked: their LINE user id is left only on the delivery record of the reply', async () => {
    const lurker = newCitizen(server, 'th', 'คนแค่ถาม');
    await follow(server, lurker);
    await say(server, lurker, 'ศูนย์ดำรงธรรมเปิดกี่โมงคะ');
    await say(server, lurker, 'ข้อมูลของฉัน');
    await say(server, lurker, 'ขอลบข้อมูล');
    const answer = lines(await say(server, lurker, 'ยืนยัน')).join('\n');
    const id = Number(/คำขอเลขที่ (\d+)/.exec(answer)![1]);
    // No case and no chat with an officer: the request lies in no province, so it is the admins' alone.
    expect((await as.boss.call('GET', '/data-requests')).body.requests.map((r: { id: number }) => r.id)).not.toContain(id);
    expect((await as.boss.call('GET', `/data-requests/${id}`)).status).toBe(404);
    const plan = (await as.root.call('GET', `/data-requests/${id}`)).body.plan;
    expect(plan).toMatchObject({ erasedCases: [], kept: [], unlinked: true });

    const before = deliveredCount(server, lurker);
    expect((await as.root.call('POST', `/data-requests/${id}/decision`, { decision: 'approve', note: 'ไม่มีเรื่องที่ต้องเก็บ' })).status).toBe(200);
    const [told] = lines(await received(server, lurker, before, 1));
    expect(told).toContain('ไม่มีข้อมูลที่ระบุตัวท่านเหลืออยู่แล้ว');

    const holding = new Set<string>();
    const tables = server.db.dialect === 'sqlite'
      ? await server.db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      : await server.db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
    for (const { name } of tables) {
      for (const row of await server.db.query<Record<string, unknown>>(`SELECT * FROM "${name}"`)) if (JSON.stringify(row).includes(lurker)) holding.add(name);
    }
    expect([...holding]).toEqual(['outbox_message']);
    const [again] = await server.db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM citizen WHERE line_user_id = $1', [lurker]);
    expect(Number(again!.n)).toBe(0);
  });
});
