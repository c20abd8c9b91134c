/**
 * The reports in Chromium, against the real server on the hand-computed register (tests/support/report-register.ts,
 * read on 20 December 2026): the province's supervisor opens November 2569, clicks ดอนตาล on the map (a real click
 * on the drawn district) and everything narrows to it, opens the numbers behind a chart, exports the table as XLSX
 * and CSV (read back), and makes the monthly report as XLSX and PDF (the PDF read with pdftotext and rendered to a
 * picture for docs/). Every export is in the audit log; an officer cannot choose another district.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { createAndSignIn, OFFICER_PASSWORD, startConsoleApi, type ConsoleApiServer, type ConsoleClient } from './support/console-client';
import { ensureConsolePages, signIn } from './support/console-pages';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { REGISTER_NOW, seedRegister } from './support/report-register';

const DOCS = join(import.meta.dirname, '..', 'docs');
const work = mkdtempSync(join(tmpdir(), 'reports-'));

beforeAll(ensureConsolePages, 180_000);

async function saved(download: Download, name: string): Promise<Buffer> {
  const file = join(work, name);
  await download.saveAs(file);
  return readFileSync(file);
}

async function xlsxRows(bytes: Buffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v)))));
  return rows;
}

describe.each(browserEngines('postgres'))('the reports in the console (%s)', (engine) => {
  let server: TestServer;
  let api: ConsoleApiServer;
  let as: Record<'boss' | 'anan', ConsoleClient>;
  let browser: Browser;
  let page: Page;
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' }, { conversationClock: () => REGISTER_NOW });
    api = await startConsoleApi(server, { now: () => REGISTER_NOW });
    ({ as } = await createAndSignIn(api, [
      { username: 'boss', displayName: 'หัวหน้าจังหวัด', role: 'supervisor', provinceCode: '49' },
      { username: 'anan', displayName: 'อนันต์', role: 'officer', districtCode: '4901' },
    ] as const));
    await seedRegister(server.db, server.cipher);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e));
    await signIn(page, server.url, 'boss', OFFICER_PASSWORD, '/console/reports?from=2026-11-01&to=2026-11-30');
  }, 180_000);

  afterAll(async () => {
    expect(errors).toEqual([]);
    await browser?.close();
    await api?.close();
    await server?.stop();
  });

  it("shows the province's November in Buddhist Era, on charts and the map", async () => {
    expect(await page.getByTestId('report-period').textContent()).toContain('พฤศจิกายน 2569');
    await expect.poll(() => page.getByTestId('card-received-value').textContent()).toBe('4');
    expect(await page.getByTestId('card-ended-value').textContent()).toBe('3');
    expect(await page.getByTestId('card-open-value').textContent()).toBe('3');
    expect(await page.getByTestId('card-within-deadline-value').textContent()).toBe('66.7%');
    expect(await page.getByTestId('card-first-notice-value').textContent()).toBe('75.0%');
    expect(await page.getByTestId('card-satisfaction-value').textContent()).toBe('3.00');
    await page.getByTestId('report-map').locator('svg').waitFor();
    expect(await page.getByTestId('report-map').textContent()).toContain('ดอนตาล');
  });

  it('filters to a district when it is clicked on the map, and shows its subdistricts', async () => {
    const point = page.getByTestId('map-points').locator('li[data-code="4903"]');
    await point.waitFor({ state: 'attached' });
    const [x, y] = [Number(await point.getAttribute('data-x')), Number(await point.getAttribute('data-y'))];
    await page.getByTestId('report-map').scrollIntoViewIfNeeded();
    const box = (await page.getByTestId('report-map').boundingBox())!;
    await page.mouse.click(box.x + x, box.y + y);
    await expect.poll(() => page.getByTestId('report-district').textContent().catch(() => '')).toContain('ดอนตาล');
    expect(page.url()).toContain('district=4903');
    await expect.poll(() => page.getByTestId('card-received-value').textContent()).toBe('1');
    expect(await page.getByTestId('card-open-value').textContent()).toBe('1');
    await expect.poll(() => page.getByTestId('panel-map').textContent()).toContain('รายตำบล');
  });

  it('opens the numbers behind a chart in one click', async () => {
    await page.getByTestId('show-numbers-category').click();
    const rows = await page.getByTestId('numbers-category').locator('tbody tr').allTextContents();
    expect(rows).toEqual(['ขอข้อมูล/สอบถาม1100.0%', 'รวม1100.0%']);
  });

  it('exports the table as XLSX and CSV, in Thai, and audits both', async () => {
    await page.getByTestId('report-all-districts').click();
    await expect.poll(() => page.getByTestId('card-received-value').textContent()).toBe('4');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-district-xlsx').click()]);
    const rows = await xlsxRows(await saved(xlsx, 'district.xlsx'));
    expect(rows[0]).toEqual(['อำเภอ', 'ยกมา', 'รับใหม่', 'ยุติ', 'คงค้าง ณ สิ้นงวด', 'ยุติภายในกำหนด', 'ร้อยละยุติภายในกำหนด']);
    expect(rows.slice(1, 5)).toEqual([
      ['เมืองมุกดาหาร', '1', '2', '2', '1', '1', '50.0'],
      ['นิคมคำสร้อย', '0', '1', '0', '1', '0', '–'],
      ['ดอนตาล', '1', '1', '1', '1', '1', '100.0'],
      ['รวม', '2', '4', '3', '3', '2', '66.7'],
    ]);
    expect(rows.flat()).toContain('ช่วงเวลา พฤศจิกายน 2569');

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-district-csv').click()]);
    const bytes = await saved(csv, 'district.csv');
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8').slice(1).split('\r\n').slice(0, 2)).toEqual(['อำเภอ,ยกมา,รับใหม่,ยุติ,คงค้าง ณ สิ้นงวด,ยุติภายในกำหนด,ร้อยละยุติภายในกำหนด', 'เมืองมุกดาหาร,1,2,2,1,1,50.0']);
    const audited = await server.db.query<{ detail: string }>(`SELECT detail FROM audit_log WHERE action = 'report.export' ORDER BY id`);
    expect(audited.map((a) => JSON.parse(a.detail))).toMatchObject([{ table: 'district', format: 'xlsx' }, { table: 'district', format: 'csv' }]);
  });

  it("makes the province's monthly report as XLSX and as a Thai PDF", async () => {
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('monthly-xlsx').click()]);
    const rows = await xlsxRows(await saved(xlsx, 'monthly.xlsx'));
    expect(rows[0]![0]).toBe('แบบรายงานผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์ ศูนย์ดำรงธรรมจังหวัดมุกดาหาร');
    expect(rows[1]![0]).toBe('ประจำเดือน พฤศจิกายน 2569');
    expect(rows.find((r) => r[1] === 'รวมทั้งจังหวัด')!.slice(2, 9)).toEqual(['2', '4', '6', '3', '3', '2', '66.7']);

    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('monthly-pdf').click()]);
    const bytes = await saved(pdf, 'monthly.pdf');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(work, 'monthly.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('ศูนย์ดำรงธรรมจังหวัดมุกดาหาร');
    expect(text).toContain('ประจำเดือน พฤศจิกายน 2569');
    expect(text).toContain('รวมทั้งจังหวัด');
    expect(text).toContain('อยู่ระหว่างดำเนินการ');
    expect(text).toMatch(/หว้านใหญ่/);
    if (engine === 'sqlite' && existsSync(DOCS)) {
      execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', file, join(work, 'monthly')]);
      copyFileSync(join(work, 'monthly.png'), join(DOCS, 'monthly-report.png'));
    }
    const [monthly] = await server.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'report.export' AND detail LIKE '%monthly%'`);
    expect(Number(monthly!.n)).toBe(2);
  }, 120_000);

  it('exports the case list with personal data for those allowed, and audits it', async () => {
    const r = await as.boss.call('GET', '/reports/cases.csv?from=2026-11-01&to=2026-11-30');
    expect(r.status).toBe(200);
    const lines = r.text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('เลขที่เรื่อง,วันที่รับเรื่อง,ประเภท,ช่องทาง,สถานะ,อำเภอ,สาระสำคัญ,ครบกำหนด,วันที่ยุติ,ลับ,ชื่อผู้ร้อง,โทรศัพท์,ที่อยู่');
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.startsWith('MDH-2569-000002-0'))).toContain('3 พ.ย. 2569,ขอความช่วยเหลือ,ยื่นด้วยตนเองที่ศูนย์,ยุติเรื่องแล้ว');
    expect(lines.find((l) => l.startsWith('MDH-2569-000002-0'))).toContain('นางสาวมาลี ดอกไม้ 2,081-234-5678,12 หมู่ 3 ตำบลมุกดาหาร');
    const [audit] = await server.db.query<{ detail: string }>(`SELECT detail FROM audit_log WHERE action = 'case.export'`);
    expect(JSON.parse(audit!.detail)).toMatchObject({ format: 'csv', rows: 4, personal: 4 });
    // The case list page exports what it lists, every page, as filtered.
    await page.goto(`${server.url}/console/cases?from=2026-11-01&to=2026-11-30&category=complaint`);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('cases-export-xlsx').click()]);
    const rows = await xlsxRows(await saved(xlsx, 'cases.xlsx'));
    expect(rows[0]!.slice(0, 3)).toEqual(['เลขที่เรื่อง', 'วันที่รับเรื่อง', 'ประเภท']);
    expect(rows.slice(1).filter((r) => r[0]!.startsWith('MDH')).map((r) => [r[0], r[1], r[2]])).toEqual([['MDH-2569-000003-0', '15 พ.ย. 2569', 'ร้องเรียน/ร้องทุกข์']]);
    // The officer's own district only, the confidential case never.
    const own = await as.anan.call('GET', '/reports/cases.csv?from=2026-11-01&to=2026-11-30');
    expect(own.text.slice(1).trim().split('\r\n').map((l) => l.split(',')[0])).toEqual(['เลขที่เรื่อง', 'MDH-2569-000002-0']);
  });

  it("keeps an officer to their district, and the confidential case out of the officer's counts", async () => {
    expect((await as.anan.call('GET', '/reports/dashboard?from=2026-11-01&to=2026-11-30&district=4903')).status).toBe(404);
    const own = await as.anan.call('GET', '/reports/dashboard?from=2026-11-01&to=2026-11-30');
    expect(own.body).toMatchObject({ received: 1, ended: 2, open: 0, district: '4901' });
    expect(JSON.stringify(own.body.byCategory)).not.toContain('official_conduct');
    expect((await as.boss.call('GET', '/reports/dashboard?from=2026-11-01&to=2026-11-30&district=3401')).status).toBe(404);
    expect((await as.boss.call('GET', '/reports/dashboard?from=2026-12-01&to=2026-11-30')).status).toBe(400);
  });
});
