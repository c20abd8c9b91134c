/**
 * The flow editor in Debian's headless Chromium, against the real server and its LINE emulator. An admin opens the
 * complaint flow, rewords the category question in Thai and adds a choice, sees the missing English of the new
 * choice flagged on that node and field, fixes it, tries the draft in the preview and sees the new words, compares
 * and publishes with a note; a citizen in the emulator is then asked the new question, and after a rollback the
 * old one. A supervisor sees the flows read-only. (A 200-node flow's time to open: flows-editor.timing.alone.test.ts.)
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { launchBrowser } from './support/browser';
import { ensureConsolePages, signIn } from './support/console-pages';
import { lines, newCitizen, quick, say } from './support/citizen';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { login, OFFICER_PASSWORD } from './support/console-client';

const NEW_ASK = 'อยากแจ้งเรื่องแบบไหนคะ เลือกได้เลย';
const OLD_ASK = 'เรื่องที่ต้องการแจ้งเป็นเรื่องประเภทใดคะ';

beforeAll(ensureConsolePages, 180_000);

describe.each(browserEngines('sqlite'))('the flow editor, in Chromium, with the real server (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let adminId: number;
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    const officers = new OfficerStore(server.db);
    adminId = (await officers.create(CLI_ACTOR, { username: 'admin', displayName: 'ผู้ดูแล ระบบ', role: 'admin', password: OFFICER_PASSWORD })).id;
    await officers.create(CLI_ACTOR, { username: 'boss49', displayName: 'หัวหน้า จังหวัด', role: 'supervisor', provinceCode: '49', password: OFFICER_PASSWORD });
    // The category the new choice will file into (a choice filing into none is an error: tests/categories.*).
    const land = { code: 'land', name: { th: 'ที่ดิน', en: 'Land' }, confidential: false, consentRequired: false, nationalIdRequired: false, anonymousAllowed: false, deadlineDays: null };
    expect((await (await login(server.url, 'admin')).call('POST', '/categories', land)).status).toBe(201);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    page = await context.newPage();
    page.on('pageerror', (e) => {
      errors.push(e);
      console.error(e.stack);
    });
    page.on('dialog', (d) => void d.accept());
  }, 180_000);

  afterAll(async () => {
    expect(errors).toEqual([]);
    await browser?.close();
    await server?.stop();
  });

  const node = (id: string) => page.locator(`[data-testid="flow-node"][data-node="${id}"]`);
  const pair = (field: string) => page.locator(`[data-testid="text-pair"][data-field="${field}"]`);

  it('opens the complaint flow and starts a draft from the live version', async () => {
    await signIn(page, server.url, 'admin', OFFICER_PASSWORD, '/console/flows');
    await page.locator('[data-testid="flow-row"][data-flow="complaint"]').getByTestId('flow-open').click();
    await page.getByTestId('flow-history').waitFor();
    expect(await page.getByTestId('flow-publication').first().textContent()).toContain('มากับระบบ');
    await page.getByTestId('flow-edit').click();
    await page.waitForURL(/\/console\/flows\/complaint\/drafts\/\d+$/);
    await node('category').waitFor();
    expect(await page.getByTestId('problem-count').textContent()).toBe('ไม่มีปัญหา');
  }, 60_000);

  it('rewords the question, adds a choice, and shows the missing English on that node and field', async () => {
    await node('category').click();
    await page.getByTestId('node-panel').waitFor();
    await pair('prompt').getByTestId('text-th').fill(NEW_ASK);
    await page.getByTestId('option-add').click();
    const added = pair('options.8.label');
    await added.getByTestId('text-th').fill('ที่ดิน');
    const error = added.getByTestId('field-error');
    await expect.poll(() => error.textContent()).toContain('is missing in en');
    expect(await error.textContent()).toContain('add texts.en.category_option9');
    // The new choice files into no category yet: its value is its label's key until one is picked.
    const pick = page.getByTestId('option').nth(8).getByTestId('option-category');
    expect(await page.getByTestId('option').nth(8).getByTestId('field-error').last().textContent()).toContain('unknown category "category_option9"');
    expect(await node('category').getByTestId('node-errors').textContent()).toBe('2');
    expect(await page.getByTestId('problem-count').textContent()).toBe('ข้อผิดพลาด 2 · คำเตือน 0');

    // A draft with errors is kept, never published.
    await page.getByTestId('save').click();
    await expect.poll(() => page.getByTestId('flow-editor').getAttribute('data-dirty')).toBe('false');
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('publish-blocked').waitFor();
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);

    // Undo takes the Thai label back; redo brings it again.
    await page.getByTestId('undo').click();
    await page.getByTestId('redo').click();
    await page.getByTestId('tab-node').click();
    await added.getByTestId('text-en').fill('Land');
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toBe('ข้อผิดพลาด 1 · คำเตือน 0');
    await pick.selectOption('land');
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toBe('ไม่มีปัญหา');
    expect(await node('category').getByTestId('node-errors').count()).toBe(0);
  }, 60_000);

  it('runs the draft in the preview: the new question, the new choice, the node lit on the canvas', async () => {
    await page.getByTestId('tab-preview').click();
    await page.getByTestId('preview-start').click();
    await expect.poll(() => page.getByTestId('preview-bot').first().textContent()).toBe(NEW_ASK);
    expect(await page.getByTestId('preview-quick-item').allTextContents()).toContain('ที่ดิน');
    await expect.poll(() => node('category').getAttribute('data-running')).toBe('true');
    await page.getByTestId('preview-quick-item').filter({ hasText: 'ร้องเรียน/ร้องทุกข์' }).click();
    await expect.poll(() => page.getByTestId('preview-bot').last().textContent()).toContain('กรุณาเล่าเหตุการณ์');
    await expect.poll(() => node('story').getAttribute('data-running')).toBe('true');
    const before = await server.db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM outbox_message');
    expect(Number(before[0]!.n)).toBe(0); // nothing went to LINE
  }, 60_000);

  it('compares with the live version on the canvas and as text, and publishes with a note', async () => {
    await page.getByTestId('tab-compare').click();
    // The list names the changed node; picking it brings its card into view, marked.
    await page.locator('[data-testid="diff-node"][data-node="category"]').getByRole('button').click();
    await expect.poll(() => node('category').getAttribute('data-mark')).toBe('changed');
    expect(await page.locator('[data-testid="diff-text"][data-key="askCategory"][data-lang="th"]').textContent()).toContain(NEW_ASK);
    expect(await page.getByTestId('compare-summary').textContent()).toContain('แก้ 1 ขั้น');
    await page.getByTestId('publish-note').fill('ถามประเภทเรื่องให้สั้นลง เพิ่มหมวดที่ดิน');
    await page.getByTestId('publish').click();
    await page.getByTestId('flow-history').waitFor();
    const first = page.getByTestId('flow-publication').first();
    await expect.poll(() => first.getAttribute('data-version')).toBe('5');
    expect(await first.textContent()).toContain('ถามประเภทเรื่องให้สั้นลง เพิ่มหมวดที่ดิน');
    expect(await first.textContent()).toContain('admin');
  }, 60_000);

  it('asks a citizen the new question at once, and the old one again after a rollback', async () => {
    const citizen = newCitizen(server, 'th', 'มานี');
    const heard = await say(server, citizen, 'ร้องเรียน');
    expect(lines(heard)).toContain(NEW_ASK);
    expect(quick(heard.at(-1))).toContain('ที่ดิน');

    await page.getByTestId('rollback-note').fill('ขอกลับไปใช้คำถามเดิมก่อน');
    await page.getByTestId('flow-rollback').click();
    await expect.poll(() => page.getByTestId('flow-publication').first().getAttribute('data-action')).toBe('rollback');
    const other = newCitizen(server, 'th', 'มานะ');
    expect(lines(await say(server, other, 'ร้องเรียน'))).toContain(OLD_ASK);

    const audit = await server.db.query<{ action: string; officer_id: number | string }>("SELECT action, officer_id FROM audit_log WHERE action LIKE 'flow.%' ORDER BY id");
    expect(audit.map((a) => a.action)).toEqual(['flow.draft_create', 'flow.draft_save', 'flow.draft_save', 'flow.publish', 'flow.rollback']);
    expect(audit.every((a) => Number(a.officer_id) === adminId)).toBe(true);
  }, 60_000);

  it('shows a supervisor the flows read-only', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    const boss = await context.newPage();
    boss.on('pageerror', (e) => errors.push(e));
    await signIn(boss, server.url, 'boss49', OFFICER_PASSWORD, '/console/flows/complaint');
    await boss.getByTestId('flow-history').waitFor();
    expect(await boss.getByTestId('flow-edit').count()).toBe(0);
    await boss.getByTestId('flow-view-live').click();
    await boss.locator('[data-testid="flow-node"][data-node="category"]').click();
    expect(await boss.locator('[data-testid="text-pair"][data-field="prompt"]').getByTestId('text-th').isDisabled()).toBe(true);
    expect(await boss.getByTestId('save').count()).toBe(0);
    await context.close();
  }, 60_000);
});
