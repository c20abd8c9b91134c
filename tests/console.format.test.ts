import { describe, expect, it } from 'vitest';
import { dayInput, formatDate, formatDateTime, formatPhone, parseDay } from '../console/web/src/format';
import { filtersOf, queryOf } from '../console/web/src/pages/Cases';

describe('a day typed in the console', () => {
  it('is read in Buddhist Era as a Thai officer writes it', () => {
    expect(parseDay('1/12/2569')).toBe('2026-12-01');
    expect(parseDay('๑/๑๒/๒๕๖๙')).toBe('2026-12-01');
    expect(parseDay('31.1.2570')).toBe('2027-01-31');
  });

  it('is read in Common Era and as YYYY-MM-DD too', () => {
    expect(parseDay('1/12/2026')).toBe('2026-12-01');
    expect(parseDay('2026-12-01')).toBe('2026-12-01');
    expect(parseDay(' 2026-2-3 ')).toBe('2026-02-03');
  });

  it('is refused when it is not a real day', () => {
    for (const bad of ['', '31/2/2569', '0/1/2569', '1/13/2569', 'yesterday', '1/12/69', '2026-02-30', '<script>']) expect(parseDay(bad), bad).toBeNull();
  });

  it('is written back in the language of the page, B.E. in Thai', () => {
    expect(dayInput('2026-12-01', 'th')).toBe('1/12/2569');
    expect(dayInput('2026-12-01', 'en')).toBe('1/12/2026');
    expect(parseDay(dayInput('2027-01-31', 'th'))).toBe('2027-01-31');
  });
});

describe('dates an officer reads', () => {
  const at = Date.parse('2026-11-25T07:05:00Z'); // 14:05 in Bangkok

  it('are Buddhist Era in Thai and Common Era in English, in Thailand time', () => {
    expect(formatDate(at, 'th')).toContain('2569');
    expect(formatDateTime(at, 'th')).toMatch(/14:05 น\.$/);
    expect(formatDateTime(at, 'en')).toBe('25 Nov 2026, 14:05');
  });

  it('show a Thai mobile number as it is dialled', () => {
    expect(formatPhone('+66812345678')).toBe('081-234-5678');
  });
});

describe("the case list's filters in the address", () => {
  it('go there and back, dates included', () => {
    const f = { q: 'ไฟ', status: 'received', category: 'complaint', district: '4901', overdue: true, rating: '2', from: '2026-12-01', to: '2026-12-31', page: 2 };
    expect(filtersOf(queryOf(f))).toEqual(f);
    expect(filtersOf('?rating=none').rating).toBe('none');
    expect(filtersOf('?rating=9').rating).toBe('');
  });

  it('drop a date that is not a day rather than send it', () => {
    expect(filtersOf('?from=2026-02-30&to=soon')).toMatchObject({ from: '', to: '' });
  });
});
