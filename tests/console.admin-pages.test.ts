/**
 * The pure parts of the console's settings and admin pages: which pages a role is offered, the addresses of the
 * new pages, the audit log's filters (Thailand's days to the API's instants), the district picker's search and
 * the body an account form sends.
 */
import { describe, expect, it } from 'vitest';
import { navFor, sectionOf } from '../console/web/src/ui';
import { routeOf } from '../console/web/src/router';
import { auditApiQuery, auditFiltersOf, auditSearchOf, detailText } from '../console/web/src/pages/Audit';
import { newOfficerBody } from '../console/web/src/pages/Accounts';
import { groupedDistricts } from '../console/web/src/pages/settings/DistrictPicker';
import { addedBy, shortGroupId } from '../console/web/src/pages/settings/targets';
import type { DirectoryDistrict } from '../console/web/src/api';

describe('the navigation', () => {
  it('offers settings to supervisors and admins, accounts, the audit log and the language page to admins only', () => {
    expect(navFor('officer')).toEqual({ settings: false, accounts: false, audit: false, language: false, dataRequests: false, faq: false, categories: false, retention: false, flows: false, petitions: false, reports: true });
    expect(navFor('supervisor')).toEqual({ settings: true, accounts: false, audit: false, language: false, dataRequests: true, faq: true, categories: true, retention: true, flows: true, petitions: true, reports: true });
    expect(navFor('admin')).toEqual({ settings: true, accounts: true, audit: true, language: true, dataRequests: true, faq: true, categories: true, retention: true, flows: true, petitions: true, reports: true });
    expect(navFor('someone')).toEqual({ settings: false, accounts: false, audit: false, language: false, dataRequests: false, faq: false, categories: false, retention: false, flows: false, petitions: false, reports: false });
  });

  it('reads the new pages from their addresses and marks their entry in the bar', () => {
    expect(routeOf('/console/settings', '')).toEqual({ page: 'settings' });
    expect(routeOf('/console/settings/4901', '')).toEqual({ page: 'districtSettings', district: '4901' });
    expect(routeOf('/console/settings/49', '')).toEqual({ page: 'notFound' });
    expect(routeOf('/console/settings/4901/x', '')).toEqual({ page: 'notFound' });
    expect(routeOf('/console/accounts', '')).toEqual({ page: 'accounts' });
    expect(routeOf('/console/audit', '?action=officer.create')).toEqual({ page: 'audit', search: '?action=officer.create' });
    expect(sectionOf('districtSettings')).toBe('settings');
    expect(sectionOf('audit')).toBe('audit');
    expect(routeOf('/console/language', '?status=added')).toEqual({ page: 'language', search: '?status=added' });
    expect(sectionOf('language')).toBe('language');
    expect(sectionOf('chat')).toBe('queue');
    expect(routeOf('/console/data-requests', '')).toEqual({ page: 'dataRequests' });
    expect(routeOf('/console/data-requests/12', '')).toEqual({ page: 'dataRequest', id: 12 });
    expect(routeOf('/console/data-requests/x', '')).toEqual({ page: 'notFound' });
    expect(routeOf('/console/flows', '')).toEqual({ page: 'flows' });
    expect(routeOf('/console/flows/complaint', '')).toEqual({ page: 'flow', id: 'complaint' });
    expect(routeOf('/console/flows/complaint/drafts/3', '')).toEqual({ page: 'flowEditor', id: 'complaint', draft: 3, version: null });
    expect(routeOf('/console/flows/complaint/versions/2', '')).toEqual({ page: 'flowEditor', id: 'complaint', draft: null, version: 2 });
    expect(routeOf('/console/flows/Bad%20id', '')).toEqual({ page: 'notFound' });
    expect(sectionOf('flowEditor')).toBe('flows');
    expect(sectionOf('dataRequest')).toBe('dataRequests');
    expect(routeOf('/console/retention', '')).toEqual({ page: 'retention' });
    expect(routeOf('/console/reports', '?from=2026-11-01&to=2026-11-30')).toEqual({ page: 'reports', search: '?from=2026-11-01&to=2026-11-30' });
    expect(sectionOf('reports')).toBe('reports');
    expect(sectionOf('retention')).toBe('retention');
  });
});

