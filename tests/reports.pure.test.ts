/**
 * The reports' pure parts, apart from any SQL: periods in Bangkok time and Buddhist Era, nearest-rank percentiles
 * and shares, the map's geometry (a district as the union of its subdistricts, simplification, a point surely
 * inside), the province's map from the shared boundaries, and the Open311 query's reading.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundsOf, dayOf, dayStart, fiscalYearPeriod, monthName, monthOf, monthPeriod, periodName, PeriodError } from '../reports/period';
import { percentile, percentText, share, spread } from '../reports/stats';
import { dissolve, labelPoint, provinceMap, simplifyRing } from '../reports/map';
import { isoBangkok, open311Services, Open311QueryError, parseOpen311Query } from '../reports/open311';
import { SHIPPED_CATEGORIES } from '../categories';
import { tableCsv } from '../reports/tables';
import { monthKey, monthStart, monthsEndingBy, splitByMonths } from '../reports/summaries';
import { openAtFor } from '../reports/dashboard';
import { DEFAULT_OFFICE_HOURS, officeStatus, type OfficeHours } from '../office/hours';
import { SHARED_BOUNDARIES_DIR } from './support/boundaries';

describe('report periods', () => {
  it('starts a day at midnight in Bangkok, whatever the computer’s zone', () => {
    expect(new Date(dayStart('2026-11-01')).toISOString()).toBe('2026-10-31T17:00:00.000Z');
    expect(dayOf(Date.parse('2026-10-31T17:00:00Z'))).toBe('2026-11-01');
    expect(dayOf(Date.parse('2026-10-31T16:59:59Z'))).toBe('2026-10-31');
    expect(dayStart('2026-02-30')).toBeNaN();
  });

  it('covers a whole month, February of a leap year included', () => {
    expect(monthPeriod(2026, 11)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(monthPeriod(2028, 2)).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    const b = boundsOf(monthPeriod(2026, 12));
    expect(b.end - b.start).toBe(31 * 86_400_000);
    expect(monthOf(b.end - 1)).toEqual({ year: 2026, month: 12 });
    expect(monthOf(b.end)).toEqual({ year: 2027, month: 1 });
  });

  it('names months in Buddhist Era and the fiscal year from October', () => {
    expect(monthName(2026, 11, 'th')).toBe('พฤศจิกายน 2569');
    expect(monthName(2026, 11, 'en')).toBe('November 2026');
    expect(fiscalYearPeriod(2569)).toEqual({ from: '2025-10-01', to: '2026-09-30' });
    expect(periodName(monthPeriod(2026, 11), 'th', String)).toBe('พฤศจิกายน 2569');
    expect(periodName({ from: '2026-11-02', to: '2026-11-03' }, 'th', (at) => dayOf(at))).toBe('2026-11-02 – 2026-11-03');
  });

  it('refuses a day that is not one, a reversed period and one longer than five years', () => {
    expect(() => boundsOf({ from: '2026-13-01', to: '2026-12-01' })).toThrow(PeriodError);
    expect(() => boundsOf({ from: '2026-12-02', to: '2026-12-01' })).toThrow(/before from/);
    expect(() => boundsOf({ from: '2015-01-01', to: '2026-12-01' })).toThrow(/longer than/);
  });
});

describe('report statistics', () => {
  it('takes nearest-rank percentiles: always a value that happened', () => {
    expect(percentile([16, 1, 7], 0.5)).toBe(7);
    expect(percentile([16, 1, 7], 0.9)).toBe(16);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2);
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([], 0.5)).toBeNull();
    expect(spread(Array.from({ length: 10 }, (_, i) => 10 - i))).toEqual({ count: 10, median: 5, p90: 9 });
    expect(() => percentile([1], 0)).toThrow(RangeError);
  });

  it('writes shares with one decimal, and a dash when there is nothing to divide', () => {
    expect(percentText(share(2, 3))).toBe('66.7');
    expect(percentText(share(0, 0))).toBe('–');
    expect(share(1, 4)).toEqual({ part: 1, whole: 4, ratio: 0.25 });
  });
});

describe('report tables as files', () => {
  it('writes CSV with a BOM for Excel, quotes what needs it and never lets a cell run as a formula', () => {
    const csv = tableCsv({ title: 't', caption: [], headers: ['ประเภท', 'จำนวน'], rows: [['ร้องเรียน, ร้องทุกข์', 3], ['=HYPERLINK("x")', 1]] });
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.toString('utf8').slice(1)).toBe('ประเภท,จำนวน\r\n"ร้องเรียน, ร้องทุกข์",3\r\n"\'=HYPERLINK(""x"")",1\r\n');
  });
});

describe("the map's geometry", () => {
  const square = (x: number, y: number) => [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]];

  it('joins subdistricts that share borders into one outline', () => {
    const rings = dissolve([[square(0, 0)], [square(1, 0)]]);
    expect(rings).toHaveLength(1);
    const ring = rings[0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    // The shared edge (1,0)-(1,1) is gone; the outline goes round the 2 × 1 rectangle's six vertices.
    expect(new Set(ring.map((p) => p.join(','))).size).toBe(6);
  });

  it('keeps apart pieces that do not touch', () => {
    expect(dissolve([[square(0, 0)], [square(5, 5)]])).toHaveLength(2);
  });

  it('simplifies a ring within its tolerance and never below four points', () => {
    const wobbly = [[0, 0], [0.5, 0.0001], [1, 0], [1, 1], [0, 1], [0, 0]];
    expect(simplifyRing(wobbly, 0.001)).toEqual([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]);
    expect(simplifyRing(square(0, 0), 10)).toEqual(square(0, 0));
  });

  it('puts a label point inside a U-shaped district, where its centre is not', () => {
    const u = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]];
    const [x, y] = labelPoint([u]);
    const inLeft = x > 0 && x < 1;
    const inRight = x > 2 && x < 3;
    const inBase = y > 0 && y < 1;
    expect(inLeft || inRight || inBase).toBe(true);
  });

  it.runIf(existsSync(join(SHARED_BOUNDARIES_DIR, 'tambons.geojson')))("draws Mukdahan's 7 districts and 53 subdistricts from the shared boundaries", () => {
    const features = JSON.parse(readFileSync(join(SHARED_BOUNDARIES_DIR, 'tambons.geojson'), 'utf8')).features;
    const map = provinceMap(features, '49');
    expect(map.districts.features.map((f) => f.properties.code)).toEqual(['4901', '4902', '4903', '4904', '4905', '4906', '4907']);
    expect(map.districts.features[0]!.properties.th).toBe('เมืองมุกดาหาร');
    expect(map.subdistricts.features).toHaveLength(53);
    // The union has as many outline edges as the published district file (the dissolve of the same data).
    const districtFile = JSON.parse(readFileSync(join(SHARED_BOUNDARIES_DIR, 'districts.geojson'), 'utf8')).features.find((f: { properties: { code: string } }) => f.properties.code === '4901');
    const edges = (rings: number[][][]) => rings.reduce((a, r) => a + r.length - 1, 0);
    expect(edges(map.districts.features[0]!.geometry.coordinates.flat())).toBe(edges(districtFile.geometry.coordinates));
    expect(JSON.stringify(map).length).toBeLessThan(200_000);
  });
});

describe('Open311 queries', () => {
  const now = Date.parse('2026-12-20T12:00:00+07:00');

  it('offers every category but complaints about officials as a service', () => {
    const services = open311Services(SHIPPED_CATEGORIES, 'th');
    expect(services.map((s) => s.service_code)).not.toContain('official_conduct');
    expect(services[0]).toEqual({ service_code: 'complaint', service_name: 'ร้องเรียน/ร้องทุกข์', description: 'ร้องเรียน/ร้องทุกข์', metadata: false, type: 'realtime', keywords: '', group: '' });
  });

  it('reads ids, service, status and ISO dates, and says which parameter is wrong', () => {
    expect(parseOpen311Query({ service_request_id: 'mdh-2569-000001-9, MDH-2569-000002-2', status: 'open', start_date: '2026-11-01T00:00:00+07:00' }, now)).toEqual({
      now,
      ids: ['MDH-2569-000001-9', 'MDH-2569-000002-2'],
      status: 'open',
      start: Date.parse('2026-11-01T00:00:00+07:00'),
    });
    expect(() => parseOpen311Query({ status: 'pending' }, now)).toThrow(Open311QueryError);
    expect(() => parseOpen311Query({ service_code: 'nope' }, now)).toThrow(/service_code/);
    expect(() => parseOpen311Query({ end_date: 'yesterday' }, now)).toThrow(/end_date/);
    expect(isoBangkok(Date.parse('2026-11-25T07:05:00Z'))).toBe('2026-11-25T14:05:00+07:00');
  });
});

describe('whole months of a period, for the monthly summaries', () => {
  const day = (d: string) => dayStart(d);
  it('reads the whole Bangkok months inside a period and leaves the days around them to the rows', () => {
    expect(splitByMonths(boundsOf({ from: '2026-01-17', to: '2026-08-09' }))).toEqual({
      months: { from: 202602, to: 202607, start: day('2026-02-01'), end: day('2026-08-01') },
      edges: [{ start: day('2026-01-17'), end: day('2026-02-01') }, { start: day('2026-08-01'), end: day('2026-08-10') }],
    });
    expect(splitByMonths(boundsOf({ from: '2025-10-01', to: '2026-09-30' }))).toEqual({ months: { from: 202510, to: 202609, start: day('2025-10-01'), end: day('2026-10-01') }, edges: [] });
    expect(splitByMonths(boundsOf({ from: '2026-12-01', to: '2027-01-31' })).months).toMatchObject({ from: 202612, to: 202701 });
    const days = boundsOf({ from: '2026-06-10', to: '2026-06-20' });
    expect(splitByMonths(days)).toEqual({ months: null, edges: [days] });
    expect(splitByMonths(boundsOf({ from: '2026-06-02', to: '2026-07-31' })).edges).toEqual([{ start: day('2026-06-02'), end: day('2026-07-01') }]);
  });

  it('keys months in Bangkok time and keeps only those ended by a moment', () => {
    expect(monthKey(Date.parse('2026-10-31T17:00:00Z'))).toBe(202611);
    expect(monthKey(Date.parse('2026-10-31T16:59:59Z'))).toBe(202610);
    expect(monthStart(202701)).toBe(day('2027-01-01'));
    const m = splitByMonths(boundsOf({ from: '2026-01-01', to: '2026-12-31' })).months!;
    expect(monthsEndingBy(m, day('2026-11-22'))).toMatchObject({ from: 202601, to: 202610, end: day('2026-11-01') });
    expect(monthsEndingBy(m, day('2026-01-31'))).toBeNull();
  });
});

describe("chats out of the office's hours", () => {
  it('tells open from closed exactly as officeStatus does, holidays, odd hours and every minute included', () => {
    const hours: OfficeHours[] = [
      DEFAULT_OFFICE_HOURS,
      { ...DEFAULT_OFFICE_HOURS, opens: 0, closes: 24 * 60, weekdays: [6, 7], holidays: { '2026-05-02': 'OFFICE_HOLIDAYS' } },
      { ...DEFAULT_OFFICE_HOURS, opens: 7 * 60 + 45, closes: 19 * 60, weekdays: [1, 2, 3, 4, 5, 6], holidays: { '2026-04-14': 'x' } },
      { ...DEFAULT_OFFICE_HOURS, opens: 9 * 60, closes: 9 * 60 },
    ];
    let a = 99;
    const rnd = () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const h of hours) {
      const open = openAtFor(h);
      const start = Date.parse('2026-01-01T00:00:00+07:00');
      const instants = Array.from({ length: 4000 }, () => start + Math.floor(rnd() * 365 * 86_400_000));
      // The minutes around opening and closing, on a working day, a weekend and a public holiday (13 April).
      for (const d of ['2026-04-13', '2026-04-14', '2026-05-02', '2026-05-04', '2026-05-09']) {
        for (const m of [h.opens - 1, h.opens, h.closes - 1, h.closes]) instants.push(dayStart(d) + m * 60_000, dayStart(d) + m * 60_000 + 59_999);
      }
      for (const at of instants) expect(open(at), new Date(at).toISOString()).toBe(officeStatus(h, at).open);
    }
  });
});
