/**
 * A report's table as a file a person opens: CSV (UTF-8 with a BOM, so Excel reads the Thai) and XLSX, headers in
 * Thai (or English), dates in Buddhist Era, numbers as numbers. Any table: the dashboard's (below), the case list
 * (case-export.ts). Pure rows first, then the two formats.
 */
import type { Locale } from '../locales/i18n';
import { formatCaseDate } from '../locales/dates';
import type { Dashboard } from './dashboard';
import { categoryLabel, channelLabel, districtLabel, reasonLabel, rt, statusLabel, subdistrictLabel, topicLabel } from './labels';
import { percentText } from './stats';
import { loadExcel } from '../runtime/xlsx';

export type Cell = string | number;

export interface Table {
  /** The sheet's name and the file's title. */
  title: string;
  /** Lines above the table: the period, the place, when it was made. */
  caption: string[];
  headers: string[];
  rows: Cell[][];
  /** Column widths in characters, when the default does not fit. */
  widths?: number[];
}

export const DASHBOARD_TABLES = ['category', 'topic', 'channel', 'district', 'subdistrict', 'reasons', 'satisfaction', 'overdue'] as const;
export type DashboardTableName = (typeof DASHBOARD_TABLES)[number];

const DAY = 86_400_000;

/** One of the dashboard's tables, in the words of `locale`; `now` dates the overdue days. */
export function dashboardTable(d: Dashboard, name: DashboardTableName, locale: Locale, caption: string[], now: number): Table {
  const c = (key: string) => rt(locale, `columns.${key}`);
  const title = rt(locale, `tables.${name}`);
  const counted = (rows: Array<{ code: string; count: number }>, label: (code: string) => string, head: string): Table => {
    const total = rows.reduce((a, r) => a + r.count, 0);
    return {
      title,
      caption,
      headers: [head, rt(locale, 'count'), rt(locale, 'percent')],
      rows: [...rows.map((r) => [label(r.code), r.count, percentText({ part: r.count, whole: total, ratio: total ? r.count / total : null })]), [rt(locale, 'total'), total, total ? '100.0' : '–']],
      widths: [36, 14, 10],
    };
  };
  switch (name) {
    case 'category':
      return counted(d.byCategory, (code) => categoryLabel(locale, code), c('category'));
    case 'topic':
      return counted(d.byTopic, (code) => topicLabel(locale, code), c('topic'));
    case 'channel':
      return counted(d.byChannel, (code) => channelLabel(locale, code), c('channel'));
    case 'subdistrict':
      return counted(d.bySubdistrict, (code) => subdistrictLabel(locale, code), c('subdistrict'));
    case 'district': {
      const rows: Cell[][] = d.byDistrict.map((r) => [districtLabel(locale, r.code || null), r.carriedOver, r.received, r.ended, r.open, r.withinDeadline.part, percentText(r.withinDeadline)]);
      rows.push([rt(locale, 'total'), d.carriedOver, d.received, d.ended, d.open, d.withinDeadline.part, percentText(d.withinDeadline)]);
      return {
        title,
        caption,
        headers: [c('district'), c('carriedOver'), c('received'), c('ended'), c('open'), c('withinDeadline'), c('withinDeadlinePercent')],
        rows,
        widths: [24, 12, 12, 12, 16, 18, 18],
      };
    }
    case 'reasons':
      return {
        title,
        caption,
        headers: [c('status'), c('reason'), rt(locale, 'count')],
        rows: [...d.reasons.map((r) => [statusLabel(locale, r.status), reasonLabel(locale, r.reason), r.count]), [rt(locale, 'total'), '', d.ended]],
        widths: [22, 60, 12],
      };
    case 'satisfaction':
      return {
        title,
        caption,
        headers: [c('rating'), rt(locale, 'count'), rt(locale, 'percent')],
        rows: [
          ...d.satisfaction.distribution.map((r) => [rt(locale, `rating.${r.rating}`), r.count, percentText({ part: r.count, whole: d.satisfaction.rated, ratio: d.satisfaction.rated ? r.count / d.satisfaction.rated : null })]),
          [rt(locale, 'total'), d.satisfaction.rated, d.satisfaction.rated ? '100.0' : '–'],
        ],
        widths: [24, 12, 10],
      };
    case 'overdue':
      return {
        title,
        caption,
        headers: [c('number'), c('category'), c('status'), c('district'), c('filedAt'), c('dueAt'), c('overdueDays')],
        rows: d.overdue.cases.map((o) => [o.number, categoryLabel(locale, o.category), statusLabel(locale, o.status), districtLabel(locale, o.districtCode), formatCaseDate(o.createdAt, locale), formatCaseDate(o.dueAt, locale), Math.floor((now - o.dueAt) / DAY)]),
        widths: [20, 26, 24, 18, 14, 14, 14],
      };
  }
}

/** RFC 4180 cells; a leading =, +, - or @ neutralised so that a spreadsheet never runs a person's words as a formula. */
function csvCell(value: Cell): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function tableCsv(t: Table): Buffer {
  const lines = [t.headers, ...t.rows].map((row) => row.map(csvCell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules). */
export const sheetName = (title: string) => Array.from(title.replace(/[[\]:*?/\\]/g, ' ')).slice(0, 31).join('');

export async function tableXlsx(t: Table): Promise<Buffer> {
  const book = new (await loadExcel()).Workbook();
  book.creator = 'E-Channel';
  const sheet = book.addWorksheet(sheetName(t.title));
  const header = sheet.addRow(t.headers);
  header.font = { bold: true };
  for (const row of t.rows) sheet.addRow(row);
  sheet.columns.forEach((col, i) => {
    col.width = t.widths?.[i] ?? 18;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  // The caption (period, place, when made) below the table, so row 1 stays the headers a program reads.
  if (t.caption.length) {
    sheet.addRow([]);
    for (const line of t.caption) sheet.addRow([line]).font = { italic: true };
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
