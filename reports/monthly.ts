/**
 * The province's monthly summary, as a province sends it upward: one row per district of the province (every
 * district, also those with nothing to report), carried over, received, ended, in progress, the share ended within
 * the deadline, and the new cases by category (the categories in use, in their order, then any retired one that
 * still received cases that month); a total row. The same figures as the dashboard (dashboard.ts), so
 * carried over + received − ended = in progress in every row. Then two files: an XLSX workbook and the HTML that
 * Chromium prints to PDF (monthly-pdf.ts), both in Thai with Buddhist-Era dates.
 */
import type { Database } from '../storage/database';
import type { Locale } from '../locales/i18n';
import { formatCaseDate } from '../locales/dates';
import { categoryList, isRetired, type CaseCategory } from '../categories';
import { districtsOf } from '../flows/places';
import { carriedOver, closedIn, openAt, receivedIn } from './dashboard';
import { boundsOf, monthName, monthPeriod } from './period';
import { districtInReach, type ReportScope } from './reach';
import { percentText, share, type Share } from './stats';
import { categoryLabel, districtLabel, provinceLabel, rt } from './labels';
import { loadExcel } from '../runtime/xlsx';

export interface MonthlyRow {
  districtCode: string;
  carriedOver: number;
  received: number;
  ended: number;
  inProgress: number;
  withinDeadline: Share;
  byCategory: Record<string, number>;
}

export interface MonthlyReport {
  year: number;
  month: number;
  /** The province reported on; null for a district's own report (an officer's). */
  provinceCode: string;
  districtCode: string | null;
  rows: MonthlyRow[];
  total: MonthlyRow;
  /** The category columns, by code, in order. */
  categories: string[];
  madeAt: number;
}

type Q = Pick<Database, 'query' | 'dialect'>;

const emptyRow = (districtCode: string): MonthlyRow => ({
  districtCode,
  carriedOver: 0,
  received: 0,
  ended: 0,
  inProgress: 0,
  withinDeadline: share(0, 0),
  byCategory: {},
});

/**
 * The category columns: every category in use, in its order, then a retired (or since unknown) one only when
 * cases of it are counted, so that no case goes missing from the columns and no column is empty forever.
 */
export function monthlyColumns(categories: readonly CaseCategory[], counted: Readonly<Record<string, number>>): string[] {
  const listed = new Set(categories.map((c) => c.code));
  const shown = categories.filter((c) => !isRetired(c) || (counted[c.code] ?? 0) > 0).map((c) => c.code);
  const others = Object.keys(counted).filter((code) => !listed.has(code) && (counted[code] ?? 0) > 0).sort();
  return [...shown, ...others];
}

/** The summary of `month` of `year` (Common Era) for the province of the scope, or the officer's own district. */
export async function monthlyReport(db: Q, scope: ReportScope, provinceCode: string, year: number, month: number, now: number): Promise<MonthlyReport> {
  const b = boundsOf(monthPeriod(year, month));
  const own = scope.reach.scope === 'district' ? scope.reach.districtCode : null;
  const codes = own ? [own] : districtsOf(provinceCode).map((d) => d.code).filter((c) => districtInReach(scope.reach, c));
  const inProvince: ReportScope = own ? scope : { reach: scope.reach.scope === 'all' ? { scope: 'province', provinceCode } : scope.reach };
  const [received, closed, end, categories] = await Promise.all([receivedIn(db, inProvince, b), closedIn(db, inProvince, b), openAt(db, inProvince, b.end), categoryList(db)]);
  const start = carriedOver(end, received, closed);
  const rows = new Map(codes.map((c) => [c, emptyRow(c)]));
  // A case whose district is not one of the list (none given, or a code since retired) still counts, in its own row.
  const row = (code: string) => rows.get(code) ?? rows.set(code, emptyRow(code)).get(code)!;
  for (const r of received) {
    const x = row(r.district);
    x.received += r.n;
    x.byCategory[r.category] = (x.byCategory[r.category] ?? 0) + r.n;
  }
  const onTime = new Map<string, number>();
  for (const c of closed) {
    row(c.district).ended += c.n;
    if (c.onTime) onTime.set(c.district, (onTime.get(c.district) ?? 0) + c.n);
  }
  for (const [d, n] of start) row(d).carriedOver += n;
  for (const [d, n] of end) row(d).inProgress += n;
  const list = [...rows.values()];
  for (const r of list) r.withinDeadline = share(onTime.get(r.districtCode) ?? 0, r.ended);
  const total = emptyRow('');
  for (const r of list) {
    total.carriedOver += r.carriedOver;
    total.received += r.received;
    total.ended += r.ended;
    total.inProgress += r.inProgress;
    for (const [c, n] of Object.entries(r.byCategory)) total.byCategory[c] = (total.byCategory[c] ?? 0) + n;
  }
  total.withinDeadline = share(list.reduce((a, r) => a + r.withinDeadline.part, 0), total.ended);
  return { year, month, provinceCode, districtCode: own, rows: list, total, categories: monthlyColumns(categories, total.byCategory), madeAt: now };
}

