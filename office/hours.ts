/**
 * Office hours of a district center, in Bangkok time (UTC+7, no daylight saving): weekdays 08:30-16:30 by
 * default, closed on public holidays. Pure: the clock is an argument, so tests and the engine decide the time.
 */
import { isPublicHoliday } from './holidays';

export interface OfficeHours {
  /** Minutes after midnight. */
  opens: number;
  closes: number;
  /** ISO weekdays the office works (1 = Monday). */
  weekdays: readonly number[];
  /** Extra closed days, YYYY-MM-DD, added to the public holidays. */
  holidays?: Readonly<Record<string, string>>;
  /** What an officer usually needs to answer a handoff during office hours, told to the citizen. */
  answerMinutes: number;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = { opens: 8 * 60 + 30, closes: 16 * 60 + 30, weekdays: [1, 2, 3, 4, 5], answerMinutes: 30 };

const BANGKOK = 7 * 3_600_000;
const DAY = 86_400_000;

/** "08:30-16:30" → minutes; throws on anything else (settings validate with it). */
export function parseHours(text: string): { opens: number; closes: number } {
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`office hours must look like 08:30-16:30, got "${text}"`);
  const opens = Number(m[1]) * 60 + Number(m[2]);
  const closes = Number(m[3]) * 60 + Number(m[4]);
  if (opens >= closes || closes > 24 * 60) throw new Error(`office hours must open before they close, got "${text}"`);
  return { opens, closes };
}

function local(now: number): { day: string; minutes: number; weekday: number; midnight: number } {
  const d = new Date(now + BANGKOK);
  const midnight = now - ((now + BANGKOK) % DAY + DAY) % DAY;
  return { day: d.toISOString().slice(0, 10), minutes: d.getUTCHours() * 60 + d.getUTCMinutes(), weekday: ((d.getUTCDay() + 6) % 7) + 1, midnight };
}

function isWorkingDay(h: OfficeHours, day: string, weekday: number): boolean {
  return h.weekdays.includes(weekday) && !isPublicHoliday(day) && !(h.holidays && day in h.holidays);
}

export type OfficeStatus = { open: true; answerMinutes: number } | { open: false; opensAt: number };

/** Open now, or when it opens next (up to 30 days ahead: beyond that the calendar is wrong, not the office). */
export function officeStatus(h: OfficeHours, now: number): OfficeStatus {
  const t = local(now);
  if (isWorkingDay(h, t.day, t.weekday) && t.minutes >= h.opens && t.minutes < h.closes) return { open: true, answerMinutes: h.answerMinutes };
  for (let i = 0; i <= 30; i++) {
    const midnight = t.midnight + i * DAY;
    const d = local(midnight);
    if (!isWorkingDay(h, d.day, d.weekday)) continue;
    const opensAt = midnight + h.opens * 60_000;
    if (opensAt > now) return { open: false, opensAt };
  }
  return { open: false, opensAt: t.midnight + 31 * DAY + h.opens * 60_000 };
}

/** Office hours from the settings. */
export function officeHoursFrom(o: { hours: string; answerMinutes: number; extraHolidays: readonly string[] }): OfficeHours {
  const { opens, closes } = parseHours(o.hours);
  return { ...DEFAULT_OFFICE_HOURS, opens, closes, answerMinutes: o.answerMinutes, holidays: Object.fromEntries(o.extraHolidays.map((d) => [d, 'OFFICE_HOLIDAYS'])) };
}

/** The engine's view of the office: open now, or when it opens. */
export function officeClock(h: OfficeHours): { status(now: number): OfficeStatus } {
  return { status: (now) => officeStatus(h, now) };
}

/**
 * When a handoff asked for at `requestedAt` should have had its first answer from an officer: what the citizen
 * was told. In office hours, answerMinutes after asking; outside them, answerMinutes after the office opens.
 * The minutes are wall-clock, not only open time: a citizen who asks at 16:20 was told "about 30 minutes", and
 * that is the promise officers are held to, even if it runs past closing.
 */
export function firstAnswerDeadline(h: OfficeHours, requestedAt: number): number {
  const status = officeStatus(h, requestedAt);
  return (status.open ? requestedAt : status.opensAt) + h.answerMinutes * 60_000;
}

/** "08:30" from minutes after midnight. */
export function clockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Minutes after midnight from "08:30" (or "24:00" for a closing at midnight); null for anything else. */
export function minutesOf(text: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}
