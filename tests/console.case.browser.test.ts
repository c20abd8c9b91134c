/**
 * The case detail page's officer actions, in Debian's headless Chromium, against the real server and its LINE
 * emulator: an officer of district 4901 opens a citizen's case, assigns it to a colleague, forwards it to an
 * agency with a public note, ends it with a reason from the Ministry's list, and reopens it. After each step the
 * page, the database and what the citizen received in LINE are checked. What the citizen wrote stays text.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { END_REASONS, NOT_ACCEPTED_REASONS } from '../cases/reasons';
import { caseTexts } from '../console/web/src/texts/case';
import { jobsByKeyPrefix } from '../scheduler/jobs';
import { launchBrowser } from './support/browser';
import { OFFICER_PASSWORD } from './support/console-client';
import { ensureConsolePages, signIn } from './support/console-pages';
import { fileComplaint, lines, newCitizen, received, runDueJobs } from './support/citizen';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const AGENCY = 'การไฟฟ้าส่วนภูมิภาคอำเภอเมืองมุกดาหาร';
const STORY = 'ไฟถนนหน้าบ้านดับ <b>อันตราย</b> <img src=x onerror="window.hacked=1"> ค่ะ';

beforeAll(ensureConsolePages, 120_000);

describe("every reason code has the officer's words in both languages", () => {
  it.each([...END_REASONS, ...NOT_ACCEPTED_REASONS])('%s', (code) => {
    const key = `reason.${code}` as keyof typeof caseTexts.th;
    expect(caseTexts.th[key]?.trim()).toBeTruthy();
    expect(caseTexts.en[key]?.trim()).toBeTruthy();
  });
});

describe.each(browserEngines('sqlite'))('the case page: assign, forward, end with a reason, reopen, in Chromium with the real server (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let citizen: string;
  let number: string;
  const ids: Record<string, number> = {};
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    const officers = new OfficerStore(server.db);
    for (const o of [
      { username: 'somsri', displayName: 'สมศรี ใจดี', role: 'officer', districtCode: '4901' },
      { username: 'malee', displayName: 'มาลี ขยันดี', role: 'officer', districtCode: '4901' },
      { username: 'niran', displayName: 'นิรันดร์ มั่นคง', role: 'officer', districtCode: '4902' },
    ] as const) {
      ids[o.username] = (await officers.create(CLI_ACTOR, { ...o, password: OFFICER_PASSWORD })).id;
    }
    citizen = newCitizen(server, 'th', 'มานี');
    number = await fileComplaint(server, citizen, 'th', { story: STORY });
    await server.db.query(`UPDATE cases SET district_code = '4901', province_code = '49' WHERE tracking_number = $1`, [number]);

    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e));
    // Signed in on the case's own address, as from a link: the form keeps her on the case.
    await signIn(page, server.url, 'somsri', OFFICER_PASSWORD, `/console/cases/${number}`);
    await page.getByTestId('case').waitFor();
  }, 180_000);

  afterAll(async () => {
    expect(errors).toEqual([]);
    await browser?.close();
    await server?.stop();
  });

  const caseRow = async () => {
    const [row] = await server.db.query<{ status: string; forwarded_to: string | null; close_reason: string | null; closed_at: unknown; reopen_count: number | string; assigned_officer_id: unknown; due_at: number | string }>(
      'SELECT status, forwarded_to, close_reason, closed_at, reopen_count, assigned_officer_id, due_at FROM cases WHERE tracking_number = $1',
      [number],
    );
    return row!;
  };
  const heading = () => page.locator('h1 .status').textContent();
  const lastEvent = () => page.getByTestId('timeline-event').last();

  it("shows what the citizen wrote as text, never as the page's HTML", async () => {
    await expect.poll(() => page.locator('.story').first().textContent()).toBe(STORY);
    expect(await page.locator('.case-page b, .case-page img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
    expect(await page.getByTestId('assigned-to').textContent()).toBe('ยังไม่มอบหมาย');
  });

  it('assigns the case to a colleague of the district, chosen from the server’s list', async () => {
    const select = page.getByTestId('assign-select');
    await expect.poll(() => select.locator('option').allTextContents()).toEqual(['— เลือกเจ้าหน้าที่ —', 'มาลี ขยันดี', 'สมศรี ใจดี']);
    await select.selectOption({ label: 'มาลี ขยันดี' });
    await page.getByTestId('assign-submit').click();
    await expect.poll(() => page.getByTestId('assigned-to').textContent()).toBe('มาลี ขยันดี');
    expect(await lastEvent().getByTestId('event-assignee').textContent()).toBe('มอบหมายให้ มาลี ขยันดี');
    expect(await lastEvent().textContent()).toContain('โดย สมศรี ใจดี');
    expect(Number((await caseRow()).assigned_officer_id)).toBe(ids.malee);
    // Assigning her again would change nothing: the button waits for another choice.
    expect(await page.getByTestId('assign-submit').isDisabled()).toBe(true);
  }, 30_000);

  it('forwards the case to an agency with a public note: the agency is asked for, kept, shown and told to the citizen', async () => {
    const before = server.emulator.delivered(citizen).length;
    await page.getByTestId('status-select').selectOption('forwarded');
    await page.getByTestId('agency-input').waitFor();
    expect(await page.getByTestId('reason-select').count()).toBe(0);
    expect(await page.getByTestId('status-submit').isDisabled()).toBe(true); // no agency yet
    await page.getByTestId('agency-input').fill(AGENCY);
    await page.getByTestId('status-form').locator('textarea').fill('ส่งหนังสือประสานแล้ว');
    expect(await page.getByTestId('status-public').isChecked()).toBe(true);
    await page.getByTestId('status-submit').click();

    await expect.poll(heading).toBe('ส่งต่อหน่วยงานที่เกี่ยวข้อง');
    await expect.poll(() => page.getByTestId('forwarded-to').textContent()).toBe(AGENCY);
    expect(await lastEvent().getByTestId('event-agency').textContent()).toBe(`ส่งต่อให้: ${AGENCY}`);
    expect(await lastEvent().locator('.note').textContent()).toBe('ส่งหนังสือประสานแล้ว');
    expect(await lastEvent().locator('.badge').textContent()).toBe('แจ้งประชาชน');
    expect(await caseRow()).toMatchObject({ status: 'forwarded', forwarded_to: AGENCY });
    expect(lines(await received(server, citizen, before, 2))[0]).toBe(
      `ความคืบหน้าเรื่อง ${number}: ส่งต่อหน่วยงานที่เกี่ยวข้อง\nหน่วยงานที่รับเรื่องต่อ: ${AGENCY}\nหมายเหตุจากเจ้าหน้าที่: ส่งหนังสือประสานแล้ว`,
    );
  }, 30_000);

  it("ends the case with a reason from the Ministry's list, then offers only reopening", async () => {
    const before = server.emulator.delivered(citizen).length;
    await page.getByTestId('status-select').selectOption('ended');
    const reason = page.getByTestId('reason-select');
    await reason.waitFor();
    expect(await page.getByTestId('agency-input').count()).toBe(0);
    const options = await reason.locator('option').allTextContents();
    expect(options).toEqual(['— เลือกเหตุผล —', ...END_REASONS.map((r) => caseTexts.th[`reason.${r}`])]);
    expect(await page.getByTestId('status-submit').isDisabled()).toBe(true); // no reason yet
    // Not accepting offers its own list.
    await page.getByTestId('status-select').selectOption('not_accepted');
    await expect.poll(() => reason.locator('option').count()).toBe(NOT_ACCEPTED_REASONS.length + 1);
    await page.getByTestId('status-select').selectOption('ended');
    await reason.selectOption('resolved');
    await page.getByTestId('status-submit').click();

    await expect.poll(heading).toBe('ยุติเรื่องแล้ว');
    await expect.poll(() => page.getByTestId('close-reason').textContent()).toBe('แก้ไขปัญหาแล้ว');
    expect(await lastEvent().getByTestId('event-reason').textContent()).toBe('เหตุผล: แก้ไขปัญหาแล้ว');
    await page.getByTestId('reopen-form').waitFor();
    expect(await page.getByTestId('status-form').count()).toBe(0);
    const row = await caseRow();
    expect({ status: row.status, reason: row.close_reason, closed: row.closed_at !== null }).toEqual({ status: 'ended', reason: 'resolved', closed: true });
    // The result, its timeline card, then the satisfaction survey the ending starts.
    await runDueJobs(server, `survey:${number}`, Date.now, citizen);
    const told = lines(await received(server, citizen, before, 3));
    expect(told[0]).toBe(`ความคืบหน้าเรื่อง ${number}: ยุติเรื่องแล้ว\nเหตุผล: ได้แก้ไขปัญหาให้แล้ว`);
    expect(told[2]).toContain('ท่านพึงพอใจ');
  }, 30_000);

  it('reopens the closed case with a note: open again, the progress clock restarted, the citizen told', async () => {
    const before = server.emulator.delivered(citizen).length;
    expect(await page.getByTestId('reopen-submit').isDisabled()).toBe(true); // a note is required
    await page.getByTestId('reopen-note').fill('ผู้ร้องแจ้งว่าไฟดับอีก ขอตรวจซ้ำ');
    const started = Date.now();
    await page.getByTestId('reopen-submit').click();

    await expect.poll(heading).toBe('อยู่ระหว่างดำเนินการ');
    await page.getByTestId('status-form').waitFor();
    expect(await page.getByTestId('reopen-form').count()).toBe(0);
    expect(await page.getByTestId('close-reason').count()).toBe(0);
    const kinds = await page.getByTestId('timeline-event').locator('strong').allTextContents();
    expect(kinds.slice(-2)).toEqual(['เปิดเรื่องอีกครั้ง', 'เปลี่ยนสถานะ']);
    expect(await lastEvent().locator('.note').textContent()).toBe('ผู้ร้องแจ้งว่าไฟดับอีก ขอตรวจซ้ำ');

    const row = await caseRow();
    expect({ status: row.status, reason: row.close_reason, closedAt: row.closed_at, reopened: Number(row.reopen_count) }).toEqual({
      status: 'in_progress',
      reason: null,
      closedAt: null,
      reopened: 1,
    });
    const dueAt = Number(row.due_at);
    expect(dueAt).toBeGreaterThanOrEqual(started + 15 * 86_400_000);
    expect((await jobsByKeyPrefix(server.db, `progress:${number}`)).map((j) => ({ status: j.status, runAt: j.runAt }))).toEqual([{ status: 'pending', runAt: dueAt }]);
    expect(lines(await received(server, citizen, before, 2))[0]).toBe(
      `ความคืบหน้าเรื่อง ${number}: อยู่ระหว่างดำเนินการ\nเจ้าหน้าที่เปิดเรื่องนี้อีกครั้ง\nหมายเหตุจากเจ้าหน้าที่: ผู้ร้องแจ้งว่าไฟดับอีก ขอตรวจซ้ำ`,
    );
  }, 30_000);

  it('shows the reasons and agencies in English too, and the assignee in the case list', async () => {
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('event-reason').last().textContent()).toBe('Reason: Resolved');
    expect(await page.getByTestId('event-agency').first().textContent()).toBe(`Forwarded to: ${AGENCY}`);
    await page.getByTestId('lang-switch').click();
    await page.goto(`${server.url}/console/cases`);
    const row = page.getByTestId('case-row').filter({ hasText: number });
    await expect.poll(() => row.getByTestId('case-assignee').textContent()).toBe('มาลี ขยันดี');
  }, 30_000);
});
