/**
 * The royal petitions' register, from the chat to the E-Report file, against the real server and its LINE
 * emulator: a citizen writes of a petition in LINE and is handed to an officer (no complaint filed); the register
 * holds it, numbered in its Buddhist year, the citizen's words encrypted at rest; the province's supervisor
 * completes it in Chromium; its XLSX export opens with the E-Report's columns in Thai and B.E. dates, and its CSV
 * opens in Excel (BOM). Officers and other provinces see nothing; every view and export is audited. Both engines.
 */
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerHeaders } from '../petitions/export';
import { yearBEOf } from '../domain/tracking-number';
import { createAndSignIn, startConsoleApi, type ConsoleApiServer, type ConsoleClient } from './support/console-client';
import { ensureConsolePages, openConsoleAs, type SignedInConsole } from './support/console-pages';
import { everythingAtRest } from './support/at-rest';
import { follow, lines, newCitizen, say } from './support/citizen';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const WORDS = 'ขอถวายฎีกาเรื่องที่ดินทำกินของครอบครัวถูกนายทุนยึดไปค่ะ';
const NAME = 'นางบัวผัน ศรีสุข';

beforeAll(ensureConsolePages, 120_000);

describe.each(browserEngines('sqlite'))('the royal petitions register, from LINE to the E-Report export (%s)', (engine) => {
  let server: TestServer;
  let api: ConsoleApiServer;
  let as: Record<'boss' | 'ubon' | 'anan', ConsoleClient>;
  let ui: SignedInConsole;
  let page: Page;
  let number: string;

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    api = await startConsoleApi(server);
    ({ as } = await createAndSignIn(api, [
      { username: 'boss', displayName: 'หัวหน้าจังหวัด', role: 'supervisor', provinceCode: '49' },
      { username: 'ubon', displayName: 'หัวหน้าอุบล', role: 'supervisor', provinceCode: '34' },
      { username: 'anan', displayName: 'อนันต์', role: 'officer', districtCode: '4901' },
    ] as const));
    const citizen = newCitizen(server, 'th', 'บัวผัน');
    await follow(server, citizen);
    const answer = lines(await say(server, citizen, WORDS)).join('\n');
    expect(answer).toContain('เจ้าหน้าที่');
    number = `1/${yearBEOf(Date.now())}`;

    ui = await openConsoleAs(server.url, 'boss', '/console/petitions');
    page = ui.page;
  }, 180_000);

  afterAll(async () => {
    expect(ui?.errors ?? []).toEqual([]);
    await ui?.close();
    await api?.close();
    await server?.stop();
  });

  it('enters the petition in the register, numbered in its B.E. year, and files no complaint', async () => {
    const rows = await server.db.query<{ register_number: string; district_code: string; status: string; words_enc: string }>('SELECT * FROM royal_petition');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ register_number: number, district_code: '4901', status: 'received' });
    expect(rows[0]!.words_enc).toMatch(/^v2:/);
    expect(await server.db.query('SELECT id FROM cases')).toEqual([]);
    expect(await everythingAtRest(server)).not.toContain(WORDS);
  });

  it("the supervisor reads the petitioner's words and completes the entry", async () => {
    await page.getByTestId('petition-row').filter({ hasText: number }).getByTestId('petition-open').click();
    expect(await page.getByTestId('petition-words').textContent()).toContain(WORDS);
    await page.getByTestId('petition-kind').selectOption('justice');
    await page.getByTestId('petition-name').fill(NAME);
    await page.getByTestId('petition-phone').fill('081-234-5678');
    await page.getByTestId('petition-summary').fill('ที่ดินทำกินถูกยึด ขอพระราชทานความเป็นธรรม');
    await page.getByTestId('petition-status').selectOption('forwarded');
    await page.getByTestId('petition-forwarded-to').fill('สำนักงานราชเลขาธิการ');
    await page.getByTestId('petition-forwarded-at').fill('8/12/2569');
    await page.getByTestId('petition-save').click();
    await page.getByTestId('petition-saved').waitFor();
    // The list is read again after the save: its row changes a moment after the form says saved.
    await expect.poll(() => page.getByTestId('petition-row').filter({ hasText: number }).textContent()).toContain('ส่งต่อแล้ว');
    expect(await everythingAtRest(server)).not.toContain(NAME);
  });

  it('exports an XLSX with the E-Report columns in Thai and B.E. dates, and a CSV Excel opens', async () => {
    const xlsx = await as.boss.call('GET', '/petitions/export.xlsx');
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('ทะเบียนฎีกา');
    const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1).map((v) => (v === undefined ? '' : String(v)));
    expect(values(1)).toEqual(registerHeaders('th'));
    const row = Object.fromEntries(registerHeaders('th').map((h, i) => [h, values(2)[i]]));
    expect(row).toMatchObject({
      เลขทะเบียน: number,
      ช่องทาง: 'LINE',
      จังหวัด: 'มุกดาหาร',
      อำเภอ: 'เมืองมุกดาหาร',
      ประเภทฎีกา: 'ขอพระราชทานความเป็นธรรม',
      ชื่อผู้ถวายฎีกา: NAME,
      สถานะ: 'ส่งต่อแล้ว',
      ส่งต่อหน่วยงาน: 'สำนักงานราชเลขาธิการ',
      วันที่ส่งต่อ: '8 ธ.ค. 2569',
      ข้อความที่ผู้ถวายฎีกาส่งมา: WORDS,
    });
    expect(sheet.rowCount).toBe(2);

    const csv = await as.boss.call('GET', '/petitions/export.csv');
    expect(csv.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.text).toContain(`${number},`);
    const [exports] = await server.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'petition.export'`);
    expect(Number(exports!.n)).toBe(2);
  });

  it('is no officer’s, and no other province’s', async () => {
    expect((await as.anan.call('GET', '/petitions')).status).toBe(403);
    expect((await as.anan.call('GET', '/petitions/export.xlsx')).status).toBe(403);
    expect((await as.ubon.call('GET', '/petitions')).body.petitions).toEqual([]);
    const [entry] = await server.db.query<{ id: unknown }>('SELECT id FROM royal_petition');
    expect((await as.ubon.call('PUT', `/petitions/${entry!.id}`, { kind: null, summary: null, petitionerName: null, petitionerPhone: null, status: 'concluded', forwardedTo: null, forwardedAt: null, result: null })).status).toBe(404);
  });
});
