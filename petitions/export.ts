/**
 * The register as the province hands it on to the E-Report: one row per petition, headers and labels in Thai (or
 * English), dates in Buddhist Era, as CSV (UTF-8 with a BOM, so Excel reads Thai) and as an XLSX workbook.
 * Pure rows first (`registerRows`), then the two file formats.
 */
import { i18n, type Locale } from '../locales/i18n';
import { formatCaseDate } from '../locales/dates';
import { districtByCode, provinceByCode } from '../flows/places';
import type { Petition } from './store';
import { loadExcel } from '../runtime/xlsx';

const COLUMNS = ['number', 'receivedAt', 'channel', 'province', 'district', 'kind', 'petitioner', 'phone', 'summary', 'words', 'status', 'forwardedTo', 'forwardedAt', 'result'] as const;

const t = (locale: Locale, key: string): string => String(i18n.t(key, { lng: locale, ns: 'petitions' }));

export function registerHeaders(locale: Locale): string[] {
  return COLUMNS.map((c) => t(locale, `columns.${c}`));
}

/** Every petition as the cells of its row, in the order of the headers. */
export function registerRows(petitions: readonly Petition[], locale: Locale): string[][] {
  return petitions.map((p) => {
    const district = p.districtCode ? districtByCode(p.districtCode) : null;
    const province = p.provinceCode ? provinceByCode(p.provinceCode) : null;
    return [
      p.registerNumber,
      formatCaseDate(p.receivedAt, locale),
      t(locale, `channel.${p.channel}`),
      province ? province[locale] : '',
      district ? district[locale] : p.districtCode ?? '',
      p.kind ? t(locale, `kind.${p.kind}`) : '',
      p.petitionerName ?? '',
      p.petitionerPhone ?? '',
      p.summary ?? '',
      p.words ?? '',
      t(locale, `status.${p.status}`),
      p.forwardedTo ?? '',
      p.forwardedAt === null ? '' : formatCaseDate(p.forwardedAt, locale),
      p.result ?? '',
    ];
  });
}

/** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. A leading =, +, - or @ is
 * neutralised so that a spreadsheet never runs a petitioner's words as a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function registerCsv(petitions: readonly Petition[], locale: Locale): Buffer {
  const lines = [registerHeaders(locale), ...registerRows(petitions, locale)].map((row) => row.map(csvCell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function registerXlsx(petitions: readonly Petition[], locale: Locale): Promise<Buffer> {
  const book = new (await loadExcel()).Workbook();
  book.creator = 'E-Channel';
  const sheet = book.addWorksheet(t(locale, 'sheet'));
  const header = sheet.addRow(registerHeaders(locale));
  header.font = { bold: true };
  for (const row of registerRows(petitions, locale)) sheet.addRow(row);
  sheet.columns.forEach((c, i) => {
    c.width = [12, 14, 12, 14, 16, 24, 22, 14, 40, 40, 14, 24, 14, 40][i] ?? 16;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
