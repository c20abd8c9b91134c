import { normalize } from './normalize';
import { fail, ok, type ParseResult } from './result';

export type TimeReason = 'empty' | 'format' | 'out_of_range' | 'ambiguous';

/** A time of day on the 24-hour clock: hour 0-23, minute 0-59. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

// Thai number words up to 59 ("สิบห้า", "ยี่สิบเอ็ด", "นึง"), as people spell out clock times.
const UNITS: Record<string, number> = {
  ศูนย์: 0, หนึ่ง: 1, นึง: 1, เอ็ด: 1, สอง: 2, สาม: 3, สี่: 4, ห้า: 5, หก: 6, เจ็ด: 7, แปด: 8, เก้า: 9,
};
const WORD = '(?:ยี่|สิบ|ศูนย์|หนึ่ง|นึง|เอ็ด|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า)+';
const N = `(\\d{1,2}|${WORD})`;
// What may follow the hour: "ครึ่ง" (half past), "15", "15 นาที", "สิบห้านาที".
const MIN = `(?:(ครึ่ง)|${N}(?:นาที)?)?`;

function number(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  if (/^\d+$/.test(word)) return Number(word);
  const match = /^(?:(ยี่|สอง|สาม|สี่|ห้า)?(สิบ))?(หนึ่ง|นึง|เอ็ด|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|ศูนย์)?$/.exec(word);
  if (!match || (!match[2] && !match[3])) return undefined;
  if (match[3] === 'เอ็ด' && !match[2]) return undefined;
  const tens = match[2] ? (match[1] === 'ยี่' ? 2 : match[1] ? (UNITS[match[1]] ?? 0) : 1) : 0;
  return tens * 10 + (match[3] ? (UNITS[match[3]] ?? 0) : 0);
}

type Reading = TimeOfDay | TimeReason;

/**
 * One Thai colloquial pattern, matched against the answer with all spaces removed. When `counted`, the first group
 * is the counted hour; the last two are "ครึ่ง" or the minute. `hour(n)` turns the counted hour into the 24-hour
 * clock, or says why it cannot.
 */
interface Rule {
  pattern: RegExp;
  counted: boolean;
  hour: (n: number) => number | TimeReason;
}

const within = (n: number, min: number, max: number, to: (n: number) => number) =>
  n >= min && n <= max ? to(n) : 'out_of_range';
const fixed = (source: string, hour: number): Rule =>
  ({ pattern: new RegExp(`^${source}${MIN}$`), counted: false, hour: () => hour });
const counted = (source: string, hour: Rule['hour']): Rule =>
  ({ pattern: new RegExp(`^${source}${MIN}$`), counted: true, hour });

// The six-hour system: ตีN = N at night; N โมงเช้า counts from 6 (โมงเช้า = 7, สองโมงเช้า = 8) unless N is already a
// morning hour; บ่าย N โมง and N โมงเย็น = 12 + N; N ทุ่ม = 18 + N; หกทุ่ม = เที่ยงคืน = midnight.
const RULES: Rule[] = [
  counted(`ตี${N}`, (n) => within(n, 1, 5, (h) => h)),
  fixed('(?:เที่ยงคืน|สองยาม)', 0),
  fixed('เที่ยง(?:วัน|ตรง)?', 12),
  fixed('ย่ำรุ่ง', 6),
  fixed('ย่ำค่ำ', 18),
  fixed('บ่ายโมง(?:ตรง)?', 13),
  counted(`บ่าย${N}(?:โมง)?(?:เย็น)?`, (n) => within(n, 1, 6, (h) => 12 + h)),
  fixed('โมงเช้า', 7),
  counted(`${N}โมงเช้า`, (n) => within(n, 1, 11, (h) => (h <= 5 ? 6 + h : h))),
  counted(`${N}โมงเย็น`, (n) => within(n, 1, 6, (h) => 12 + h)),
  fixed('ทุ่ม(?:หนึ่ง|นึง)?', 19),
  counted(`${N}ทุ่ม`, (n) => within(n, 1, 6, (h) => (h === 6 ? 0 : 18 + h))),
  // A bare "N โมง": 7-12 can only be day hours; "สองโมง" could be 8 in the morning or 2 in the afternoon.
  counted(`${N}โมง(?:ตรง)?`, (n) => (n >= 1 && n <= 6 ? 'ambiguous' : within(n, 7, 12, (h) => h))),
  counted(`${N}(?:นาฬิกา|น\\.?)`, (n) => within(n, 0, 24, (h) => h % 24)),
];

function minutes(half: string | undefined, word: string | undefined): number | undefined {
  if (half) return 30;
  if (word === undefined) return 0;
  return number(word);
}

function colloquial(compact: string): Reading | undefined {
  for (const rule of RULES) {
    const match = rule.pattern.exec(compact);
    if (!match) continue;
    let hour: number | TimeReason = 0;
    let n: number | undefined;
    if (rule.counted) {
      n = number(match[1]);
      if (n === undefined) return 'format';
      hour = rule.hour(n);
    } else {
      hour = rule.hour(0);
    }
    if (typeof hour === 'string') return hour;
    const offset = rule.counted ? 2 : 1;
    const minute = minutes(match[offset], match[offset + 1]);
    if (minute === undefined) return 'format';
    if (minute > 59 || (n === 24 && minute > 0)) return 'out_of_range';
    return { hour, minute };
  }
  return undefined;
}

function digital(cleaned: string): Reading | undefined {
  // "14:30", "14.30 น.", "14.30 นาฬิกา", "2:30 pm", "2 p.m.", LINE's datetimepicker "time" param ("14:30").
  const match = /^(\d{1,2})(?:\s*[:.]\s*(\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?|น\.?|นาฬิกา)?$/.exec(cleaned);
  if (!match) return undefined;
  const h = Number(match[1]);
  const m = match[2] === undefined ? 0 : Number(match[2]);
  const suffix = match[3]?.replace(/[.\s]/g, '');
  if (match[2] === undefined && suffix === undefined) return 'format'; // a bare number is not a time
  if (m > 59) return 'out_of_range';
  if (suffix === 'am' || suffix === 'pm') {
    if (h < 1 || h > 12) return 'out_of_range';
    return { hour: (h % 12) + (suffix === 'pm' ? 12 : 0), minute: m };
  }
  if (h === 24 && m === 0) return { hour: 0, minute: 0 }; // "24.00 น." is how Thai notices write midnight
  if (h > 23) return 'out_of_range';
  return { hour: h, minute: m };
}

const ENGLISH: Record<string, TimeOfDay> = {
  noon: { hour: 12, minute: 0 }, midday: { hour: 12, minute: 0 }, midnight: { hour: 0, minute: 0 },
};

/** A time a person typed, Thai colloquial or clock style, to the 24-hour clock. */
export function parseTime(text: string): ParseResult<TimeOfDay, TimeReason> {
  const cleaned = normalize(text)
    .toLowerCase()
    .replace(/^(?:เวลา|ตอน|time:?|at)\s*/u, '')
    .replace(/\s*(?:โดยประมาณ|ประมาณนี้)$/u, '')
    .replace(/^(?:ประมาณ|ราวๆ|ราว)\s*/u, '')
    .replace(/[!?]+$/, '')
    .trim();
  if (cleaned === '') return fail('empty');
  const english = ENGLISH[cleaned];
  if (english) return ok(english);
  const reading = digital(cleaned) ?? colloquial(cleaned.replace(/\s+/g, ''));
  if (reading === undefined) return fail('format');
  return typeof reading === 'string' ? fail(reading) : ok(reading);
}