describe("the audit log's filters", () => {
  it('round-trip through the address, days typed in B.E. kept as calendar days', () => {
    const f = { officer: '3', action: 'case.view_personal', target: 'MDH-2569-000001-3', from: '2026-12-01', to: '2026-12-06', before: 120 };
    expect(auditFiltersOf(auditSearchOf(f))).toEqual(f);
    expect(auditFiltersOf('?from=1/12/2569&to=2026-02-30&officer=x&before=-4')).toEqual({ officer: '', action: '', target: '', from: '2026-12-01', to: '', before: null });
  });

  it("ask the API from Thailand's midnight to the end of the last day, one more line than a page", () => {
    const q = new URLSearchParams(auditApiQuery({ officer: '', action: '', target: ' ', from: '2026-12-01', to: '2026-12-01', before: null }, 51));
    expect(Number(q.get('from'))).toBe(Date.parse('2026-11-30T17:00:00Z'));
    expect(Number(q.get('to'))).toBe(Date.parse('2026-12-01T17:00:00Z'));
    expect(q.get('limit')).toBe('51');
    expect(q.has('target')).toBe(false);
    expect(q.has('before')).toBe(false);
  });

  it('show a line context as words', () => {
    expect(detailText({ role: 'officer', districtCode: '4901', provinceCode: null })).toBe('role: officer · districtCode: 4901');
    expect(detailText({ id: 4, title: 'รับเรื่อง' })).toBe('id: 4 · title: รับเรื่อง');
    expect(detailText(null)).toBe('');
  });
});

describe('the district picker', () => {
  const d = (code: string, th: string, en: string, provinceTh: string, provinceEn: string): DirectoryDistrict => ({
    code,
    th,
    en,
    provinceCode: code.slice(0, 2),
    provinceTh,
    provinceEn,
    canConfigure: true,
  });
  const all = [
    d('4901', 'เมืองมุกดาหาร', 'Mueang Mukdahan', 'มุกดาหาร', 'Mukdahan'),
    d('4903', 'ดอนตาล', 'Don Tan', 'มุกดาหาร', 'Mukdahan'),
    d('4101', 'เมืองอุดรธานี', 'Mueang Udon Thani', 'อุดรธานี', 'Udon Thani'),
  ];

  it("finds districts by Thai or English name, code or province, grouped by province in the directory's order", () => {
    expect(groupedDistricts(all, 'เมือง', '', 'th').map((g) => [g.name, g.districts.map((x) => x.code)])).toEqual([
      ['มุกดาหาร', ['4901']],
      ['อุดรธานี', ['4101']],
    ]);
    expect(groupedDistricts(all, 'Don Tan', '', 'en').flatMap((g) => g.districts.map((x) => x.code))).toEqual(['4903']);
    expect(groupedDistricts(all, 'udon', '', 'en').map((g) => g.name)).toEqual(['Udon Thani']);
    expect(groupedDistricts(all, '4903', '', 'th').flatMap((g) => g.districts.map((x) => x.code))).toEqual(['4903']);
    expect(groupedDistricts(all, '', '41', 'th').flatMap((g) => g.districts.map((x) => x.code))).toEqual(['4101']);
    expect(groupedDistricts(all, 'nowhere', '', 'th')).toEqual([]);
  });
});

describe('the account form', () => {
  const draft = { username: ' malee ', displayName: ' มาลี ', role: 'officer' as const, provinceCode: '49', districtCode: '4901', password: 'p' };

  it("sends an officer's district, a supervisor's province and neither for an admin", () => {
    expect(newOfficerBody(draft)).toEqual({ username: 'malee', displayName: 'มาลี', role: 'officer', districtCode: '4901', password: 'p' });
    expect(newOfficerBody({ ...draft, role: 'supervisor' })).toEqual({ username: 'malee', displayName: 'มาลี', role: 'supervisor', provinceCode: '49', password: 'p' });
    expect(newOfficerBody({ ...draft, role: 'admin' })).toEqual({ username: 'malee', displayName: 'มาลี', role: 'admin', password: 'p' });
  });
});

describe('a LINE group in the settings', () => {
  it('is shown by the start and end of its id, and bound by the maker of its code', () => {
    expect(shortGroupId(`C${'4d'.repeat(16)}`)).toBe('C4d4d4d…4d4d');
    expect(shortGroupId('C123')).toBe('C123');
    expect(addedBy('binding-code:wichai')).toBe('wichai');
    expect(addedBy('admin')).toBe('admin');
  });
});
