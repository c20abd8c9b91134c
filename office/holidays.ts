/**
 * Thai public holidays on which district offices are closed, by Gregorian date. Lunar holidays (Makha Bucha,
 * Visakha Bucha, Asanha Bucha, Buddhist Lent) move every year and substitution days are announced by the Cabinet:
 * this list is a default to be checked each year against the Cabinet's announcement and extended through
 * OFFICE_HOLIDAYS (unconfirmed lunar dates are marked).
 */
export const THAI_PUBLIC_HOLIDAYS: Readonly<Record<string, string>> = {
  '2026-01-01': 'วันขึ้นปีใหม่',
  '2026-03-03': 'วันมาฆบูชา (unconfirmed)',
  '2026-04-06': 'วันจักรี',
  '2026-04-13': 'วันสงกรานต์',
  '2026-04-14': 'วันสงกรานต์',
  '2026-04-15': 'วันสงกรานต์',
  '2026-05-01': 'วันแรงงานแห่งชาติ',
  '2026-05-04': 'วันฉัตรมงคล',
  '2026-05-31': 'วันวิสาขบูชา (unconfirmed)',
  '2026-06-01': 'ชดเชยวันวิสาขบูชา (unconfirmed)',
  '2026-06-03': 'วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี',
  '2026-07-28': 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว',
  '2026-07-29': 'วันอาสาฬหบูชา (unconfirmed)',
  '2026-07-30': 'วันเข้าพรรษา (unconfirmed)',
  '2026-08-12': 'วันแม่แห่งชาติ',
  '2026-10-13': 'วันนวมินทรมหาราช',
  '2026-10-23': 'วันปิยมหาราช',
  '2026-12-05': 'วันพ่อแห่งชาติ',
  '2026-12-07': 'ชดเชยวันพ่อแห่งชาติ',
  '2026-12-10': 'วันรัฐธรรมนูญ',
  '2026-12-31': 'วันสิ้นปี',
  '2027-01-01': 'วันขึ้นปีใหม่',
  '2027-04-06': 'วันจักรี',
  '2027-04-13': 'วันสงกรานต์',
  '2027-04-14': 'วันสงกรานต์',
  '2027-04-15': 'วันสงกรานต์',
  '2027-05-01': 'วันแรงงานแห่งชาติ',
  '2027-05-04': 'วันฉัตรมงคล',
  '2027-06-03': 'วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี',
  '2027-07-28': 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว',
  '2027-08-12': 'วันแม่แห่งชาติ',
  '2027-10-13': 'วันนวมินทรมหาราช',
  '2027-10-23': 'วันปิยมหาราช',
  '2027-12-05': 'วันพ่อแห่งชาติ',
  '2027-12-10': 'วันรัฐธรรมนูญ',
  '2027-12-31': 'วันสิ้นปี',
};

/** The holidays fixed by the solar calendar, month-day: the same every year. */
const FIXED_HOLIDAYS: ReadonlyArray<readonly [string, string]> = [
  ['01-01', 'วันขึ้นปีใหม่'],
  ['04-06', 'วันจักรี'],
  ['04-13', 'วันสงกรานต์'],
  ['04-14', 'วันสงกรานต์'],
  ['04-15', 'วันสงกรานต์'],
  ['05-01', 'วันแรงงานแห่งชาติ'],
  ['05-04', 'วันฉัตรมงคล'],
  ['06-03', 'วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี'],
  ['07-28', 'วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว'],
  ['08-12', 'วันแม่แห่งชาติ'],
  ['10-13', 'วันนวมินทรมหาราช'],
  ['10-23', 'วันปิยมหาราช'],
  ['12-05', 'วันพ่อแห่งชาติ'],
  ['12-10', 'วันรัฐธรรมนูญ'],
  ['12-31', 'วันสิ้นปี'],
];

const listedYears = new Set(Object.keys(THAI_PUBLIC_HOLIDAYS).map((d) => Number(d.slice(0, 4))));
const byYear = new Map<number, Readonly<Record<string, string>>>();

/**
 * A year's public holidays: the list above for the years it covers; for a later year, the solar holidays with a
 * substitution day for each that falls on a weekend (the next weekday not already a holiday, as the Cabinet
 * usually decides), so an office is not shown open on New Year because nobody extended the list. The lunar holidays
 * of such a year are not known here: add them with OFFICE_HOLIDAYS or a district's own holidays.
 */
export function publicHolidaysIn(year: number): Readonly<Record<string, string>> {
  const known = byYear.get(year);
  if (known) return known;
  let days: Record<string, string>;
  if (listedYears.has(year)) {
    days = Object.fromEntries(Object.entries(THAI_PUBLIC_HOLIDAYS).filter(([d]) => d.startsWith(`${year}-`)));
  } else {
    days = Object.fromEntries(FIXED_HOLIDAYS.map(([md, name]) => [`${year}-${md}`, name]));
    for (const [md, name] of FIXED_HOLIDAYS) {
      const at = Date.UTC(year, Number(md.slice(0, 2)) - 1, Number(md.slice(3)));
      const weekday = new Date(at).getUTCDay();
      if (weekday !== 0 && weekday !== 6) continue;
      for (let next = at + 86_400_000; ; next += 86_400_000) {
        const day = new Date(next).toISOString().slice(0, 10);
        const wd = new Date(next).getUTCDay();
        if (wd === 0 || wd === 6 || day in days) continue;
        // A substitute for 31 December lands in the next year: that year's own list has its New Year then.
        if (day.startsWith(`${year}-`)) days[day] = `ชดเชย${name}`;
        break;
      }
    }
  }
  byYear.set(year, days);
  return days;
}

/** Whether offices are closed for a public holiday on a YYYY-MM-DD day. */
export function isPublicHoliday(day: string): boolean {
  return day in publicHolidaysIn(Number(day.slice(0, 4)));
}

/** The public holidays of the given Gregorian years, by date: what the console lists beside a district's own. */
export function publicHolidaysOf(years: readonly number[]): Array<{ day: string; name: string }> {
  return years
    .flatMap((y) => Object.entries(publicHolidaysIn(y)))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, name]) => ({ day, name }));
}
