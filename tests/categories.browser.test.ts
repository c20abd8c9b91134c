/**
 * A new category that a flow then uses, in Debian's headless Chromium against the real server and its LINE emulator
 * (issue 14's "done when"): an admin adds a choice to the complaint flow and sees that it files into no category;
 * adds the category on the หมวดเรื่อง page; picks it for the choice, and the draft passes and is published; a
 * citizen in LINE files a complaint through it and the case shows in the console with the category's Thai name.
 * Retiring it is refused while the live flow offers it; after a rollback it is retired, and the old case is still
 * readable, labelled as before. Supervisors see the page read-only; every change is audited under the admin's name.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { ensureConsolePages, openConsoleAs, type SignedInConsole } from './support/console-pages';
import { DAY, fileComplaint, newCitizen } from './support/citizen';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { OFFICER_PASSWORD } from './support/console-client';

const CHOICE = { th: 'ข้อพิพาทที่ดิน', en: 'Land dispute' };

beforeAll(ensureConsolePages, 180_000);

describe.each(browserEngines('postgres'))('a new category that a flow then uses, in Chromium with the real server (%s)', (engine) => {
  let server: TestServer;
  let admin: SignedInConsole;
  let page: Page;
  let adminId: number;
  let draftUrl = '';
  let number = '';

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    const officers = new OfficerStore(server.db);
    adminId = (await officers.create(CLI_ACTOR, { username: 'admin', displayName: 'ผู้ดูแล ระบบ', role: 'admin', password: OFFICER_PASSWORD })).id;
    await officers.create(CLI_ACTOR, { username: 'boss49', displayName: 'หัวหน้า จังหวัด', role: 'supervisor', provinceCode: '49', password: OFFICER_PASSWORD });
    admin = await openConsoleAs(server.url, 'admin', '/console/flows/complaint');
    page = admin.page;
  }, 180_000);

  afterAll(async () => {
    expect(admin?.errors ?? []).toEqual([]);
    await admin?.close();
    await server?.stop();
  });

  const node = (id: string) => page.locator(`[data-testid="flow-node"][data-node="${id}"]`);
  const pair = (field: string) => page.locator(`[data-testid="text-pair"][data-field="${field}"]`);
  const newChoice = () => page.getByTestId('option').nth(8);
  const row = (code: string) => page.locator(`[data-testid="category-row"][data-code="${code}"]`);

  it('adds a choice to the complaint flow: it files into no category, so the draft cannot be published', async () => {
    await page.getByTestId('flow-edit').click();
    await page.waitForURL(/\/console\/flows\/complaint\/drafts\/\d+$/);
    draftUrl = page.url();
    await node('category').click();
    await page.getByTestId('option-add').click();
    await pair('options.8.label').getByTestId('text-th').fill(CHOICE.th);
    await pair('options.8.label').getByTestId('text-en').fill(CHOICE.en);
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toBe('ข้อผิดพลาด 1 · คำเตือน 0');
    expect(await newChoice().getByTestId('field-error').textContent()).toContain('unknown category "category_option9"');
    expect(await newChoice().locator('[data-testid="option-category"] option[value="land_dispute"]').count()).toBe(0);
    await page.getByTestId('save').click();
    await expect.poll(() => page.getByTestId('flow-editor').getAttribute('data-dirty')).toBe('false');
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('publish-blocked').waitFor();
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
  }, 60_000);

  it('adds the category on the หมวดเรื่อง page, with its own deadline', async () => {
    await page.getByTestId('nav-categories').click();
    await row('complaint').waitFor();
    expect(await page.locator('h1').textContent()).toBe('หมวดเรื่อง');
    await page.getByTestId('category-new').click();
    await page.getByTestId('category-code').fill('land_dispute');
    await page.getByTestId('category-name-th').fill(CHOICE.th);
    await page.getByTestId('category-name-en').fill(CHOICE.en);
    await page.getByTestId('category-deadline').fill('7');
    await page.getByTestId('category-save').click();
    await page.getByTestId('category-status').waitFor();
    expect(await row('land_dispute').textContent()).toContain(CHOICE.th);
    expect(await row('land_dispute').textContent()).toContain('7 วัน');
    expect(await row('land_dispute').getByTestId('category-state').textContent()).toBe('ใช้อยู่');

    // A code taken already is said so at once.
    await page.getByTestId('category-new').click();
    await page.getByTestId('category-code').fill('land_dispute');
    await page.getByTestId('category-name-th').fill('ซ้ำ');
    await page.getByTestId('category-name-en').fill('Again');
    await page.getByTestId('category-save').click();
    expect(await page.getByTestId('category-error').textContent()).toBe('มีหมวดที่ใช้รหัสนี้อยู่แล้ว');
  }, 60_000);

  it('picks the new category for the choice: the draft passes and is published with a note', async () => {
    await page.goto(draftUrl);
    await node('category').click();
    await newChoice().getByTestId('option-category').selectOption('land_dispute');
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toBe('ไม่มีปัญหา');
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('publish-note').fill('เพิ่มหมวดข้อพิพาทที่ดิน');
    await page.getByTestId('publish').click();
    await page.getByTestId('flow-history').waitFor();
    await expect.poll(() => page.getByTestId('flow-publication').first().getAttribute('data-version')).toBe('5');
  }, 60_000);

  it('lets a citizen in LINE file through it, and shows the case with the Thai name', async () => {
    const citizen = newCitizen(server, 'th', 'มานี');
    number = await fileComplaint(server, citizen, 'th', { category: CHOICE.th, story: 'เพื่อนบ้านล้อมรั้วรุกเข้ามาในที่ดินของเราสองเมตร ตกลงกันไม่ได้ค่ะ' });
    const [row] = await server.db.query<{ category: string; created_at: unknown; due_at: unknown }>('SELECT category, created_at, due_at FROM cases WHERE tracking_number = $1', [number]);
    expect(row!.category).toBe('land_dispute');
    expect(Number(row!.due_at) - Number(row!.created_at)).toBe(7 * DAY);

    await page.goto(`${server.url}/console/cases/${number}`);
    await expect.poll(() => page.getByTestId('case-category').textContent()).toBe(CHOICE.th);
    await page.goto(`${server.url}/console/cases`);
    expect(await page.getByTestId('filter-category').locator('option[value="land_dispute"]').textContent()).toBe(CHOICE.th);
  }, 60_000);

  it('refuses to retire it while the live flow offers it; after a rollback retires it, and the old case stays readable', async () => {
    await page.goto(`${server.url}/console/categories`);
    await row('land_dispute').getByTestId('category-open').click();
    await page.getByTestId('category-retire').click();
    await expect.poll(() => page.getByTestId('category-error').textContent()).toContain('ยังเลิกใช้ไม่ได้');
    expect(await page.getByTestId('category-error').textContent()).toContain('complaint');

    await page.goto(`${server.url}/console/flows/complaint`);
    await page.getByTestId('rollback-note').fill('เอาหมวดข้อพิพาทที่ดินออกก่อน');
    await page.getByTestId('flow-rollback').click();
    await expect.poll(() => page.getByTestId('flow-publication').first().getAttribute('data-action')).toBe('rollback');

    await page.goto(`${server.url}/console/categories`);
    await row('land_dispute').getByTestId('category-open').click();
    await page.getByTestId('category-retire').click();
    await expect.poll(() => row('land_dispute').getAttribute('data-retired')).toBe('true');
    expect(await row('land_dispute').getByTestId('category-state').textContent()).toMatch(/^เลิกใช้ตั้งแต่ /);
    await page.getByTestId('category-restore').waitFor(); // and it could come back

    await page.goto(`${server.url}/console/cases/${number}`);
    await expect.poll(() => page.getByTestId('case-category').textContent()).toBe(CHOICE.th);
    await page.goto(`${server.url}/console/cases?category=land_dispute`);
    await expect.poll(() => page.getByTestId('filter-category').locator('option[value="land_dispute"]').textContent()).toBe(`${CHOICE.th} (เลิกใช้แล้ว)`);
    await expect.poll(() => page.getByText(number).count()).toBeGreaterThan(0);

    const audit = await server.db.query<{ action: string; officer_id: number | string; target: string }>("SELECT action, officer_id, target FROM audit_log WHERE action LIKE 'category.%' ORDER BY id");
    expect(audit.map((a) => a.action)).toEqual(['category.create', 'category.retire']);
    expect(audit.every((a) => Number(a.officer_id) === adminId && a.target === 'category land_dispute')).toBe(true);
  }, 60_000);

  it('shows a supervisor the categories read-only', async () => {
    const supervisor = await openConsoleAs(server.url, 'boss49', '/console/categories');
    const boss = supervisor.page;
    await boss.locator('[data-testid="category-row"][data-code="land_dispute"]').getByTestId('category-open').click();
    await boss.getByTestId('category-form').waitFor();
    expect(await boss.getByTestId('category-new').count()).toBe(0);
    expect(await boss.getByTestId('category-save').count()).toBe(0);
    expect(await boss.getByTestId('category-name-th').isDisabled()).toBe(true);
    expect(await boss.locator('.notice').textContent()).toContain('ท่านดูได้อย่างเดียว');
    expect(supervisor.errors).toEqual([]);
    await supervisor.close();
  }, 60_000);
});
