/**
 * When it happened, from the time phrases people put in a story: "เมื่อวาน", "มา 3 วันแล้ว", "ทุกคืน",
 * "5 ธ.ค. 69", "last night". Dates are calendar days in Asia/Bangkok (UTC+7 all year, no DST), computed from
 * `now`; years written in the Buddhist Era (2569, or "69") are the norm, Common Era years are accepted too.
 */

export interface When {
  phrase: string;
  date?: string; // YYYY-MM-DD
  ongoing: boolean;
}

interface Day {
  y: number;
  m: number; // 1..12
  d: number;
}

const BANGKOK_OFFSET_MS = 7 * 3600_000;

function today(now: number): Day {
  const t = new Date(now + BANGKOK_OFFSET_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function iso(day: Day): string {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d));
  return t.toISOString().slice(0, 10);
}

function minusDays(day: Day, n: number): string {
  return iso({ ...day, d: day.d - n });
}

function minusMonths(day: Day, n: number): string {
  const total = day.y * 12 + (day.m - 1) - n;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return iso({ y, m, d: Math.min(day.d, daysIn(y, m)) });
}

const THAI_NUMBERS: Record<string, number> = {
  หนึ่ง: 1, สอง: 2, สาม: 3, สี่: 4, ห้า: 5, หก: 6, เจ็ด: 7, แปด: 8, เก้า: 9, สิบ: 10, one: 1, two: 2, three: 3, four: 4,
  five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, a: 1, an: 1,
};
const NUM = `(\\d{1,3}|${Object.keys(THAI_NUMBERS).join('|')})`;
const UNIT = '(วัน|คืน|อาทิตย์|สัปดาห์|อาทิต|เดือน|ปี|ชั่วโมง|ชม\\.?|days?|nights?|weeks?|months?|years?|hours?)';

function unitBack(day: Day, n: number, unit: string): string {
  if (/^(เดือน|month)/.test(unit)) return minusMonths(day, n);
  if (/^(ปี|year)/.test(unit)) return minusMonths(day, 12 * n);
  if (/^(อาทิต|สัปดาห์|week)/.test(unit)) return minusDays(day, 7 * n);
  if (/^(ชั่วโมง|ชม|hour)/.test(unit)) return iso(day);
  return minusDays(day, n);
}

const MONTHS: [RegExp, number][] = [
  [/^(มกราคม|ม\.?ค\.?|jan(uary)?)$/, 1], [/^(กุมภาพันธ์|ก\.?พ\.?|feb(ruary)?)$/, 2], [/^(มีนาคม|มี\.?ค\.?|mar(ch)?)$/, 3],
  [/^(เมษายน|เม\.?ย\.?|apr(il)?)$/, 4], [/^(พฤษภาคม|พ\.?ค\.?|may)$/, 5], [/^(มิถุนายน|มิ\.?ย\.?|june?)$/, 6],
  [/^(กรกฎาคม|ก\.?ค\.?|july?)$/, 7], [/^(สิงหาคม|ส\.?ค\.?|aug(ust)?)$/, 8], [/^(กันยายน|ก\.?ย\.?|sep(t(ember)?)?)$/, 9],
  [/^(ตุลาคม|ต\.?ค\.?|oct(ober)?)$/, 10], [/^(พฤศจิกายน|พ\.?ย\.?|nov(ember)?)$/, 11], [/^(ธันวาคม|ธ\.?ค\.?|dec(ember)?)$/, 12],
];
// Abbreviations must not run into a Thai letter: "ต.คำป่าหลาย" is a subdistrict, not October.
const ABBREVIATIONS = ['ม\\.?ค\\.?', 'ก\\.?พ\\.?', 'มี\\.?ค\\.?', 'เม\\.?ย\\.?', 'พ\\.?ค\\.?', 'มิ\\.?ย\\.?', 'ก\\.?ค\\.?', 'ส\\.?ค\\.?', 'ก\\.?ย\\.?', 'ต\\.?ค\\.?', 'พ\\.?ย\\.?', 'ธ\\.?ค\\.?'];
const MONTH_WORD = `(มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม|(?:${ABBREVIATIONS.join('|')})(?![\\u0E01-\\u0E4E])|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])`;

function monthNumber(word: string): number | undefined {
  return MONTHS.find(([re]) => re.test(word))?.[1];
}

/** A written year to Common Era: 2569 → 2026, 69 → 2026 (two digits are Buddhist Era), 2026 → 2026. */
function ceYear(written: string | undefined, day: Day, m: number, d: number): number {
  if (written === undefined) return m < day.m || (m === day.m && d <= day.d) ? day.y : day.y - 1; // latest past one
  const n = Number(written);
  if (written.length <= 2) return 2500 + n - 543;
  return n >= 2400 ? n - 543 : n;
}

function dateOf(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return undefined;
  return iso({ y, m, d });
}

type Resolve = (m: RegExpExecArray, day: Day) => { date?: string; ongoing: boolean } | undefined;

