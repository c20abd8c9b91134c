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

/** The public holidays of the given Gregorian years, by date: what the console lists beside a district's own. */
export function publicHolidaysOf(years: readonly number[]): Array<{ day: string; name: string }> {
  return Object.entries(THAI_PUBLIC_HOLIDAYS)
    .filter(([day]) => years.includes(Number(day.slice(0, 4))))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, name]) => ({ day, name }));
}
