/**
 * Every figure of the dashboard and the monthly report against a small register computed by hand (the comments
 * say how), on both engines: rows inserted directly (the complaint flow is not what is tested here), the first
 * notice kept by the database's own trigger, November 2026 asked on 20 December 2026. A supervisor of province 49,
 * an officer of 4901 (who never counts the confidential case D), and the supervisor with district 4903 chosen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Database } from '../storage/database';
import { DataCipher } from '../storage/crypto';
import { DEFAULT_OFFICE_HOURS } from '../office/hours';
import { dashboard, type Dashboard } from '../reports/dashboard';
import { boundsOf, monthPeriod } from '../reports/period';
import { monthlyCells, monthlyReport, monthlyXlsx } from '../reports/monthly';
import type { ReportScope } from '../reports/reach';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';
import { at, REGISTER_NOW, seedRegister } from './support/report-register';

const DAY = 86_400_000;
const MIN = 60_000;
const NOW = REGISTER_NOW;
const cipher = new DataCipher(Buffer.alloc(32, 7));
const november = boundsOf(monthPeriod(2026, 11));
const opts = { now: NOW, noticeDays: 15, centerDistrict: '4901', hoursOf: async () => DEFAULT_OFFICE_HOURS };

const counts = (rows: Array<{ code: string; count: number }>) => Object.fromEntries(rows.map((r) => [r.code, r.count]));

describe.each(engines())('the reports count a hand-computed register exactly (%s)', (engine) => {
  let t: TestDatabase;
  let db: Database;
  let province: Dashboard;
  let officer: Dashboard;
  let chosen: Dashboard;
  const supervisor: ReportScope = { reach: { scope: 'province', provinceCode: '49' } };

  beforeAll(async () => {
    t = newTestDatabase(engine);
    db = await t.open();
    await seedRegister(db, cipher);
    province = await dashboard(db, cipher, supervisor, november, opts);
    officer = await dashboard(db, cipher, { reach: { scope: 'district', districtCode: '4901' } }, november, opts);
    chosen = await dashboard(db, cipher, { ...supervisor, district: '4903' }, november, opts);
  });
  afterAll(async () => {
    await db?.close();
    await t?.drop();
  });

  it('keeps the first notice on the case from its events, by trigger', async () => {
    const rows = await db.query<{ id: unknown; first_notice_at: unknown }>('SELECT id, first_notice_at FROM cases ORDER BY id');
    const first = Object.fromEntries(rows.map((r) => [Number(r.id), r.first_notice_at === null ? null : Number(r.first_notice_at)]));
    // C's note is internal and its addition is the citizen's own: no notice; F and G were never told after filing.
    expect(first).toEqual({ 1: at('2026-10-25T10:00:00'), 2: at('2026-11-04T09:00:00'), 3: null, 4: at('2026-11-21T08:00:00'), 5: at('2026-11-29T15:00:00'), 6: null, 7: at('2026-10-01T10:00:00'), 8: at('2026-11-12T08:00:00') });
  });

  it("counts the province's month: received, ended, open, carried over, and by what", () => {
    expect(province).toMatchObject({ received: 4, ended: 3, open: 3, carriedOver: 2, district: null });
    expect(counts(province.byCategory)).toEqual({ assistance: 1, complaint: 1, official_conduct: 1, information: 1 });
    expect(counts(province.byTopic)).toEqual({ welfare: 1, official_conduct: 1, none: 2 });
    expect(counts(province.byChannel)).toEqual({ walk_in: 1, hotline: 1, line: 2 });
    // Subdistricts are counted only for one district (the map's closer view).
    expect(province.bySubdistrict).toEqual([]);
    expect(counts(province.endedByStatus)).toEqual({ ended: 2, not_accepted: 1 });
    expect(province.reasons).toEqual([
      { status: 'ended', reason: 'resolved', count: 2 },
      { status: 'not_accepted', reason: 'anonymous_without_facts', count: 1 },
    ]);
    expect(province.byDistrict.map((r) => [r.code, r.carriedOver, r.received, r.ended, r.open, r.withinDeadline.part, r.withinDeadline.whole])).toEqual([
      ['4901', 1, 2, 2, 1, 1, 2],
      ['4902', 0, 1, 0, 1, 0, 0],
      ['4903', 1, 1, 1, 1, 1, 1],
    ]);
  });

  it('computes the 15-day shares and the times to end', () => {
    // B, C, D and E are past their first 15 days; B, D and E were told within them, C never.
    expect(province.firstNotice).toEqual({ part: 3, whole: 4, ratio: 0.75 });
    // A closed a day late; B and E on time.
    expect(province.withinDeadline).toEqual({ part: 2, whole: 3, ratio: 2 / 3 });
    // 1, 7 and 16 days: median at rank ceil(1.5) = 2, 90th percentile at rank ceil(2.7) = 3.
    expect(province.timeToEnd).toEqual({ count: 3, median: 7 * DAY, p90: 16 * DAY });
  });

  it('measures the chats: waits to the first answer, and those asked out of hours', () => {
    expect(province.chats).toEqual({ requested: 3, answered: 2, wait: { count: 2, median: 6 * MIN, p90: 2740 * MIN }, outOfHours: 2 });
  });

  it('averages the ratings, leaves out the unrated, and reads the comments newest first', () => {
    expect(province.satisfaction).toMatchObject({
      rated: 4,
      notRated: 1,
      average: 3,
      distribution: [1, 2, 3, 4, 5].map((rating) => ({ rating, count: rating === 3 ? 0 : 1 })),
      bySubject: [
        { subject: 'case', rated: 3, average: 8 / 3 },
        { subject: 'chat', rated: 1, average: 4 },
      ],
    });
    expect(province.satisfaction.comments.map((c) => [c.text, c.rating, c.caseNumber])).toEqual([
      ['เรื่องลับ', 1, 'MDH-2569-000004-0'],
      ['ขอบคุณมากค่ะ', 5, 'MDH-2569-000002-0'],
      ['รอนานไปหน่อย', 4, null],
    ]);
  });

  it('lists the open cases past their deadline now, the oldest deadline first', () => {
    expect(province.overdue.count).toBe(3);
    expect(province.overdue.cases.map((c) => c.number)).toEqual(['MDH-2569-000003-0', 'MDH-2569-000004-0', 'MDH-2569-000006-0']);
  });

  it("never counts the confidential case into an officer's figures", () => {
    expect(officer).toMatchObject({ received: 1, ended: 2, open: 0, carriedOver: 1, district: '4901' });
    expect(counts(officer.byCategory)).toEqual({ assistance: 1 });
    expect(officer.firstNotice).toEqual({ part: 1, whole: 1, ratio: 1 });
    expect(officer.withinDeadline).toEqual({ part: 1, whole: 2, ratio: 0.5 });
    expect(officer.timeToEnd).toEqual({ count: 2, median: 7 * DAY, p90: 16 * DAY });
    // h1 and h3 (no district: the center's, 4901); h3 out of hours and never answered.
    expect(officer.chats).toEqual({ requested: 2, answered: 1, wait: { count: 1, median: 6 * MIN, p90: 6 * MIN }, outOfHours: 1 });
    expect(officer.satisfaction).toMatchObject({ rated: 2, notRated: 0, average: 3.5 });
    expect(officer.satisfaction.comments.map((c) => c.text)).toEqual(['ขอบคุณมากค่ะ']);
    expect(officer.overdue).toEqual({ count: 0, cases: [] });
    expect(JSON.stringify(officer)).not.toContain('official_conduct');
  });

  it('narrows to a district chosen on the map', () => {
    expect(chosen).toMatchObject({ received: 1, ended: 1, open: 1, carriedOver: 1, district: '4903' });
    expect(counts(chosen.bySubdistrict)).toEqual({ '490301': 1 });
    expect(counts(officer.bySubdistrict)).toEqual({ '490101': 1 });
    expect(chosen.firstNotice).toEqual({ part: 1, whole: 1, ratio: 1 });
    expect(chosen.timeToEnd).toEqual({ count: 1, median: DAY, p90: DAY });
    expect(chosen.chats.requested).toBe(0);
    expect(chosen.satisfaction).toMatchObject({ rated: 0, notRated: 1, average: null });
    expect(chosen.overdue.count).toBe(0);
  });

  it('counts every figure the same from the rows alone as from the monthly summaries', async () => {
    const rows = { ...opts, summaries: false };
    expect(await dashboard(db, cipher, supervisor, november, rows)).toEqual(province);
    expect(await dashboard(db, cipher, { reach: { scope: 'district', districtCode: '4901' } }, november, rows)).toEqual(officer);
    expect(await dashboard(db, cipher, { ...supervisor, district: '4903' }, november, rows)).toEqual(chosen);
  });

  it('makes the monthly report with every district, totals that balance, and the same figures', async () => {
    const r = await monthlyReport(db, supervisor, '49', 2026, 11, NOW);
    const cells = monthlyCells(r, 'th');
    // Order, district, carried over, received, total, ended, in progress, within deadline, %, then the 8 categories.
    expect(cells.slice(0, 3).map((c) => c.slice(1, 9))).toEqual([
      ['เมืองมุกดาหาร', 1, 2, 3, 2, 1, 1, '50.0'],
      ['นิคมคำสร้อย', 0, 1, 1, 0, 1, 0, '–'],
      ['ดอนตาล', 1, 1, 2, 1, 1, 1, '100.0'],
    ]);
    expect(cells).toHaveLength(8); // the province's 7 districts and the total
    expect(cells[7]!.slice(1, 9)).toEqual(['รวมทั้งจังหวัด', 2, 4, 6, 3, 3, 2, '66.7']);
    expect(cells[7]!.slice(9)).toEqual([1, 1, 0, 1, 0, 1, 0, 0]);
    for (const row of [...r.rows, r.total]) expect(row.carriedOver + row.received - row.ended).toBe(row.inProgress);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await monthlyXlsx(r, 'th')) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getCell('A1').value).toBe('แบบรายงานผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์ ศูนย์ดำรงธรรมจังหวัดมุกดาหาร');
    expect(sheet.getCell('A2').value).toBe('ประจำเดือน พฤศจิกายน 2569');
    expect(sheet.getCell('A3').value).toBe('ข้อมูล ณ วันที่ 20 ธ.ค. 2569');
    const total = (sheet.getRow(13).values as unknown[]).slice(1, 10);
    expect(total).toEqual(['', 'รวมทั้งจังหวัด', 2, 4, 6, 3, 3, 2, '66.7']);
  });
});
