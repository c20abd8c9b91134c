/**
 * Categories an admin makes decide what the bot asks a citizen, end to end: the real server on SQLite and
 * PostgreSQL, the admin on the console's API (the categories page, then the flow editor offering them), citizens
 * in the LINE emulator. A category with the national ID required asks it after the phone; one that allows anonymity
 * explains the rule and offers it, and files without a name; one that needs consent asks it before the story. An
 * edit on the categories page changes the next chat's questions without touching the flow. A citizen's own reopen
 * gives the case its category's deadline, and tells them so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { FLOW_JSON } from '../console/api/flows-editor/index';
import { jobsByKeyPrefix } from '../scheduler/jobs';
import { login, OFFICER_PASSWORD, type ConsoleClient } from './support/console-client';
import { DAY, lines, newCitizen, officerSets, received, deliveredCount, runDueJobs, send } from './support/citizen';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const ADMIN_TOKEN = 'categories-chat-admin-token-0123456789';
const NATIONAL_ID = '1-1017-00230-70-8';

const category = (code: string, th: string, en: string, rules: Record<string, unknown>) => ({
  code,
  name: { th, en },
  confidential: false,
  consentRequired: false,
  nationalIdRequired: false,
  anonymousAllowed: false,
  deadlineDays: null,
  ...rules,
});
const LAND = category('land_dispute', 'ข้อพิพาทที่ดิน', 'Land dispute', { nationalIdRequired: true, deadlineDays: 7 });
const GRAFT = category('graft_tip', 'แจ้งทุจริต', 'Report graft', { anonymousAllowed: true });
const HEALTH = category('health_rights', 'สิทธิการรักษา', 'Health care rights', { consentRequired: true });

// What the bot asks, as the citizen reads it (flows/definitions/complaint.yaml).
const ASK = {
  category: 'เรื่องที่ต้องการแจ้งเป็นเรื่องประเภทใดคะ',
  story: 'กรุณาเล่าเหตุการณ์ที่เกิดขึ้นค่ะ เกิดอะไรขึ้น กับใคร และต้องการให้ช่วยเรื่องใด',
  consent: 'เรื่องประเภทนี้อาจมีข้อมูลอ่อนไหว เช่น สุขภาพ ศาสนา หรือคดีความ ศูนย์ดำรงธรรมจะใช้ข้อมูลเพื่อช่วยแก้ไขเรื่องของท่านเท่านั้น ท่านยินยอมให้เก็บข้อมูลเหล่านี้หรือไม่คะ',
  tipRule: 'การแจ้งเบาะแสแบบไม่ระบุตัวตนทำได้ค่ะ แต่ต้องมีข้อเท็จจริงที่ชัดเจน: ใคร ทำอะไร ที่ไหน เมื่อไร และหลักฐานถ้ามี เมื่อไม่ระบุตัวตน เจ้าหน้าที่จะติดต่อกลับหรือแจ้งผลให้ท่านไม่ได้',
  anonymous: 'ต้องการแจ้งแบบไม่ระบุตัวตนหรือไม่คะ',
  name: 'ขอทราบชื่อและนามสกุลของผู้แจ้งค่ะ',
  phone: 'เบอร์โทรศัพท์ที่เจ้าหน้าที่ติดต่อกลับได้คะ',
  nationalId: 'เรื่องประเภทนี้ต้องใช้เลขประจำตัวประชาชน 13 หลักของผู้ร้องค่ะ (เก็บแบบเข้ารหัส)',
  address: 'ที่อยู่ที่ติดต่อได้ของท่านคะ (บ้านเลขที่ หมู่ ตำบล อำเภอ จังหวัด)',
  confirm: 'ตรวจสอบแล้วส่งเรื่องได้เลยค่ะ หรือกด "แก้ไข" เพื่อเปลี่ยนคำตอบข้อใดข้อหนึ่ง',
  thanksAnon: 'ขอบคุณสำหรับเบาะแสค่ะ เจ้าหน้าที่จะตรวจสอบข้อเท็จจริงต่อไป (แจ้งแบบไม่ระบุตัวตน จึงไม่มีการแจ้งผลกลับ)',
};

type Step = { type: 'text'; text: string } | { type: 'location'; latitude: number; longitude: number; title: string; address: string };
const t = (text: string): Step => ({ type: 'text', text });

/** What happened, where, when, about whom, asked for, no evidence: the same in every category. */
const STORY: Step[] = [
  t('เพื่อนบ้านล้อมรั้วรุกที่ดินเข้ามาสองเมตร ตกลงกันไม่ได้ค่ะ'),
  { type: 'location', latitude: 16.5453, longitude: 104.7235, title: 'ตลาดอินโดจีน', address: 'Mukdahan' },
  t('ใช่'),
  t('เมื่อวาน'),
  t('เพื่อนบ้าน'),
  t('ขอให้ช่วยไกล่เกลี่ย'),
  t('ไม่มี'),
];