/** The report's heading lines: title, month, as-of date. */
export function monthlyHeading(r: MonthlyReport, locale: Locale): { title: string; subtitle: string; asOf: string } {
  const place = r.districtCode ? districtLabel(locale, r.districtCode) : rt(locale, 'monthly.province', { name: provinceLabel(locale, r.provinceCode) });
  return {
    title: rt(locale, 'monthly.title', { place }),
    subtitle: rt(locale, 'monthly.subtitle', { month: monthName(r.year, r.month, locale) }),
    asOf: rt(locale, 'monthly.asOf', { date: formatCaseDate(r.madeAt, locale) }),
  };
}

/** The table's headers, first row (groups) and second row (the categories under their group). */
export function monthlyHeaders(r: Pick<MonthlyReport, 'categories'>, locale: Locale): string[] {
  const m = (k: string) => rt(locale, `monthly.${k}`);
  return [m('order'), m('district'), m('carriedOver'), m('received'), m('total'), m('ended'), m('inProgress'), m('withinDeadline'), m('withinDeadlinePercent'), ...r.categories.map((c) => categoryLabel(locale, c))];
}

/** Every row's cells, the total last, in the order of monthlyHeaders. */
export function monthlyCells(r: MonthlyReport, locale: Locale): Array<Array<string | number>> {
  const cells = (x: MonthlyRow, order: string | number, name: string) => [
    order,
    name,
    x.carriedOver,
    x.received,
    x.carriedOver + x.received,
    x.ended,
    x.inProgress,
    x.withinDeadline.part,
    percentText(x.withinDeadline),
    ...r.categories.map((c) => x.byCategory[c] ?? 0),
  ];
  return [...r.rows.map((x, i) => cells(x, i + 1, districtLabel(locale, x.districtCode || null))), cells(r.total, '', rt(locale, 'monthly.sum'))];
}

const GROUPED = 9;

