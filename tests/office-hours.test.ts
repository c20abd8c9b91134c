import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_HOURS, officeHoursFrom, officeStatus, parseHours } from '../office/hours';
import { formatDayAndTime } from '../flows/engine/format';
import { isPublicHoliday, publicHolidaysOf } from '../office/holidays';

const at = (iso: string) => Date.parse(`${iso}+07:00`);

describe('office hours of a district center (Bangkok time)', () => {
  it.each([
    ['a Wednesday morning', '2026-11-25T10:00:00', true],
    ['opening minute', '2026-11-25T08:30:00', true],
    ['a minute before opening', '2026-11-25T08:29:00', false],
    ['closing minute', '2026-11-25T16:30:00', false],
    ['Saturday', '2026-11-28T10:00:00', false],
    ["Father's Day (5 Dec, a Saturday) and its substitute Monday", '2026-12-07T10:00:00', false],
    ['Songkran', '2027-04-14T10:00:00', false],
  ])('%s: open = %s', (_what, time, open) => {
    expect(officeStatus(DEFAULT_OFFICE_HOURS, at(time)).open).toBe(open);
  });

  it.each([
    ['Friday evening', '2026-11-27T19:00:00', '2026-11-30T08:30:00'],
    ['Wednesday night', '2026-11-25T23:59:00', '2026-11-26T08:30:00'],
    ['early morning', '2026-11-26T06:00:00', '2026-11-26T08:30:00'],
    ['the weekend before a substitution Monday', '2026-12-05T12:00:00', '2026-12-08T08:30:00'],
    ['New Year’s Eve', '2026-12-31T09:00:00', '2027-01-04T08:30:00'],
  ])('%s: opens again at %s', (_what, time, opens) => {
    expect(officeStatus(DEFAULT_OFFICE_HOURS, at(time))).toEqual({ open: false, opensAt: at(opens) });
  });

  it('keeps the solar holidays closed in a year the list does not cover, with substitutes for weekend ones', () => {
    // 2028 is past the checked list: 1 January is a Saturday, Songkran ends on a Saturday.
    expect(isPublicHoliday('2028-01-01')).toBe(true);
    expect(isPublicHoliday('2028-01-03')).toBe(true); // the substitute Monday
    expect(isPublicHoliday('2028-04-17')).toBe(true); // for 15 April
    expect(isPublicHoliday('2028-07-28')).toBe(true);
    expect(isPublicHoliday('2028-01-04')).toBe(false);
    expect(officeStatus(DEFAULT_OFFICE_HOURS, at('2028-01-03T10:00:00'))).toEqual({ open: false, opensAt: at('2028-01-04T08:30:00') });
    expect(publicHolidaysOf([2028]).map((h) => h.day)).toContain('2028-12-05');
  });

  it('takes the checked list as it is for the years it covers, lunar holidays included', () => {
    expect(isPublicHoliday('2026-03-03')).toBe(true); // Makha Bucha, from the list
    expect(isPublicHoliday('2026-01-02')).toBe(false);
    expect(publicHolidaysOf([2026]).filter((h) => h.day.startsWith('2026-12-'))).toHaveLength(4);
  });

  it('takes its hours and extra closed days from the settings', () => {
    const h = officeHoursFrom({ hours: '09:00-15:00', answerMinutes: 45, extraHolidays: ['2026-11-26'] });
    expect(officeStatus(h, at('2026-11-25T08:45:00'))).toEqual({ open: false, opensAt: at('2026-11-25T09:00:00') });
    expect(officeStatus(h, at('2026-11-25T10:00:00'))).toEqual({ open: true, answerMinutes: 45 });
    expect(officeStatus(h, at('2026-11-25T15:30:00'))).toEqual({ open: false, opensAt: at('2026-11-27T09:00:00') });
    expect(() => parseHours('16:30-08:30')).toThrow(/open before they close/);
    expect(() => parseHours('8.30 to 4')).toThrow(/08:30-16:30/);
  });

  it('tells a citizen when it opens, in Buddhist Era in Thai and C.E. in English', () => {
    expect(formatDayAndTime(at('2026-11-30T08:30:00'), 'th')).toBe('วันจันทร์ที่ 30 พฤศจิกายน 2569 เวลา 08:30 น.');
    expect(formatDayAndTime(at('2026-11-30T08:30:00'), 'en')).toBe('Monday 30 November 2026 at 08:30');
  });
});
