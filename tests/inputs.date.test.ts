import { describe, expect, it } from 'vitest';
import { parseDate } from '../flows/inputs';

// 1 March 2026 C.E. = 1 มีนาคม 2569 B.E.: "yesterday" crosses a month end in a non-leap February.
const today = { y: 2026, m: 3, d: 1 };
const parse = (text: string, allowFuture = false) => parseDate(text, { today, allowFuture });

describe('parseDate accepts', () => {
  it.each([
    ['d/m/B.E. year', '25/11/2568', '2025-11-25'],
    ['d/m/two-digit B.E. year', '25/11/68', '2025-11-25'],
    ['single-digit day and month', '5/1/69', '2026-01-05'],
    ['dashes', '25-11-2568', '2025-11-25'],
    ['dots', '25.11.2568', '2025-11-25'],
    ['a trailing full stop', '25.11.2568.', '2025-11-25'],
    ['spaces around slashes', '25 / 11 / 2568', '2025-11-25'],
    ['ISO C.E.', '2025-11-25', '2025-11-25'],
    ['a LINE date-picker value', '2026-02-28', '2026-02-28'],
    ['d/m/C.E. four-digit year', '25/11/2025', '2025-11-25'],
    ['Thai digits', '๒๕/๑๑/๒๕๖๘', '2025-11-25'],
    ['Thai abbreviated month, two-digit year', '25 พ.ย. 68', '2025-11-25'],
    ['Thai abbreviated month, four-digit year', '25 พ.ย. 2568', '2025-11-25'],
    ['Thai abbreviated month without dots or spaces', '25พย68', '2025-11-25'],
    ['Thai full month', '25 พฤศจิกายน 2568', '2025-11-25'],
    ['Thai full month with พ.ศ.', '25 พฤศจิกายน พ.ศ. 2568', '2025-11-25'],
    ['Thai month with Thai digits', '๑๔ ก.พ. ๖๙', '2026-02-14'],
    ['a วันที่ prefix and a particle', 'วันที่ 3 มกราคม 2569 ค่ะ', '2026-01-03'],
    ['English abbreviated month', '25 Nov 2025', '2025-11-25'],
    ['English full month, lower case', '25 november 2025', '2025-11-25'],
    ['English month with a two-digit C.E. year', '25 Nov 25', '2025-11-25'],
    ['English month first', 'Nov 25, 2025', '2025-11-25'],
    ['วันนี้', 'วันนี้', '2026-03-01'],
    ['เมื่อวาน across a month end', 'เมื่อวาน', '2026-02-28'],
    ['เมื่อวานนี้ with a particle', 'เมื่อวานนี้ครับ', '2026-02-28'],
    ['เมื่อวานซืน', 'เมื่อวานซืน', '2026-02-27'],
    ['today', 'Today', '2026-03-01'],
    ['yesterday', 'yesterday', '2026-02-28'],
    ['29 Feb in B.E. 2567 (C.E. 2024, a leap year)', '29/02/2567', '2024-02-29'],
    ['29 Feb in two-digit B.E. 67', '29 ก.พ. 67', '2024-02-29'],
    ['a C.E. year in the 1900s', '1/1/1990', '1990-01-01'],
  ])('%s', (_name, input, expected) => {
    expect(parse(input)).toEqual({ ok: true, value: expected });
  });

  it('accepts a future date when allowFuture is set', () => {
    expect(parse('25/11/2569', true)).toEqual({ ok: true, value: '2026-11-25' });
  });

  it('handles yesterday across a leap day and a year end', () => {
    expect(parseDate('เมื่อวาน', { today: { y: 2024, m: 3, d: 1 } })).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseDate('เมื่อวานซืน', { today: { y: 2026, m: 1, d: 1 } })).toEqual({ ok: true, value: '2025-12-30' });
  });
});

describe('parseDate refuses', () => {
  it.each([
    ['an empty answer', '', 'empty'],
    ['31 February', '31/02/2568', 'impossible_date'],
    ['29 Feb in B.E. 2568 (C.E. 2025, not leap)', '29/02/2568', 'impossible_date'],
    ['29 Feb in B.E. 2566 (C.E. 2023, not leap)', '29 ก.พ. 2566', 'impossible_date'],
    ['month 13', '12/13/2568', 'impossible_date'],
    ['day 0', '0/11/2568', 'impossible_date'],
    ['31 April', '31 เม.ย. 68', 'impossible_date'],
    ['an American m/d order that makes no sense', '11/25/2568', 'impossible_date'],
    ['tomorrow in numbers', '2/3/2569', 'future'],
    ['a future ISO date', '2026-11-25', 'future'],
    ['a future Thai date', '25 พ.ย. 2569', 'future'],
    ['a date with no year', '25/11', 'missing_year'],
    ['a Thai month with no year', '25 พ.ย.', 'missing_year'],
    ['an unknown month word', '25 ธันวา 2568', 'not_a_date'],
    ['free text', 'จำไม่ได้ค่ะ', 'not_a_date'],
    ['a bare number', '25', 'not_a_date'],
    ['a three-digit year', '25/11/256', 'not_a_date'],
    ['a C.E. year before 1900', '1/1/1850', 'out_of_range'],
  ])('%s', (_name, input, reason) => {
    expect(parse(input)).toEqual({ ok: false, reason });
  });
});