const PATTERNS: [RegExp, Resolve][] = [
  // "มา 3 วันแล้ว", "นาน 2 เดือน", "for 3 days": it has been going on since then.
  [new RegExp(`(?:มา(?:ได้|ตั้ง|แล้ว)?|นาน|ติดต่อกัน|for|since)\\s*(?:กว่า\\s*)?${NUM}\\s*${UNIT}(?:\\s*(?:กว่า|แล้ว|ติดต่อกัน))*`, 'giu'),
    (m, day) => ({ date: unitBack(day, toNumber(m[1]!), m[2]!), ongoing: true })],
  // "3 วันก่อน", "เมื่อ 2 อาทิตย์ที่แล้ว", "3 days ago", "3 วันแล้ว": a point in the past.
  [new RegExp(`(?:เมื่อ\\s*)?${NUM}\\s*${UNIT}\\s*(?:กว่า\\s*)?(?:ก่อน|ที่แล้ว|ที่ผ่านมา|แล้ว|ago)`, 'giu'),
    (m, day) => ({ date: unitBack(day, toNumber(m[1]!), m[2]!), ongoing: false })],
  [/เมื่อวานซืน|the day before yesterday/giu, (_m, day) => ({ date: minusDays(day, 2), ongoing: false })],
  [/เมื่อวาน(?:นี้)?|เมื่อคืน(?:นี้)?|คืนที่แล้ว|คืนก่อน|yesterday|last night/giu, (_m, day) => ({ date: minusDays(day, 1), ongoing: false })],
  [/วันนี้|เมื่อเช้า(?:นี้)?|เช้านี้|เมื่อกี้(?:นี้)?|เมื่อสักครู่|เมื่อครู่|เมื่อตอนเช้า|เมื่อบ่าย|บ่ายนี้|เย็นนี้|คืนนี้|today|this (?:morning|afternoon|evening)|tonight|just now/giu,
    (_m, day) => ({ date: iso(day), ongoing: false })],
  [/(?:สัปดาห์|อาทิตย์|อาทิต)(?:ที่แล้ว|ก่อน|ที่ผ่านมา)|last week/giu, (_m, day) => ({ date: minusDays(day, 7), ongoing: false })],
  [/เดือน(?:ที่แล้ว|ก่อน|ที่ผ่านมา)|last month/giu, (_m, day) => ({ date: minusMonths(day, 1), ongoing: false })],
  [/ปี(?:ที่แล้ว|ก่อน|ที่ผ่านมา)|last year/giu, (_m, day) => ({ date: minusMonths(day, 12), ongoing: false })],
  // "5 ธ.ค. 69", "5 ธันวาคม 2569", "5 dec 2025".
  [new RegExp(`(\\d{1,2})\\s*${MONTH_WORD}(?:\\s*(?:พ\\.?ศ\\.?|ค\\.?ศ\\.?)?\\s*(\\d{4}|\\d{2})(?!\\d))?`, 'giu'),
    (m, day) => {
      const mo = monthNumber(m[2]!.toLowerCase());
      if (mo === undefined) return undefined;
      const d = Number(m[1]);
      const date = dateOf(ceYear(m[3], day, mo, d), mo, d);
      return date ? { date, ongoing: false } : undefined;
    }],
  // "5/12/2569", "5-12-69": day first, as Thai forms write it.
  [/(?<![\d/])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\d/])/gu, (m, day) => {
    const d = Number(m[1]);
    const mo = Number(m[2]);
    const date = dateOf(ceYear(m[3], day, mo, d), mo, d);
    return date ? { date, ongoing: false } : undefined;
  }],
  // Habits and things that do not stop: no date, but the engine should know it is still going on.
  [/ทุก(?:วัน|คืน|เช้า|เย็น|ค่ำ|ครั้ง|อาทิตย์|สัปดาห์|เดือน|ปี|ที|วันหยุด)|ตลอด(?:เวลา|ทั้งวัน|ทั้งคืน|ทั้งปี|(?!สาย|แนว|ทาง|เส้น))|(?:เป็น)?ประจำ(?!ทาง|ตัว|การ|ปี|เดือน)|บ่อย(?:\s*ๆ|มาก)?|เรื่อย\s*ๆ|หลาย(?:วัน|เดือน|ปี|อาทิตย์)(?:แล้ว)?|every\s+(?:day|night|morning|evening|week|weekend)|all the time|always|constantly|for (?:days|weeks|months|years)/giu,
    () => ({ ongoing: true })],
];

function toNumber(s: string): number {
  return /^\d+$/.test(s) ? Number(s) : (THAI_NUMBERS[s.toLowerCase()] ?? 1);
}

/** The first time phrase in the text; `ongoing` if any phrase in it says the matter goes on. */
export function findWhen(cleaned: string, now: number): When | undefined {
  const day = today(now);
  let best: { index: number; length: number; phrase: string; date?: string; ongoing: boolean } | undefined;
  let ongoing = false;
  for (const [re, resolve] of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(cleaned); m !== null; m = re.exec(cleaned)) {
      const r = resolve(m, day);
      if (!r) continue;
      ongoing ||= r.ongoing;
      const phrase = m[0].trim();
      if (!best || m.index < best.index || (m.index === best.index && phrase.length > best.length)) {
        best = { index: m.index, length: phrase.length, phrase, ...(r.date ? { date: r.date } : {}), ongoing: r.ongoing };
      }
    }
  }
  if (!best) return undefined;
  return { phrase: best.phrase, ...(best.date ? { date: best.date } : {}), ongoing: ongoing || best.ongoing };
}
