/**
 * The console's retention page in Debian's headless Chromium, against the real server: an admin opens it from the
 * navigation, reads what the last run erased of each kind (its date in Buddhist Era), presses the dry run and sees
 * the case a run now would erase, listed by its tracking number. The pages are built first when console/dist is
 * missing or older than console/web.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { runRetention } from '../privacy/retention';
import type { Database } from '../storage/database';
import { launchBrowser } from './support/browser';
import { ensureConsolePages, signIn, thaiShortDate } from './support/console-pages';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const ADMIN_PASSWORD = 'the-admins-long-password';
const YEAR = 365 * 86_400_000;

/** A case filed at the counter and closed `yearsAgo` years ago (the chat would take years). */
async function closedCase(db: Database, trackingNumber: string, yearsAgo: number): Promise<void> {
  const closed = Date.now() - yearsAgo * YEAR;
  const no = db.dialect === 'sqlite' ? 0 : false;
  await db.query(
    `INSERT INTO cases (tracking_number, channel, category, status, confidential, royal_petition, anonymous, story, complainant_name, address,
       district_code, province_code, created_at, updated_at, due_at, last_public_update_at, closed_at, close_reason)
     VALUES ($1, 'walk_in', 'complaint', 'ended', $2, $2, $2, 'ถนนหน้าโรงเรียนเป็นหลุมลึก', 'ทองใบ แก้วมณี', '3 หมู่ 2', '4901', '49',
       $3, $4, $4, $4, $4, 'resolved')`,
    [trackingNumber, no, closed - 30 * 86_400_000, closed],
  );
}

beforeAll(ensureConsolePages, 120_000);

describe.each(browserEngines('sqlite'))('the retention page, in Chromium, with the real server (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'admin', displayName: 'ผู้ดูแล ระบบ', role: 'admin', password: ADMIN_PASSWORD });
    await closedCase(server.db, 'MDH-2562-000007-5', 7);
    await runRetention(server.db, server.settings.retention, { asOf: Date.now(), trigger: 'command' });
    await closedCase(server.db, 'MDH-2563-000042-1', 6);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e));
  }, 120_000);

  afterAll(async () => {
    expect(errors).toEqual([]);
    await browser?.close();
    await server?.stop();
  });

  it("shows the admin the last run's counts, and a dry run's list of what it would erase", async () => {
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('nav-retention').click();
    await page.waitForURL(/\/console\/retention$/);
    await expect.poll(() => page.getByTestId('retention-title').textContent()).toBe('การลบข้อมูลที่พ้นระยะเก็บรักษา');

    // The last run: the case closed 7 years ago, erased; its date in Buddhist Era.
    const last = page.getByTestId('retention-last-run');
    await last.getByTestId('retention-last-count').first().waitFor();
    expect(await last.getByTestId('retention-last-started').textContent()).toContain(thaiShortDate(Date.now()));
    const erased = async (kind: string) => last.locator(`[data-kind="${kind}"] [data-testid="retention-last-erased"]`).textContent();
    expect(await erased('cases')).toBe('1');
    expect(await erased('chats')).toBe('0');
    expect(await last.locator('[data-kind="cases"]').textContent()).toContain('ข้อมูลส่วนบุคคลในเรื่องที่ยุติแล้ว5 ปีหลังยุติเรื่อง');
    expect(await page.getByTestId('retention-next-run').textContent()).toContain('ไม่ได้ตั้งให้ลบอัตโนมัติ'); // test servers: RETENTION_RUN_AT=off

    // The dry run: the case closed 6 years ago would be erased; nothing is.
    await page.getByTestId('retention-dry-run').click();
    const plan = page.getByTestId('retention-plan');
    await plan.waitFor();
    expect(await plan.getByTestId('retention-plan-case').allTextContents()).toEqual([expect.stringContaining('MDH-2563-000042-1')]);
    expect(await plan.getByTestId('retention-plan-case').first().textContent()).toContain(`ยุติเมื่อ ${thaiShortDate(Date.now() - 6 * YEAR)}`);
    expect(await plan.locator('[data-kind="cases"] [data-testid="retention-plan-due"]').textContent()).toBe('1');
    const [kept] = await server.db.query<{ story: string }>(`SELECT story FROM cases WHERE tracking_number = 'MDH-2563-000042-1'`);
    expect(kept!.story).toBe('ถนนหน้าโรงเรียนเป็นหลุมลึก');
    // The dry run joins the record, marked as one.
    await expect.poll(() => page.locator('[data-testid="retention-run-row"][data-dry-run="true"]').count()).toBe(1);
  }, 60_000);
});