describe.each(engines())("an admin's categories decide what the bot asks (%s)", (engine) => {
  let server: TestServer;
  let admin: ConsoleClient;
  let landCase = '';
  let landCitizen = '';

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901', ADMIN_TOKEN, ADMIN_TOKEN_HOLDER: 'e-report-sync', SCHEDULER_POLL_MS: '100' });
    await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'admin1', displayName: 'ผู้ดูแล หนึ่ง', role: 'admin', password: OFFICER_PASSWORD });
    admin = await login(server.url, 'admin1');
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  /** One citizen's chat: each step and the bot's answer to it, as lines; the bot's answers only, by step. */
  async function chat(user: string, steps: readonly Step[]): Promise<string[][]> {
    const answers: string[][] = [];
    for (const step of steps) answers.push(lines(await send(server, user, step)));
    return answers;
  }

  const caseRow = async (number: string) =>
    (
      await server.db.query<{ category: string; anonymous: unknown; citizen_id: unknown; sensitive_consent: unknown; national_id_enc: string | null; complainant_name: string | null; due_at: unknown; created_at: unknown }>(
        'SELECT category, anonymous, citizen_id, sensitive_consent, national_id_enc, complainant_name, due_at, created_at FROM cases WHERE tracking_number = $1',
        [number],
      )
    )[0]!;
  const numberIn = (answer: string[]) => /[A-Z]{2,5}-\d{4}-\d{6,}-\d/.exec(answer.find((l) => l.startsWith('[flex]')) ?? '')?.[0] ?? '';

  it('adds three categories on the categories page, and offers them in the complaint flow', async () => {
    for (const c of [LAND, GRAFT, HEALTH]) expect((await admin.call('POST', '/categories', c)).status).toBe(201);

    const created = await admin.call('POST', '/flows/complaint/drafts', {});
    const doc = parseDocument(created.body.draft.source as string);
    for (const [key, c] of [['cat_land', LAND], ['cat_graft', GRAFT], ['cat_health', HEALTH]] as const) {
      doc.setIn(['texts', 'th', key], c.name.th);
      doc.setIn(['texts', 'en', key], c.name.en);
      (doc.getIn(['nodes', 'category', 'options']) as { add(v: unknown): void }).add(doc.createNode({ label: key, value: c.code, next: 'routeCategory' }));
    }
    const id = created.body.draft.id as number;
    const saved = await fetch(`${server.url}/console/api/flows/drafts/${id}`, {
      method: 'PUT',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': FLOW_JSON },
      body: JSON.stringify({ source: doc.toString({ lineWidth: 0 }), revision: 1 }),
    });
    expect(saved.status).toBe(200);
    const published = await admin.call('POST', `/flows/drafts/${id}/publish`, { note: 'หมวดใหม่ของจังหวัด', revision: 2, expectLive: 4 });
    expect(published.body).toMatchObject({ ok: true, version: 5 });
  });

  it('asks the national ID after the phone in a category that requires it, and files it with the ID and its deadline', async () => {
    landCitizen = newCitizen(server, 'th', 'บุญมี');
    const answers = await chat(landCitizen, [
      t('ร้องเรียน/แจ้งเรื่อง'),
      t('ข้อพิพาทที่ดิน'),
      ...STORY,
      t('บุญมี ขยันดี'),
      t('081-234-5678'),
      t(NATIONAL_ID),
      t('99 หมู่ 2 ต.ศรีบุญเรือง อ.เมือง จ.มุกดาหาร'),
      t('ส่งเรื่อง'),
    ]);
    expect(answers[0]).toEqual([ASK.category]);
    expect(answers[1]).toEqual([ASK.story]); // neither consent nor anonymity: its rules say neither
    expect(answers[8]).toEqual([ASK.name]);
    expect(answers[9]).toEqual([ASK.phone]);
    expect(answers[10]).toEqual([ASK.nationalId]);
    expect(answers[11]).toEqual([ASK.address]);
    expect(answers[12]).toEqual([expect.stringContaining('• ประเภท: ข้อพิพาทที่ดิน'), ASK.confirm]);
    landCase = numberIn(answers[13]!);
    const row = await caseRow(landCase);
    expect(row.category).toBe('land_dispute');
    expect(row.national_id_enc).not.toBeNull();
    expect(server.cipher.reveal(row.national_id_enc)).toBe('1101700230708');
    expect(Number(row.due_at) - Number(row.created_at)).toBe(7 * DAY);
  }, 60_000);

  it('explains and offers anonymity in a category that allows it, and files the case without a name', async () => {
    const citizen = newCitizen(server, 'th', 'ไม่บอกชื่อ');
    const answers = await chat(citizen, [t('ร้องเรียน/แจ้งเรื่อง'), t('แจ้งทุจริต'), t('ไม่ระบุตัวตน'), ...STORY, t('ส่งเรื่อง')]);
    expect(answers[1]).toEqual([ASK.tipRule, ASK.anonymous]);
    expect(answers[2]).toEqual([ASK.story]);
    // No name, phone, ID or address asked: the summary comes after the evidence.
    expect(answers[9]).toEqual([expect.stringMatching(/^สรุปเบาะแสของท่าน \(ไม่ระบุตัวตน\)/), ASK.confirm]);
    expect(answers[10]).toEqual([ASK.thanksAnon]);
    const [row] = await server.db.query<{ category: string; anonymous: unknown; citizen_id: unknown; complainant_name: string | null }>(
      "SELECT category, anonymous, citizen_id, complainant_name FROM cases WHERE category = 'graft_tip'",
    );
    expect(row).toMatchObject({ category: 'graft_tip', citizen_id: null, complainant_name: null });
    expect(Boolean(row!.anonymous)).toBe(true);
  }, 60_000);

  it('asks consent before the story in a category that needs it, and keeps the answer on the case', async () => {
    const citizen = newCitizen(server, 'th', 'สมใจ');
    const answers = await chat(citizen, [
      t('ร้องเรียน/แจ้งเรื่อง'),
      t('สิทธิการรักษา'),
      t('ยินยอม'),
      ...STORY,
      t('สมใจ รักดี'),
      t('081-234-9999'),
      t('12 หมู่ 3 ต.บางทรายใหญ่ อ.เมือง จ.มุกดาหาร'),
      t('ส่งเรื่อง'),
    ]);
    expect(answers[1]).toEqual([ASK.consent]);
    expect(answers[2]).toEqual([ASK.story]);
    expect(answers[11]).toEqual([ASK.address]); // no national ID in this category
    const row = await caseRow(numberIn(answers[13]!));
    expect(row.category).toBe('health_rights');
    expect(Boolean(row.sensitive_consent)).toBe(true);
    expect(row.national_id_enc).toBeNull();
  }, 60_000);

  it("changes the next chat's questions when an admin edits the category, without a new flow", async () => {
    const { code: _code, ...edit } = LAND;
    expect((await admin.call('PUT', '/categories/land_dispute', { ...edit, nationalIdRequired: false, consentRequired: true })).status).toBe(200);
    const citizen = newCitizen(server, 'th', 'สมหมาย');
    const answers = await chat(citizen, [t('ร้องเรียน/แจ้งเรื่อง'), t('ข้อพิพาทที่ดิน'), t('ยินยอม'), ...STORY, t('สมหมาย ใจงาม'), t('089-111-2222')]);
    expect(answers[1]).toEqual([ASK.consent]);
    expect(answers[11]).toEqual([ASK.address]);
    expect((await admin.call('PUT', '/categories/land_dispute', edit)).status).toBe(200);
  }, 60_000);

  it("gives a case the citizen reopens its category's deadline, and says so", async () => {
    const before = deliveredCount(server, landCitizen);
    await officerSets(server, landCase, { status: 'ended', note: 'ไกล่เกลี่ยแล้ว', public: true, reason: 'resolved' }, ADMIN_TOKEN);
    await runDueJobs(server, `survey:${landCase}`, Date.now, landCitizen);
    expect(lines(await received(server, landCitizen, before, 3))[2]).toMatch(new RegExp(`^เรื่อง ${landCase} ยุติแล้วค่ะ`));
    const answers = await chat(landCitizen, [t('1 น้อยที่สุด'), t('ยังตกลงกันไม่ได้ค่ะ'), t('เปิดเรื่องใหม่')]);
    expect(answers[2]).toEqual([`เปิดเรื่อง ${landCase} ใหม่แล้วค่ะ เจ้าหน้าที่จะตรวจสอบอีกครั้งและแจ้งความคืบหน้าภายใน 7 วัน`]);

    const [row] = await server.db.query<{ id: unknown; status: string; due_at: unknown }>('SELECT id, status, due_at FROM cases WHERE tracking_number = $1', [landCase]);
    const [reopened] = await server.db.query<{ at: unknown }>("SELECT at FROM case_event WHERE case_id = $1 AND kind = 'reopened'", [row!.id]);
    expect(row!.status).toBe('reviewing');
    expect(Number(row!.due_at) - Number(reopened!.at)).toBe(7 * DAY);
    const [job] = await jobsByKeyPrefix(server.db, `progress:${landCase}`);
    expect(job).toMatchObject({ status: 'pending', runAt: Number(row!.due_at) });
  }, 60_000);
});