export async function monthlyXlsx(r: MonthlyReport, locale: Locale): Promise<Buffer> {
  const book = new (await loadExcel()).Workbook();
  book.creator = 'E-Channel';
  const sheet = book.addWorksheet(rt(locale, 'monthly.sheet'), { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const headers = monthlyHeaders(r, locale);
  const width = headers.length;
  const h = monthlyHeading(r, locale);
  for (const [i, line] of [h.title, h.subtitle, h.asOf].entries()) {
    const row = sheet.addRow([line]);
    sheet.mergeCells(row.number, 1, row.number, width);
    row.alignment = { horizontal: 'center' };
    row.font = { bold: i < 2, size: i === 0 ? 14 : 12 };
  }
  // Two header rows: the figures span both; the categories sit under their group's heading.
  const top = sheet.addRow([...headers.slice(0, GROUPED), rt(locale, 'monthly.byCategory'), ...Array(width - GROUPED - 1).fill('')]);
  const sub = sheet.addRow([...Array(GROUPED).fill(''), ...headers.slice(GROUPED)]);
  for (let c = 1; c <= GROUPED; c++) sheet.mergeCells(top.number, c, sub.number, c);
  sheet.mergeCells(top.number, GROUPED + 1, top.number, width);
  for (const row of [top, sub]) {
    row.font = { bold: true };
    row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  }
  sub.height = 48;
  const border = { style: 'thin' as const };
  const cells = monthlyCells(r, locale);
  for (const [i, values] of cells.entries()) {
    const row = sheet.addRow(values);
    if (i === cells.length - 1) row.font = { bold: true };
  }
  for (let n = top.number; n <= sheet.rowCount; n++) {
    sheet.getRow(n).eachCell({ includeEmpty: true }, (cell, col) => {
      if (col <= width) cell.border = { top: border, left: border, bottom: border, right: border };
    });
  }
  sheet.columns.forEach((col, i) => {
    col.width = i === 0 ? 7 : i === 1 ? 20 : i < GROUPED ? 12 : 14;
  });
  sheet.addRow([]);
  const notes = sheet.addRow([rt(locale, 'monthly.notes')]);
  sheet.mergeCells(notes.number, 1, notes.number, width);
  notes.alignment = { wrapText: true, vertical: 'top' };
  notes.height = 48;
  sheet.addRow([]);
  sheet.addRow([...Array(width - 5).fill(''), rt(locale, 'monthly.reporter')]);
  sheet.addRow([...Array(width - 5).fill(''), rt(locale, 'monthly.position')]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const escape = (s: string | number) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * The same report as a page to print: A4 landscape, the Thai font the intake form uses (FormThai, Laksaman from
 * Debian's fonts-thai-tlwg: cases/intake-pdf.ts checks it is there), so Thai is shaped by Chromium's text engine
 * and the PDF carries text, not pictures of it.
 */
export function monthlyHtml(r: MonthlyReport, locale: Locale, font: { regular: string; bold: string }): string {
  const headers = monthlyHeaders(r, locale);
  const h = monthlyHeading(r, locale);
  const cells = monthlyCells(r, locale);
  const th = (s: string, attrs = '') => `<th${attrs}>${escape(s)}</th>`;
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escape(h.title)}</title>
<style>
  @font-face { font-family: FormThai; font-weight: 400; src: local("${font.regular}"); }
  @font-face { font-family: FormThai; font-weight: 700; src: local("${font.bold}"); }
  @page { size: A4 landscape; margin: 12mm 10mm; }
  body { font-family: FormThai, sans-serif; font-size: 13pt; color: #000; margin: 0; }
  header { text-align: center; margin-bottom: 6px; }
  h1 { font-size: 17pt; margin: 0; }
  h2 { font-size: 15pt; margin: 0; font-weight: 700; }
  .asof { font-size: 12pt; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border: 1px solid #000; padding: 2px 4px; }
  th { font-weight: 700; text-align: center; vertical-align: middle; font-size: 12pt; line-height: 1.1; min-width: 3.4em; }
  td { text-align: right; }
  td.name { text-align: left; white-space: nowrap; }
  td.order { text-align: center; }
  tr.total td { font-weight: 700; }
  .notes { font-size: 11pt; margin-top: 8px; }
  .sign { margin-top: 18px; margin-left: 60%; line-height: 1.8; }
</style></head><body>
<header><h1>${escape(h.title)}</h1><h2>${escape(h.subtitle)}</h2><div class="asof">${escape(h.asOf)}</div></header>
<table>
<thead>
<tr>${headers.slice(0, GROUPED).map((x) => th(x, ' rowspan="2"')).join('')}${th(rt(locale, 'monthly.byCategory'), ` colspan="${headers.length - GROUPED}"`)}</tr>
<tr>${headers.slice(GROUPED).map((x) => th(x)).join('')}</tr>
</thead>
<tbody>
${cells
  .map((row, i) => `<tr${i === cells.length - 1 ? ' class="total"' : ''}>${row.map((v, j) => `<td${j === 0 ? ' class="order"' : j === 1 ? ' class="name"' : ''}>${escape(typeof v === 'number' ? v.toLocaleString('en-US') : v)}</td>`).join('')}</tr>`)
  .join('\n')}
</tbody>
</table>
<p class="notes">${escape(rt(locale, 'monthly.notes'))}</p>
<div class="sign"><div>${escape(rt(locale, 'monthly.reporter'))}</div><div>${escape(rt(locale, 'monthly.position'))}</div></div>
</body></html>`;
}
