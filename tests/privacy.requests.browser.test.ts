/**
 * A deletion request from end to end, in Debian's headless Chromium against the real server and its LINE emulator:
 * the citizen asks in the chat, the province's supervisor finds the request with its deadline in the console,
 * reads what would be erased and what the law keeps, approves it with a reason, and the citizen is told in LINE;
 * afterwards nothing erased is left in the database, on disk included.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { OFFICER_PASSWORD } from './support/console-client';
import { ensureConsolePages, openConsoleAs, thaiShortDate, type SignedInConsole } from './support/console-pages';
import { deliveredCount, fileComplaint, follow, lines, newCitizen, received, say, sendPhoto } from './support/citizen';
import { everythingAtRest } from './support/at-rest';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const DISPLAY_NAME = 'ประไพ ขอลบ';
const SECRET = 'ลูกชายผู้ใหญ่บ้านขายยาบ้าที่ร้านเกมหลังโรงเรียน';
const STORY = 'น้ำประปาไม่ไหลมาสามวันแล้ว ทั้งหมู่บ้านเดือดร้อนมาก';
const DAY = 86_400_000;

beforeAll(ensureConsolePages, 120_000);

describe.each(browserEngines('sqlite'))('a deletion request asked on LINE and decided in the console, in Chromium (%s)', (engine) => {
  let server: TestServer;
  let ui: SignedInConsole;
  let page: Page;
  let user: string;
  let number: string;
  let requestId: number;

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'boss', displayName: 'หัวหน้าจังหวัด', role: 'supervisor', provinceCode: '49', password: OFFICER_PASSWORD });
    user = newCitizen(server, 'th', DISPLAY_NAME);
    await follow(server, user);
    number = await fileComplaint(server, user, 'th', { story: STORY });
    await server.db.query(`UPDATE cases SET district_code = '4903', province_code = '49' WHERE tracking_number = $1`, [number]);
    await sendPhoto(server, user);
    await say(server, user, SECRET);
    await say(server, user, 'ยกเลิก');
    await say(server, user, 'ข้อมูลของฉัน');
    await say(server, user, 'ขอลบข้อมูล');
    const answer = lines(await say(server, user, 'ยืนยัน')).join('\n');
    requestId = Number(/คำขอเลขที่ (\d+)/.exec(answer)![1]);

    ui = await openConsoleAs(server.url, 'boss', '/console/data-requests');
    page = ui.page;
  }, 180_000);

  afterAll(async () => {
    expect(ui?.errors ?? []).toEqual([]);
    await ui?.close();
    await server?.stop();
  });

  it('the supervisor finds the request in the list, awaiting a decision, with the day the 30 days run out in B.E.', async () => {
    const row = page.getByTestId('data-request-row').filter({ hasText: String(requestId) });
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('pending');
    const [r] = await server.db.query<{ requested_at: unknown }>('SELECT requested_at FROM data_request WHERE id = $1', [requestId]);
    const text = await row.textContent();
    expect(text).toContain('ขอให้ลบข้อมูล');
    expect(text).toContain('รอพิจารณา');
    expect(text).toContain(thaiShortDate(Number(r!.requested_at) + 30 * DAY));
  });

  it('opens it and reads what approving erases and that the open case is kept', async () => {
    await page.getByTestId(`open-request-${requestId}`).click();
    const plan = page.getByTestId('plan');
    await plan.waitFor();
    expect(await plan.textContent()).toContain('รูปภาพ/ไฟล์ 1 ไฟล์');
    expect(await page.getByTestId('kept').textContent()).toContain(`เรื่อง ${number}: ยังดำเนินการอยู่`);
    expect(await page.getByTestId('approve').isDisabled()).toBe(true); // no reason yet
  });

  it('approves with a reason; the page shows the decision and the citizen is told in LINE', async () => {
    const before = deliveredCount(server, user);
    await page.getByTestId('decision-note').fill('ลบข้อมูลตามคำขอ เรื่องร้องเรียนที่ยังดำเนินการอยู่เก็บไว้ก่อน');
    await page.getByTestId('approve').click();
    await page.getByTestId('decision').waitFor();
    expect(await page.getByTestId('data-request').getAttribute('data-status')).toBe('done');
    expect(await page.getByTestId('decision').textContent()).toContain('boss');
    const [told] = lines(await received(server, user, before, 1));
    expect(told).toContain(`คำขอลบข้อมูลเลขที่ ${requestId} ของท่าน ได้รับการอนุมัติ`);
    expect(told).toContain(`เรื่องเลขที่ ${number}: ยังอยู่ระหว่างดำเนินการ`);
  });

  it('leaves none of the erased data in the database, on disk included, and the kept case whole', async () => {
    const all = await everythingAtRest(server);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(DISPLAY_NAME);
    const [kept] = await server.db.query<{ story: string }>('SELECT story FROM cases WHERE tracking_number = $1', [number]);
    expect(kept!.story).toBe(STORY);
  });
});
