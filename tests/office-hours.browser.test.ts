/**
 * Office hours in the console's pages, in Debian's headless Chromium, against the real server at a controlled
 * clock: an officer's queue says by when a citizen must be answered, then how long that is overdue; a supervisor
 * sets a district's hours, working days, first-answer minutes and a holiday typed in Buddhist Era on the
 * district settings page, and they are what the server keeps. The pages are built first when console/dist is
 * missing or older than console/web.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { DistrictOfficeStore } from '../office/store';
import { DEFAULT_OFFICE_HOURS } from '../office/hours';
import { launchBrowser } from './support/browser';
import { OFFICER_PASSWORD } from './support/console-client';
import { ensureConsolePages, signIn } from './support/console-pages';
import { follow, MINUTE, MovableClock, newCitizen, say } from './support/citizen';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const at = (iso: string) => Date.parse(`${iso}+07:00`);

beforeAll(ensureConsolePages, 120_000);

describe.each(browserEngines('postgres'))('office hours in the console pages, in Chromium, with the real server (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  const clock = new MovableClock();
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' }, { conversationClock: clock.now });
    const officers = new OfficerStore(server.db);
    await officers.create(CLI_ACTOR, { username: 'somsri', displayName: 'สมศรี ใจดี', role: 'officer', districtCode: '4901', password: OFFICER_PASSWORD });
    await officers.create(CLI_ACTOR, { username: 'boss', displayName: 'หัวหน้า', role: 'supervisor', provinceCode: '49', password: OFFICER_PASSWORD });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    expect(errors).toEqual([]);
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    const p = await context.newPage();
    p.on('pageerror', (e) => errors.push(e));
    await signIn(p, server.url, username, OFFICER_PASSWORD);
    return p;
  }

  it('shows in the queue by when a citizen must be answered, then by how much that is overdue', async () => {
    clock.time = at('2026-11-25T10:00:00'); // a Wednesday, in the default hours: answered within 30 minutes
    const page = await signedIn('somsri');
    const manee = newCitizen(server, 'th', 'มานี');
    await follow(server, manee);
    await say(server, manee, 'ติดต่อเจ้าหน้าที่');

    const item = page.getByTestId('queue-item').filter({ hasText: 'มานี' });
    await item.waitFor({ timeout: 10_000 });
    // Another day than the browser's today: the day in B.E. with the time.
    await expect.poll(() => item.getByTestId('answer-by').textContent()).toBe('ควรตอบภายใน 25 พ.ย. 2569 10:30 น.');
    expect(await item.getByTestId('overdue').count()).toBe(0);

    clock.advance(42 * MINUTE);
    await expect.poll(() => item.getByTestId('overdue').textContent(), { timeout: 10_000 }).toBe('เกินเวลาตอบ 12 นาที');
    expect(await item.getByTestId('answer-by').count()).toBe(0);
    await page.context().close();
  }, 60_000);

  it("lets a supervisor set a district's hours and a holiday typed in B.E., and lists the public holidays", async () => {
    clock.time = at('2026-11-25T11:00:00'); // the public-holiday list covers 2026 and 2027
    const page = await signedIn('boss');
    await page.goto(`${server.url}/console/settings/4902`);
    const card = page.getByTestId('office-hours-card');
    await card.getByTestId('office-hours-form').waitFor({ timeout: 10_000 });
    expect(await card.getByTestId('office-hours-source').textContent()).toBe('อำเภอนี้ใช้เวลาทำการตามค่าเริ่มต้นของระบบ');
    expect(await card.getByTestId('office-opens').inputValue()).toBe('08:30');

    // What the server would refuse is said before sending.
    await card.getByTestId('office-opens').fill('16:00');
    await card.getByTestId('office-closes').fill('09:00');
    await card.getByTestId('office-save').click();
    await expect.poll(() => card.getByRole('alert').textContent()).toBe('เวลาเปิดต้องมาก่อนเวลาปิด');

    // Typed the way people type it: read as 24-hour time.
    await card.getByTestId('office-opens').fill('9.00');
    await card.getByTestId('office-closes').fill('15:00');
    await card.getByTestId('office-day-5').uncheck();
    await card.getByTestId('office-day-6').check();
    await card.getByTestId('office-answer-minutes').fill('45');
    await card.getByTestId('office-save').click();
    await expect.poll(() => card.getByRole('status').textContent()).toBe('บันทึกเวลาทำการแล้ว');
    expect(await card.getByTestId('office-hours-source').textContent()).toMatch(/^แก้ไขล่าสุด .* 2569 .* โดย boss$/);
    expect(await card.getByTestId('office-opens').inputValue()).toBe('09:00');

    await card.getByTestId('office-holiday-day').fill('8/12/2569');
    await card.getByTestId('office-holiday-name').fill('งานกาชาดอำเภอ');
    await card.getByTestId('office-holiday-add').click();
    const holiday = card.getByTestId('office-holiday');
    await expect.poll(() => holiday.allTextContents()).toEqual([expect.stringContaining('8 ธ.ค. 2569')]);
    expect(await holiday.first().textContent()).toContain('งานกาชาดอำเภอ');

    // A day that does not exist is refused on the page.
    await card.getByTestId('office-holiday-day').fill('31/2/2570');
    await card.getByTestId('office-holiday-name').fill('ไม่มีวันนี้');
    await card.getByTestId('office-holiday-add').click();
    await expect.poll(() => card.getByRole('alert').textContent()).toBe('วันที่ไม่ถูกต้อง กรุณาพิมพ์แบบ 1/12/2569');

    const stored = await new DistrictOfficeStore(DEFAULT_OFFICE_HOURS).read(server.db, '4902');
    expect(stored).toMatchObject({ opens: 9 * 60, closes: 15 * 60, weekdays: [1, 2, 3, 4, 6], answerMinutes: 45, holidays: [{ day: '2026-12-08', name: 'งานกาชาดอำเภอ' }], updatedBy: 'boss' });

    // The public holidays close every district: listed, not editable.
    const list = card.getByTestId('office-public-holidays');
    await list.locator('summary').click();
    expect(await list.textContent()).toContain('วันพ่อแห่งชาติ');
    expect(await list.locator('input, button').count()).toBe(0);

    // Removing the holiday keeps the hours.
    await card.getByTestId('office-holiday-remove').click();
    await expect.poll(() => card.getByTestId('office-holiday').count()).toBe(0);
    expect(await new DistrictOfficeStore(DEFAULT_OFFICE_HOURS).read(server.db, '4902')).toMatchObject({ opens: 9 * 60, answerMinutes: 45, holidays: [] });
    await page.context().close();
  }, 60_000);
});
