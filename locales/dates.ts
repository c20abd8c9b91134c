/**
 * Dates and texts as a person reads them: the day in Thailand in Buddhist Era ("25 พ.ย. 2569"), the time, and a
 * person's words clipped to fit a card. On the ground floor: the bot's Flex cards, the officers' notices and the
 * console all show the same dates the same way.
 */
import { i18n, type Locale } from './i18n';

/** Thailand keeps UTC+7 all year: no daylight saving, so a fixed offset is exact. */
const BANGKOK = 7 * 3_600_000;

const THAI_MONTHS = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
const ENGLISH_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The day in Thailand: "25 พ.ย. 2569" (Buddhist Era) or "25 Nov 2026". */
export function formatCaseDate(at: number, locale: Locale): string {
  const d = new Date(at + BANGKOK);
  const [day, month, year] = [d.getUTCDate(), d.getUTCMonth(), d.getUTCFullYear()];
  return locale === 'th' ? `${day} ${THAI_MONTHS[month]} ${year + 543}` : `${day} ${ENGLISH_MONTHS[month]} ${year}`;
}

/** The day as a printed form writes it, month in full: "25 พฤศจิกายน 2569" (Buddhist Era) or "25 November 2026". */
export function formatCaseDateLong(at: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'th' ? 'th-TH-u-ca-buddhist' : 'en-GB', { timeZone: 'Asia/Bangkok', dateStyle: 'long' }).format(at);
}

/** "25 พ.ย. 2569 เวลา 14:05 น." or "25 Nov 2026, 14:05", Thailand time. */
export function formatCaseDateTime(at: number, locale: Locale): string {
  const d = new Date(at + BANGKOK);
  const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return t(locale, 'dateTime', { date: formatCaseDate(at, locale), time });
}

function t(locale: Locale, key: string, vars: Record<string, unknown> = {}): string {
  return i18n.t(key, { lng: locale, ns: 'cases', ...vars }) as string;
}

const graphemes = new Intl.Segmenter('th', { granularity: 'grapheme' });

/**
 * A person's text on one line, at most `max` characters: whitespace runs become one space, and a cut falls between
 * whole graphemes, never between a Thai consonant and its vowel or tone mark.
 */
export function clip(value: string, max: number): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  if (Array.from(flat).length <= max) return flat;
  let out = '';
  for (const { segment } of graphemes.segment(flat)) {
    if (Array.from(out + segment).length > max - 1) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}
