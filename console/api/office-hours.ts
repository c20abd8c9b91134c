/**
 * A district's office hours as the settings page edits them (PUT /districts/:code/office-hours): the body's
 * schema, with messages an officer can act on, and the card's view of the stored hours (office/store.ts).
 */
import { z } from 'zod';
import type { Database } from '../../storage/database';
import { clockTime, minutesOf } from '../../office/hours';
import { publicHolidaysOf } from '../../office/holidays';
import { MAX_DISTRICT_HOLIDAYS, type DistrictOfficeStore } from '../../office/store';

/** "08:30": 00:00 to 24:00. */
const clock = z.string().refine((s) => minutesOf(s) !== null, 'a time of day such as 08:30');
/** A real calendar day, YYYY-MM-DD. */
const day = z.string().refine((s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s && Number(m[1]) >= 2000 && Number(m[1]) <= 2100;
}, 'a day such as 2026-12-08 (Common Era)');

export const officeHoursBody = z
  .strictObject({
    opens: clock,
    closes: clock,
    weekdays: z.array(z.number().int().min(1, 'weekdays are 1 (Monday) to 7 (Sunday)').max(7, 'weekdays are 1 (Monday) to 7 (Sunday)')).min(1, 'at least one working day').max(7),
    answerMinutes: z.number().int('whole minutes').min(5, 'at least 5 minutes').max(1440, 'at most 1440 minutes (a day)'),
    holidays: z
      .array(z.strictObject({ day, name: z.string().trim().min(1, 'a holiday needs a name').max(200) }))
      .max(MAX_DISTRICT_HOLIDAYS, `at most ${MAX_DISTRICT_HOLIDAYS} holidays`)
      .default([]),
  })
  .superRefine((b, ctx) => {
    const [opens, closes] = [minutesOf(b.opens), minutesOf(b.closes)];
    if (opens !== null && closes !== null && opens >= closes) ctx.addIssue({ code: 'custom', path: ['closes'], message: 'the office must open before it closes' });
    if (new Set(b.weekdays).size !== b.weekdays.length) ctx.addIssue({ code: 'custom', path: ['weekdays'], message: 'each weekday once' });
    const seen = new Set<string>();
    b.holidays.forEach((h, i) => {
      if (seen.has(h.day)) ctx.addIssue({ code: 'custom', path: ['holidays', i, 'day'], message: 'each day once' });
      seen.add(h.day);
    });
  });

/**
 * What the console's office-hours card shows: the district's hours (its own, or the defaults it keeps), its own
 * closed days, and the Thai public holidays of this year and the next, which close every district.
 */
export async function officeHoursView(offices: DistrictOfficeStore, db: Database, code: string, now: number) {
  const stored = await offices.read(db, code);
  const d = offices.defaults;
  const year = new Date(now + 7 * 3_600_000).getUTCFullYear();
  return {
    districtCode: code,
    custom: stored !== null,
    opens: clockTime(stored?.opens ?? d.opens),
    closes: clockTime(stored?.closes ?? d.closes),
    weekdays: [...(stored?.weekdays ?? d.weekdays)],
    answerMinutes: stored?.answerMinutes ?? d.answerMinutes,
    holidays: stored?.holidays ?? [],
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
    // Closed days every district keeps: OFFICE_HOLIDAYS from the settings, and the public holidays.
    settingsHolidays: Object.keys(d.holidays ?? {}).sort(),
    publicHolidays: publicHolidaysOf([year, year + 1]),
  };
}
