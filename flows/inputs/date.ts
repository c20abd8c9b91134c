import { normalize } from './normalize';
import { fail, ok, type ParseResult } from './result';

export type DateReason = 'empty' | 'not_a_date' | 'missing_year' | 'impossible_date' | 'out_of_range' | 'future';

/** A calendar day in the Christian Era (C.E.), month 1-12. */
export interface CalendarDay {
  y: number;
  m: number;
  d: number;
}

export interface DateOptions {
  /** Today in C.E., in the district's time zone: the caller decides what "today" is, this stays pure. */
  today: CalendarDay;
  allowFuture?: boolean;
}

const BE_OFFSET = 543;
const MIN_CE_YEAR = 1900;

// Keys have dots and spaces removed, so "พ.ย.", "พย" and "พ.ย" all match.
const THAI_MONTHS: Record<string, number> = {
  มค: 1, มกราคม: 1, กพ: 2, กุมภาพันธ์: 2, มีค: 3, มีนาคม: 3, เมย: 4, เมษายน: 4,
  พค: 5, พฤษภาคม: 5, มิย: 6, มิถุนายน: 6, กค: 7, กรกฎาคม: 7, สค: 8, สิงหาคม: 8,
  กย: 9, กันยายน: 9, ตค: 10, ตุลาคม: 10, พย: 11, พฤศจิกายน: 11, ธค: 12, ธันวาคม: 12,
};
const ENGLISH_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september',
  'october', 'november', 'december'];

const RELATIVE: Record<string, number> = {
  วันนี้: 0, today: 0,
  เมื่อวาน: -1, เมื่อวานนี้: -1, yesterday: -1,
  เมื่อวานซืน: -2, 'day before yesterday': -2, 'the day before yesterday': -2,
};

/** "nov", "nov.", "sept", "november": any prefix of at least three letters. */
function englishMonth(word: string): number | undefined {
  const w = word.replace(/\.$/, '');
  if (w.length < 3) return undefined;
  const i = ENGLISH_MONTHS.findIndex((m) => m.startsWith(w));
  return i < 0 ? undefined : i + 1;
}

/**
 * Year rules. Thai people write Buddhist Era years, so:
 * - 4 digits >= 2400 are B.E. (2569 -> 2026); 4 digits below are C.E. (2026, ISO dates, LINE's date picker);
 * - 2 digits are B.E. 25yy (69 -> 2569 -> 2026), except after an English month name ("25 Nov 26"), where a
 *   writer of English means C.E. 20yy.
 */
function toCeYear(year: string, twoDigitEra: 'BE' | 'CE'): number {
  const n = Number(year);
  if (year.length === 2) return twoDigitEra === 'BE' ? 2500 + n - BE_OFFSET : 2000 + n;
  return n >= 2400 ? n - BE_OFFSET : n;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function shift(day: CalendarDay, days: number): CalendarDay {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

type Parts = { y: number; m: number; d: number } | DateReason;

function parts(text: string): Parts {
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text); // ISO and LINE's datetimepicker "date" param
  if (match) return { y: toCeYear(match[1] ?? '', 'BE'), m: Number(match[2]), d: Number(match[3]) };

  match = /^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})$/.exec(text);
  if (match) return { d: Number(match[1]), m: Number(match[3]), y: toCeYear(match[4] ?? '', 'BE') };
  if (/^\d{1,2}\s*[/.-]\s*\d{1,2}$/.test(text)) return 'missing_year';

  // "25 พ.ย. 69", "25 พฤศจิกายน พ.ศ. 2569", "25 Nov 2026", "25 November, 26"
  match = /^(\d{1,2})\s*([^\d\s,]+(?:\s?[^\d\s,]+)*?)\s*,?\s*(?:(พ\.?\s?ศ\.?|ค\.?\s?ศ\.?)\s*)?(\d{2}|\d{4})?$/.exec(text);
  if (match) {
    const word = (match[2] ?? '').replace(/[.\s]/g, '');
    const thai = THAI_MONTHS[word];
    const english = thai === undefined ? englishMonth((match[2] ?? '').trim()) : undefined;
    const m = thai ?? english;
    if (m === undefined) return 'not_a_date';
    const year = match[4];
    if (year === undefined) return 'missing_year';
    const era = match[3];
    let y = toCeYear(year, thai !== undefined ? 'BE' : 'CE');
    if (era && year.length === 4) y = era.startsWith('พ') ? Number(year) - BE_OFFSET : Number(year);
    return { d: Number(match[1]), m, y };
  }

  // "Nov 25, 2026"
  match = /^([a-z]+\.?)\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})$/.exec(text);
  if (match) {
    const m = englishMonth(match[1] ?? '');
    if (m === undefined) return 'not_a_date';
    return { d: Number(match[2]), m, y: Number(match[3]) };
  }
  return 'not_a_date';
}

/** Parses a day a person typed (or LINE's date picker sent) into ISO 'YYYY-MM-DD', C.E. */
export function parseDate(text: string, options: DateOptions): ParseResult<string, DateReason> {
  // A trailing dot is kept after letters: it belongs to an abbreviation ("25 พ.ย.").
  const cleaned = normalize(text).toLowerCase().replace(/^(?:วันที่|date:?)\s*/u, '').replace(/!+$/, '')
    .replace(/(\d)\.+$/, '$1');
  if (cleaned === '') return fail('empty');
  const { today, allowFuture = false } = options;

  const relative = RELATIVE[cleaned];
  if (relative !== undefined) {
    const day = shift(today, relative);
    return ok(iso(day.y, day.m, day.d));
  }

  const p = parts(cleaned);
  if (typeof p === 'string') return fail(p);
  if (p.m < 1 || p.m > 12 || p.d < 1 || p.d > daysInMonth(p.y, p.m)) return fail('impossible_date');
  if (p.y < MIN_CE_YEAR) return fail('out_of_range');
  const value = iso(p.y, p.m, p.d);
  if (!allowFuture && value > iso(today.y, today.m, today.d)) return fail('future');
  return ok(value);
}
