/**
 * The period a report covers, in Thailand's calendar: whole days from midnight Bangkok time (UTC+7 all year, no
 * daylight saving, so a fixed offset is exact), months named in Buddhist Era ("พฤศจิกายน 2569"), and the
 * government's fiscal year (ปีงบประมาณ, 1 October to 30 September, named by the B.E. year it ends in). Pure.
 */
const BANGKOK = 7 * 3_600_000;
const DAY = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const THAI_MONTHS = ['มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน', 'กรกฎาคม', 'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม'];
const ENGLISH_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The longest period a report takes: the five years a case's data is kept, and a month's margin. */
export const MAX_PERIOD_DAYS = 5 * 366 + 31;

/** A period as asked: whole days, YYYY-MM-DD (Common Era, as stored), inclusive. */
export interface Period {
  from: string;
  to: string;
}

/** The same period as instants: [start, end), epoch ms. */
export interface PeriodBounds extends Period {
  start: number;
  end: number;
}

export class PeriodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeriodError';
  }
}

/** Bangkok midnight starting a YYYY-MM-DD day; NaN for anything that is not a real day. */
export function dayStart(day: string): number {
  const m = ISO_DAY.exec(day);
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== mo - 1 || utc.getUTCDate() !== d) return NaN;
  return utc.getTime() - BANGKOK;
}

/** The Bangkok day an instant falls on, YYYY-MM-DD. */
export function dayOf(at: number): string {
  return new Date(at + BANGKOK).toISOString().slice(0, 10);
}

/** [start, end) of a period; throws PeriodError when a day is not real, the order is wrong or it is too long. */
export function boundsOf(p: Period): PeriodBounds {
  const start = dayStart(p.from);
  const last = dayStart(p.to);
  if (Number.isNaN(start)) throw new PeriodError(`from: not a day: ${p.from}`);
  if (Number.isNaN(last)) throw new PeriodError(`to: not a day: ${p.to}`);
  if (last < start) throw new PeriodError('to: before from');
  const end = last + DAY;
  if ((end - start) / DAY > MAX_PERIOD_DAYS) throw new PeriodError(`the period is longer than ${MAX_PERIOD_DAYS} days`);
  return { from: p.from, to: p.to, start, end };
}

/** The month (1-12) of Common-Era year `year` as a period. */
export function monthPeriod(year: number, month: number): Period {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(last).padStart(2, '0')}` };
}

/** The month an instant falls in, Bangkok time. */
export function monthOf(at: number): { year: number; month: number } {
  const d = new Date(at + BANGKOK);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

/** Fiscal year B.E. `yearBE` (ปีงบประมาณ 2569 = 1 Oct 2025 to 30 Sep 2026). */
export function fiscalYearPeriod(yearBE: number): Period {
  const ce = yearBE - 543;
  return { from: `${ce - 1}-10-01`, to: `${ce}-09-30` };
}

/** "พฤศจิกายน 2569" / "November 2026". */
export function monthName(year: number, month: number, locale: 'th' | 'en'): string {
  return locale === 'th' ? `${THAI_MONTHS[month - 1]} ${year + 543}` : `${ENGLISH_MONTHS[month - 1]} ${year}`;
}

/** The period in words: a whole month by its name, else "1 พ.ย. 2569 – 15 ธ.ค. 2569". */
export function periodName(p: Period, locale: 'th' | 'en', formatDay: (at: number) => string): string {
  const from = ISO_DAY.exec(p.from)!;
  const whole = monthPeriod(Number(from[1]), Number(from[2]));
  if (whole.from === p.from && whole.to === p.to) return monthName(Number(from[1]), Number(from[2]), locale);
  return `${formatDay(dayStart(p.from))} – ${formatDay(dayStart(p.to))}`;
}
