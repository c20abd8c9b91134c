/**
 * A walk-in at the counter, end to end, in Debian's headless Chromium against the real server and its LINE
 * emulator: an officer records the case with a scanned letter on the console's form, prints the receipt (its QR
 * code carries LINE's link with "ติดตาม <number>" typed) and the intake form; the citizen sends that message on
 * LINE, passes the phone check and links the case to the chat; the officer's status change then reaches the
 * chat; the officer undoes the link. The page, the database and the chat are checked at each step.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { launchBrowser } from './support/browser';
import { OFFICER_PASSWORD } from './support/console-client';
import { ensureConsolePages, signIn, thaiShortDate } from './support/console-pages';
import { lines, newCitizen, quick, received, say } from './support/citizen';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const SCAN = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const STORY = 'ถนนเข้าหมู่บ้านเป็นหลุมลึก น้ำขังทุกครั้งที่ฝนตก เด็กนักเรียนล้มบ่อย';

beforeAll(ensureConsolePages, 120_000);

describe.each(browserEngines('postgres'))('a walk-in recorded at the counter, its receipt, and the case followed on LINE, in Chromium (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let number = '';
  let lineUrl = '';
  let citizen = '';
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'somsri', displayName: 'สมศรี ใจดี', role: 'officer', districtCode: '4901', password: OFFICER_PASSWORD });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1100 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e));
    page.on('dialog', (d) => void d.accept());
    await signIn(page, server.url, 'somsri', OFFICER_PASSWORD, '/console/cases');
  }, 180_000);

  afterAll(async () => {
    expect(errors).toEqual([]);
    await browser?.close();
    await server?.stop();
  });

  it('records a walk-in with a scanned letter on the form, every field as the bot reads it', async () => {
    await page.getByTestId('new-case').click();
    await page.getByTestId('new-case-form').waitFor();
    expect(await page.getByTestId('field-channel').inputValue()).toBe('walk_in');
    expect(await page.getByTestId('field-districtCode').inputValue()).toBe('เมืองมุกดาหาร');
    await page.getByTestId('field-story').fill(STORY);
    await page.getByTestId('field-subject').fill('องค์การบริหารส่วนตำบล');
    await page.getByTestId('field-occurredOn').fill('20/11/2569');
    await page.getByTestId('field-request').fill('ขอให้ซ่อมถนนก่อนเปิดเทอม');
    await expect.poll(() => page.getByTestId('field-placeDistrict').locator('option').count()).toBeGreaterThan(1);
    await page.getByTestId('field-placeDistrict').selectOption('4901');
    await expect.poll(() => page.getByTestId('field-placeSubdistrict').locator('option').count()).toBeGreaterThan(1);
    await page.getByTestId('field-placeSubdistrict').selectOption({ label: 'มุกดาหาร' });
    await page.getByTestId('field-fullName').fill('บุญมี ขยันดี');
    // A typo first: the server says which field, in the officer's words, and keeps the form as typed.
    await page.getByTestId('field-phone').fill('081 234 567');
    await page.getByTestId('field-address').fill('99 หมู่ 2 ต.มุกดาหาร อ.เมืองมุกดาหาร จ.มุกดาหาร');
    await page.getByTestId('field-files').setInputFiles({ name: 'หนังสือร้องเรียน.pdf', mimeType: 'application/pdf', buffer: SCAN });
    await page.getByTestId('record-submit').click();
    await expect.poll(() => page.getByTestId('problem-phone').textContent()).toBe('สั้นเกินไป');
    expect(await page.getByTestId('field-story').inputValue()).toBe(STORY);

    await page.getByTestId('field-phone').fill('081 234 5678');
    await page.getByTestId('record-submit').click();
    number = (await page.getByTestId('recorded-number').textContent())!;
    expect(number).toMatch(/^MDH-\d{4}-\d{6}-\d$/);
    const [row] = await server.db.query<{ channel: string; district_code: string; citizen_id: unknown; id: number | string }>(
      'SELECT id, channel, district_code, citizen_id FROM cases WHERE tracking_number = $1',
      [number],
    );
    expect(row).toMatchObject({ channel: 'walk_in', district_code: '4901', citizen_id: null });
    const files = await server.db.query<{ file_name: string; content_type: string }>('SELECT file_name, content_type FROM attachment WHERE case_id = $1', [row!.id]);
    expect(files).toEqual([{ file_name: 'หนังสือร้องเรียน.pdf', content_type: 'application/pdf' }]);
  }, 60_000);

  it('prints the receipt: the number, the dates in Buddhist Era, and a QR code opening LINE with the tracking message typed', async () => {
    await page.getByTestId('print-receipt').click();
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt-number').textContent()).toBe(number);
    expect(await page.getByTestId('receipt-received').textContent()).toContain(thaiShortDate(Date.now()));
    expect(await page.getByTestId('receipt-due').textContent()).toBe(thaiShortDate(Date.now() + 15 * 86_400_000));
    const qr = page.getByTestId('receipt-qr');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    lineUrl = (await qr.getAttribute('alt'))!;
    expect(lineUrl).toBe(`https://line.me/R/oaMessage/@emulator/?${encodeURIComponent(`ติดตาม ${number}`)}`);
    // Printing prints the slip alone.
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void (window as unknown as { printed: number }).printed++;
    });
    await page.getByTestId('receipt-print').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.getByTestId('receipt').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    const [audit] = await server.db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.print_receipt' AND target = $1`, [number]);
    expect(Number(audit!.n)).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('shows the channel and the scan on the case page, and serves its intake form as a PDF', async () => {
    await page.goto(`${server.url}/console/cases/${number}`);
    await page.getByTestId('case').waitFor();
    expect(await page.getByTestId('case-channel').textContent()).toBe('ยื่นด้วยตนเองที่ศูนย์');
    expect(await page.getByTestId('line-linked').textContent()).toBe('ยังไม่ได้เชื่อมกับ LINE');
    expect(await page.locator('.attachments').textContent()).toContain('หนังสือร้องเรียน.pdf');
    const href = (await page.getByTestId('case-intake-form').getAttribute('href'))!;
    const pdf = await page.context().request.get(`${server.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 60_000);

  it('lets the citizen send the QR code’s message on LINE, pass the phone check and link the case to the chat', async () => {
    citizen = newCitizen(server, 'th', 'บุญมี');
    const typed = decodeURIComponent(lineUrl.split('?')[1]!);
    expect(lines(await say(server, citizen, typed))).toEqual(['เพื่อความปลอดภัยของข้อมูล กรุณาพิมพ์เลข 4 ตัวท้ายของเบอร์โทรศัพท์ที่ให้ไว้ตอนแจ้งเรื่องค่ะ']);
    const shown = await say(server, citizen, '5678');
    expect(lines(shown)[0]).toMatch(new RegExp(`^\\[flex\\] เรื่องเลขที่ ${number} \\(ร้องเรียน/ร้องทุกข์\\) สถานะ: รับเรื่องแล้ว`));
    expect(quick(shown[1]).slice(0, 2)).toEqual(['รับแจ้งทาง LINE', 'ไม่ต้อง']);
    expect(lines(await say(server, citizen, 'รับแจ้งทาง LINE'))).toEqual([`เชื่อมเรื่อง ${number} กับ LINE นี้แล้วค่ะ ทุกครั้งที่มีความคืบหน้า จะแจ้งมาที่แชตนี้`]);

    await page.reload();
    await expect.poll(() => page.getByTestId('line-linked').textContent()).toContain('ผู้ร้องเชื่อมเรื่องนี้กับ LINE แล้ว');
    expect(await page.getByTestId('timeline-event').locator('strong').allTextContents()).toContain('ผู้ร้องเชื่อมเรื่องกับ LINE');
  }, 60_000);

  it("then receives the officer's status change on LINE", async () => {
    const before = server.emulator.delivered(citizen).length;
    await page.getByTestId('status-select').selectOption('in_progress');
    await page.getByTestId('status-form').locator('textarea').fill('ส่งช่างไปสำรวจแล้ว');
    await page.getByTestId('status-submit').click();
    await expect.poll(() => page.locator('h1 .status').textContent()).toBe('อยู่ระหว่างดำเนินการ');
    expect(lines(await received(server, citizen, before, 2))[0]).toBe(`ความคืบหน้าเรื่อง ${number}: อยู่ระหว่างดำเนินการ\nหมายเหตุจากเจ้าหน้าที่: ส่งช่างไปสำรวจแล้ว`);
  }, 30_000);

  it('lets the officer undo the link: the chat is told once and hears nothing more of the case', async () => {
    const before = server.emulator.delivered(citizen).length;
    await page.getByTestId('unlink-line').click();
    await expect.poll(() => page.getByTestId('line-linked').textContent()).toBe('ยังไม่ได้เชื่อมกับ LINE');
    expect(lines(await received(server, citizen, before, 1))[0]).toMatch(new RegExp(`^เรื่อง ${number} จะไม่แจ้งความคืบหน้าทาง LINE นี้แล้วค่ะ`));
    await page.goto(`${server.url}/console/cases`);
    const row = page.getByTestId('case-row').filter({ hasText: number });
    expect(await row.getByTestId('case-channel').textContent()).toBe('ยื่นด้วยตนเองที่ศูนย์');
  }, 30_000);
});
