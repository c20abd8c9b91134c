/**
 * The console's admin and settings pages, in Debian's headless Chromium, against the real server and its LINE
 * emulator: an admin signs in, creates an officer account (a bad password first: the server's reason is shown),
 * opens a district's settings, makes a binding code that a LINE group then types (the group shows as bound),
 * adds an e-mail target and a canned reply; the new officer signs in, takes a citizen's chat and finds the canned
 * reply among hers, and sending it reaches the citizen; the admin opens a case and finds that view in the audit
 * log. The pages are built first when console/dist is missing or older than console/web.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { launchBrowser } from './support/browser';
import { ensureConsolePages, signIn, thaiShortDate } from './support/console-pages';
import { fileComplaint, follow, lines, newCitizen, received, say } from './support/citizen';
import { browserEngines } from './support/databases';
import { startTestServer, waitFor, type TestServer } from './support/server';

const ADMIN_PASSWORD = 'the-admins-long-password';
const MALEE_PASSWORD = 'malee-first-password';

beforeAll(ensureConsolePages, 120_000);

describe.each(browserEngines('postgres'))('the console admin and settings pages, in Chromium, with the real server (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let adminContext: BrowserContext;
  let page: Page;
  let caseNumber: string;
  const errors: Error[] = [];
  const officersGroup = `C${'e5'.repeat(16)}`;

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'admin', displayName: 'ผู้ดูแล ระบบ', role: 'admin', password: ADMIN_PASSWORD });
    const citizen = newCitizen(server, 'th', 'บุญมี');
    await follow(server, citizen);
    caseNumber = await fileComplaint(server, citizen, 'th', { phone: '081-234-5678' });
    await server.db.query(`UPDATE cases SET district_code = '4901', province_code = '49' WHERE tracking_number = $1`, [caseNumber]);
    browser = await launchBrowser();
    adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    page = await adminContext.newPage();
    page.on('pageerror', (e) => errors.push(e));
    // The pages ask before removing or disabling; the test says yes.
    page.on('dialog', (d) => void d.accept());
  }, 120_000);

  afterAll(async () => {
    expect(errors).toEqual([]);
    await browser?.close();
    await server?.stop();
  });

  it('lets the admin create an officer account, showing the server reason for a bad one', async () => {
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    for (const nav of ['nav-settings', 'nav-accounts', 'nav-audit']) expect(await page.getByTestId(nav).count()).toBe(1);
    await page.getByTestId('nav-accounts').click();
    await page.waitForURL(/\/console\/accounts$/);
    await page.getByTestId('account-row').first().waitFor();
    expect(await page.getByTestId('account-row').count()).toBe(1);

    await page.getByTestId('account-username').fill('malee');
    await page.getByTestId('account-display-name').fill('มาลี ศรีสุข');
    await page.getByTestId('account-role').selectOption('officer');
    await page.getByTestId('account-province').selectOption('49');
    await page.getByTestId('account-district').selectOption('4901');
    expect(await page.getByTestId('account-district').locator('option:checked').textContent()).toBe('เมืองมุกดาหาร (4901)');
    await page.getByTestId('account-password').fill('short');
    await page.getByTestId('account-create').click();
    const error = await page.getByTestId('account-error').textContent();
    expect(error).toContain('Invalid officer');
    expect(error).toContain('รหัสผ่านเริ่มต้น:'); // the field, named in the page's words, with the server's reason
    expect(await server.db.query(`SELECT id FROM officer WHERE username = 'malee'`)).toEqual([]);

    await page.getByTestId('account-password').fill(MALEE_PASSWORD);
    await page.getByTestId('account-create').click();
    await expect.poll(() => page.getByTestId('account-created').textContent()).toBe('สร้างบัญชี มาลี ศรีสุข (malee) แล้ว');
    const row = page.locator('[data-testid="account-row"][data-username="malee"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('เจ้าหน้าที่อำเภอ');
    expect(await row.textContent()).toContain('เมืองมุกดาหาร (4901)');
    const [stored] = await server.db.query<{ role: string; district_code: string }>(`SELECT role, district_code FROM officer WHERE username = 'malee'`);
    expect(stored).toEqual({ role: 'officer', district_code: '4901' });
  }, 60_000);

  it("sets up a district: binds the officers' LINE group by code, adds an e-mail target and a canned reply", async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('district-search').fill('มุกดาหาร');
    await page.getByTestId('district-4901').click();
    await page.waitForURL(/\/console\/settings\/4901$/);
    await expect.poll(() => page.getByTestId('settings-title').textContent()).toContain('อำเภอเมืองมุกดาหาร จังหวัดมุกดาหาร');
    await page.getByTestId('no-groups').waitFor();

    // A one-time code, with how to type it and when it expires (Buddhist Era); typed in the group, it binds it.
    await page.getByTestId('make-binding-code').click();
    const code = (await page.getByTestId('binding-code').textContent())!;
    expect(code).toMatch(/^DTC-\d{4}-[A-Z]{2}$/);
    expect(await page.getByTestId('binding-code-box').textContent()).toContain(`พิมพ์รหัส ${code} ในกลุ่มนั้น`);
    expect(await page.getByTestId('binding-code-expiry').textContent()).toContain(thaiShortDate(Date.now() + 86_400_000));
    const event = server.emulator.buildEvent({
      groupId: officersGroup,
      source: { type: 'group', groupId: officersGroup, userId: `U${'f6'.repeat(16)}` },
      type: 'message',
      message: { type: 'text', text: code.toLowerCase() },
    } as never);
    expect((await server.emulator.deliver([event])).status).toBe(200);
    await waitFor(async () => {
      const [r] = await server.db.query<{ status: string }>('SELECT status FROM inbox_event WHERE webhook_event_id = $1', [event.webhookEventId]);
      return r?.status === 'done';
    }, 10_000, 'the code typed in the group handled');
    await page.getByTestId('reload-groups').click();
    await page.getByTestId('bound-group').waitFor();
    expect(await page.getByTestId('bound-group').locator('[title]').getAttribute('title')).toBe(officersGroup);

    // An address the server cannot deliver to is refused with its reason; a good one is listed.
    await page.getByTestId('email-input').fill('mueang@localhost');
    await page.getByTestId('email-add').click();
    await expect.poll(() => page.getByTestId('email-card').locator('.error').textContent()).toContain('not an e-mail address');
    await page.getByTestId('email-input').fill('mueang@example.go.th');
    await page.getByTestId('email-add').click();
    await expect.poll(() => page.getByTestId('email-target').textContent()).toContain('mueang@example.go.th');
    expect(await page.getByTestId('email-input').inputValue()).toBe('');

    // A webhook with a generated secret: the page says it is stored, and the server never sends it back.
    await page.getByTestId('webhook-url').fill('https://helpdesk.example.go.th/hooks/echannel');
    await page.getByTestId('webhook-generate').click();
    const secret = await page.getByTestId('webhook-secret').inputValue();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await page.getByTestId('webhook-add').click();
    await page.getByTestId('webhook-secret-stored').waitFor();
    await expect.poll(() => page.getByTestId('webhook-target').textContent()).toContain('เก็บรหัสลับแล้ว');
    expect(await page.getByTestId('webhook-secret').inputValue()).toBe('');
    expect(await page.content()).not.toContain(secret);

    await page.getByTestId('canned-new').click();
    await page.getByTestId('canned-title-input').fill('รับเรื่องแล้ว');
    await page.getByTestId('canned-th-input').fill('เจ้าหน้าที่รับเรื่องของท่านแล้วค่ะ จะแจ้งความคืบหน้าภายใน 15 วัน');
    await page.getByTestId('canned-en-input').fill('An officer has your request; we will update you within 15 days.');
    await page.getByTestId('canned-save').click();
    await expect.poll(() => page.getByTestId('canned-title').allTextContents()).toEqual(['รับเรื่องแล้ว']);

    // What the page did is what the server keeps.
    const targets = await server.db.query<{ kind: string; address: string }>(`SELECT kind, address FROM district_target WHERE district_code = '4901' AND active = $1 ORDER BY id`, [
      server.db.dialect === 'postgres' ? true : 1,
    ]);
    expect(targets).toEqual([
      { kind: 'line_group', address: officersGroup },
      { kind: 'email', address: 'mueang@example.go.th' },
      { kind: 'webhook', address: 'https://helpdesk.example.go.th/hooks/echannel' },
    ]);
  }, 60_000);

  it('edits and deletes a canned reply on the settings page', async () => {
    await page.getByTestId('canned-new').click();
    await page.getByTestId('canned-title-input').fill('ชั่วคราว');
    await page.getByTestId('canned-th-input').fill('ข้อความชั่วคราว');
    await page.getByTestId('canned-en-input').fill('A passing message');
    await page.getByTestId('canned-save').click();
    const passing = page.getByTestId('canned-reply').filter({ hasText: 'ชั่วคราว' });
    await passing.waitFor();
    await passing.getByTestId('canned-edit').click();
    await page.getByTestId('canned-title-input').fill('แก้แล้ว');
    await page.getByTestId('canned-save').click();
    // Listed by title: the order is the database's collation of Thai, so the test compares the set.
    await expect.poll(async () => (await page.getByTestId('canned-title').allTextContents()).sort()).toEqual(['รับเรื่องแล้ว', 'แก้แล้ว']);
    await page.getByTestId('canned-reply').filter({ hasText: 'แก้แล้ว' }).getByTestId('canned-delete').click();
    await expect.poll(() => page.getByTestId('canned-title').allTextContents()).toEqual(['รับเรื่องแล้ว']);
  }, 60_000);

  it("gives the new officer the district's canned reply in a chat, and no admin pages", async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    try {
      const hers = await context.newPage();
      hers.on('pageerror', (e) => errors.push(e));
      await signIn(hers, server.url, 'malee', MALEE_PASSWORD);
      for (const nav of ['nav-settings', 'nav-accounts', 'nav-audit']) expect(await hers.getByTestId(nav).count()).toBe(0);

      const manee = newCitizen(server, 'th', 'มานี');
      await follow(server, manee);
      await say(server, manee, 'ติดต่อเจ้าหน้าที่');
      const item = hers.getByTestId('queue-item').filter({ hasText: 'มานี' });
      await item.waitFor({ timeout: 10_000 });
      await item.getByTestId('claim').click();
      await hers.waitForURL(/\/console\/chat\/\d+$/);
      const canned = hers.getByTestId('canned');
      await expect.poll(() => canned.allTextContents(), { timeout: 10_000 }).toEqual(['รับเรื่องแล้ว']);

      const before = server.emulator.delivered(manee).length;
      await canned.click();
      expect(lines(await received(server, manee, before, 1))).toEqual(['เจ้าหน้าที่รับเรื่องของท่านแล้วค่ะ จะแจ้งความคืบหน้าภายใน 15 วัน']);

      // The settings page is the server's to refuse, whatever the address bar says.
      await hers.goto(`${server.url}/console/settings/4901`);
      await hers.getByTestId('settings-title').waitFor();
      await hers.locator('.notice').waitFor();
      expect(await hers.getByTestId('make-binding-code').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("shows the admin's view of a case's personal data in the audit log, with who, which case and when", async () => {
    await page.goto(`${server.url}/console/cases/${caseNumber}`);
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('nav-audit').click();
    await page.waitForURL(/\/console\/audit$/);
    const viewed = page.locator('[data-testid="audit-row"][data-action="case.view_personal"]');
    await viewed.first().waitFor();
    // One line per time the page fetched the case (a page may fetch it again after a change): at least one.
    expect(await viewed.count()).toBeGreaterThanOrEqual(1);
    const text = (await viewed.first().textContent())!;
    expect(text).toContain('เปิดดูข้อมูลส่วนบุคคลของเรื่อง');
    expect(text).toContain('ผู้ดูแล ระบบ');
    expect(text).toContain('admin');
    expect(text).toContain(caseNumber);
    expect(text).toContain(thaiShortDate(Date.now()));
    expect(text).not.toMatch(/081-?234-?5678/);
    // The account and the settings the admin changed are there too, newest first.
    // Opening the case page also looks at the person beside it and the evidence's thumbnails: lines of their own.
    const beside = ['case.view_person', 'case.view_file'];
    const actions = (await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).filter((a) => !beside.includes(a!));
    expect(actions[0]).toBe('case.view_personal');
    expect(actions.filter((a) => a !== 'case.view_personal' && a !== 'handoff.view_chat').slice(0, 2)).toEqual(['session.login', 'canned_reply.delete']);
    // The officer's reading of the chat she answered is logged too.
    expect(actions).toContain('handoff.view_chat');
    expect(actions).toContain('officer.create');
    expect(actions).toContain('canned_reply.create');

    // Filtered by action, through the address bar so it can be bookmarked; the case number opens the case.
    await page.getByTestId('audit-action').selectOption('officer.create');
    await page.getByTestId('audit-filters').locator('button[type="submit"]').click();
    await page.waitForURL(/\/console\/audit\?action=officer\.create$/);
    await expect.poll(() => page.getByTestId('audit-target-cell').allTextContents()).toEqual(['malee', 'admin']);
    // The first admin came from the CLI: no officer did it.
    expect(await page.getByTestId('audit-row').last().textContent()).toContain('ระบบ (คำสั่ง CLI)');
    expect(await page.getByTestId('audit-row').first().textContent()).toContain('ผู้ดูแล ระบบ');

    // Days typed in B.E.: today keeps the lines, and the range is read back in B.E.; yesterday has none.
    const today = thaiShortDate(Date.now());
    const d = new Date(Date.now() + 7 * 3_600_000);
    const typed = (at: Date) => `${at.getUTCDate()}/${at.getUTCMonth() + 1}/${at.getUTCFullYear() + 543}`;
    await page.getByTestId('audit-from').fill(typed(d));
    await page.getByTestId('audit-to').fill(typed(d));
    await page.getByTestId('audit-filters').locator('button[type="submit"]').click();
    await expect.poll(() => page.getByTestId('audit-range').textContent()).toBe(`ช่วงวันที่ ${today} ถึง ${today}`);
    await expect.poll(() => page.getByTestId('audit-target-cell').allTextContents()).toEqual(['malee', 'admin']);
    const yesterday = new Date(d.getTime() - 86_400_000);
    await page.getByTestId('audit-from').fill(typed(yesterday));
    await page.getByTestId('audit-to').fill(typed(yesterday));
    await page.getByTestId('audit-filters').locator('button[type="submit"]').click();
    await page.locator('.empty').waitFor();
    expect(await page.getByTestId('audit-row').count()).toBe(0);

    await page.getByTestId('audit-from').fill('');
    await page.getByTestId('audit-to').fill('');
    await page.getByTestId('audit-action').selectOption('case.view_personal');
    await page.getByTestId('audit-filters').locator('button[type="submit"]').click();
    await page.getByTestId('audit-target-cell').locator('a').first().click();
    await page.waitForURL(new RegExp(`/console/cases/${caseNumber}$`));
  }, 60_000);

  it("disables the officer's account: she is signed out and cannot sign in again", async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    try {
      const hers = await context.newPage();
      await signIn(hers, server.url, 'malee', MALEE_PASSWORD);

      await page.getByTestId('nav-accounts').click();
      const row = page.locator('[data-testid="account-row"][data-username="malee"]');
      await row.getByTestId('account-disable').click();
      await expect.poll(() => row.getByTestId('account-status').textContent()).toBe('ระงับแล้ว');
      expect(await row.getByTestId('account-disable').count()).toBe(0);
      // The admin cannot disable herself from the page.
      expect(await page.locator('[data-testid="account-row"][data-username="admin"]').getByTestId('account-disable').count()).toBe(0);

      await hers.reload();
      await hers.getByTestId('login-username').waitFor();
      await hers.getByTestId('login-username').fill('malee');
      await hers.getByTestId('login-password').fill(MALEE_PASSWORD);
      await hers.getByTestId('login-submit').click();
      await expect.poll(() => hers.getByTestId('login-error').textContent()).toBe('ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง');
    } finally {
      await context.close();
    }
  }, 60_000);
});
