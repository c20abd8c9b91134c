/**
 * The reports in the console (reports/): the dashboard of a period, its tables and the case list as CSV or XLSX, the
 * province's map, and the monthly summary as XLSX and PDF. Reports go by place, as the case list does (case.list's
 * reach): an officer their district (never a confidential case), a supervisor the province, an admin everything.
 * Every export is audited, and so is a dashboard that showed citizens' comments (personal data).
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../../storage/database';
import type { DataCipher } from '../../../storage/crypto';
import { CASE_STATUSES, CHANNELS } from '../../../domain/cases';
import { CATEGORY_CODE } from '../../../categories';
import { listCases, type CaseReach } from '../../../cases/case-list';
import { DEFAULT_OFFICE_HOURS } from '../../../office/hours';
import type { DistrictOfficeStore } from '../../../office/store';
import { chromiumPdfRenderer, type PdfRenderer } from '../../../cases/intake-pdf';
import { FORM_FONT } from '../../../cases/intake-form';
import { formatCaseDate, formatCaseDateTime } from '../../../locales/dates';
import { dashboard, type Dashboard } from '../../../reports/dashboard';
import { boundsOf, periodName, PeriodError, type PeriodBounds } from '../../../reports/period';
import { districtInReach, type ReportReach, type ReportScope } from '../../../reports/reach';
import { dashboardTable, DASHBOARD_TABLES, tableCsv, tableXlsx, type Table } from '../../../reports/tables';
import { caseListTable, personalOf } from '../../../reports/case-export';
import { monthlyHtml, monthlyReport, monthlyXlsx } from '../../../reports/monthly';
import { loadProvinceMap } from '../../../reports/map';
import { districtLabel, provinceLabel, rt } from '../../../reports/labels';
import { districtByCode, districtsOf, subdistrictByCode } from '../../../flows/places';
import { recordAudit } from '../../auth/audit';
import { can, type Actor } from '../../auth/permissions';
import { actorOf, HttpError } from '../auth';

export interface ReportsApiOptions {
  db: Database;
  cipher: DataCipher;
  requireOfficer: RequestHandler;
  now?: () => number;
  centerDistrict: string | null;
  /** PROGRESS_NOTICE_DAYS: the first notice is due within these days. */
  noticeDays?: number;
  /** BOUNDARIES_DIR: where the map's boundaries are (geo/); none there, the map is a table. */
  boundariesDir?: string | null;
  offices?: DistrictOfficeStore;
  pdf?: PdfRenderer;
}

/** The most rows one case-list export carries: a province's busiest year, and then some. */
export const CASE_EXPORT_MAX = 200_000;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const periodQuery = z.strictObject({
  from: day,
  to: day,
  district: z.string().regex(/^\d{4}$/).optional(),
  lang: z.enum(['th', 'en']).default('th'),
});
const monthlyQuery = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  province: z.string().regex(/^\d{2}$/).optional(),
  lang: z.enum(['th', 'en']).default('th'),
});
const casesQuery = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  category: z.string().regex(CATEGORY_CODE).optional(),
  channel: z.enum(CHANNELS).optional(),
  district: z.string().regex(/^\d{4}$/).optional(),
  from: day.optional(),
  to: day.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  rating: z.enum(['1', '2', '3', '4', '5', 'none']).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  lang: z.enum(['th', 'en']).default('th'),
  /** The list page's own paging, ignored: an export is every page. */
  page: z.string().optional(),
});

const TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', pdf: 'application/pdf' } as const;

/** case.list's reach in a report's terms (the same rule as console/api/cases/list.ts). */
export function reachOf(actor: Actor): ReportReach & CaseReach {
  if (actor.role === 'admin') return { scope: 'all' };
  if (actor.role === 'supervisor') return { scope: 'province', provinceCode: actor.provinceCode };
  return { scope: 'district', districtCode: actor.districtCode };
}

function parsed<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  const q = schema.safeParse(req.query);
  if (!q.success) throw new HttpError(400, 'Invalid report', { errors: q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  return q.data;
}

function send(res: Response, name: string, format: keyof typeof TYPES, body: Buffer): void {
  res.setHeader('Content-Type', TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`);
  res.send(body);
}

export function reportsRouter(o: ReportsApiOptions): Router {
  const now = o.now ?? Date.now;
  let pdf: PdfRenderer | null = o.pdf ?? null;
  const router = express.Router();
  const hoursOf = (district: string | null) => (o.offices ? o.offices.hoursCached(o.db, district) : Promise.resolve(DEFAULT_OFFICE_HOURS));

  /** The reader's scope: their reach, and a district chosen in it (another's is a 404, as a case would be). */
  const scopeOf = (req: Request, district: string | undefined): ReportScope => {
    const actor = actorOf(req);
    const reach = reachOf(actor);
    if (district && (!districtInReach(reach, district) || !can(actor, 'case.list', { districtCode: district }))) throw new HttpError(404, 'Not found');
    return { reach, district: district ?? null };
  };
  const boundsFrom = (from: string, to: string): PeriodBounds => {
    try {
      return boundsOf({ from, to });
    } catch (e) {
      if (e instanceof PeriodError) throw new HttpError(400, e.message);
      throw e;
    }
  };
  /** The province a reader's map and monthly report are of: their own; an admin's as asked, else the center's. */
  const provinceOf = (actor: Actor, asked?: string): string | null => {
    if (actor.role === 'supervisor') return actor.provinceCode;
    if (actor.role === 'officer') return actor.districtCode?.slice(0, 2) ?? null;
    return asked ?? o.centerDistrict?.slice(0, 2) ?? null;
  };
  const audit = (req: Request, action: string, target: string, detail: Record<string, unknown>) =>
    recordAudit(o.db, { officerId: actorOf(req).id, action, target, detail, ip: req.ip ?? null, at: now() });
  const figures = (scope: ReportScope, b: PeriodBounds): Promise<Dashboard> =>
    dashboard(o.db, o.cipher, scope, b, { now: now(), noticeDays: o.noticeDays ?? 15, centerDistrict: o.centerDistrict, hoursOf });
  const scopeName = (scope: ReportScope): string =>
    scope.district ?? (scope.reach.scope === 'district' ? `district ${scope.reach.districtCode}` : scope.reach.scope === 'province' ? `province ${scope.reach.provinceCode}` : 'all');

  router.get('/reports/dashboard', o.requireOfficer, async (req, res) => {
    const q = parsed(periodQuery, req);
    const scope = scopeOf(req, q.district);
    const d = await figures(scope, boundsFrom(q.from, q.to));
    // Citizens' comments are personal data: a view that showed any is in the audit log.
    if (d.satisfaction.comments.length) await audit(req, 'report.view', scopeName(scope), { from: q.from, to: q.to, comments: d.satisfaction.comments.length });
    const province = provinceOf(actorOf(req));
    // The names of the places the page shows (every district of the province, even those with nothing yet).
    const names: Record<string, { th: string; en: string }> = {};
    for (const x of province ? districtsOf(province) : []) names[x.code] = { th: x.th, en: x.en };
    for (const r of d.byDistrict) {
      const x = r.code ? districtByCode(r.code) : null;
      if (x) names[x.code] = { th: x.th, en: x.en };
    }
    for (const r of d.bySubdistrict) {
      const x = subdistrictByCode(r.code);
      if (x) names[x.code] = { th: x.th, en: x.en };
    }
    res.json({ ...d, provinceCode: province, names });
  });

  router.get('/reports/tables/:name.:format', o.requireOfficer, async (req, res) => {
    const name = String(req.params.name);
    const format = String(req.params.format);
    if (!(DASHBOARD_TABLES as readonly string[]).includes(name) || (format !== 'csv' && format !== 'xlsx')) throw new HttpError(404, 'Not found');
    const q = parsed(periodQuery, req);
    const scope = scopeOf(req, q.district);
    const b = boundsFrom(q.from, q.to);
    const d = await figures(scope, b);
    const caption = captionOf(q.lang, b, scope, now());
    const table = dashboardTable(d, name as (typeof DASHBOARD_TABLES)[number], q.lang, caption, now());
    await audit(req, 'report.export', scopeName(scope), { table: name, format, from: q.from, to: q.to, rows: table.rows.length });
    send(res, `report-${name}-${q.from}-${q.to}`, format, format === 'csv' ? tableCsv(table) : await tableXlsx(table));
  });

  router.get('/reports/cases.:format', o.requireOfficer, async (req, res) => {
    const format = String(req.params.format);
    if (format !== 'csv' && format !== 'xlsx') throw new HttpError(404, 'Not found');
    const { lang, overdue, rating, page: _page, ...filter } = parsed(casesQuery, req);
    const actor = actorOf(req);
    const found = await listCases(
      o.db,
      o.cipher,
      reachOf(actor),
      {
        ...filter,
        ...(overdue ? { overdue: overdue === 'true' } : {}),
        ...(rating ? { rating: rating === 'none' ? ('none' as const) : (Number(rating) as 1 | 2 | 3 | 4 | 5) } : {}),
        page: 1,
        pageSize: CASE_EXPORT_MAX,
      },
      now(),
    );
    const rows = found.rows.filter((r) => can(actor, 'case.list', { districtCode: r.district_code, provinceCode: r.province_code, confidential: Boolean(r.confidential) }));
    const target = (r: (typeof rows)[number]) => ({ districtCode: r.district_code, provinceCode: r.province_code, confidential: Boolean(r.confidential) });
    const personalRows = rows.filter((r) => !r.anonymous && can(actor, 'case.view_personal', target(r)));
    // Personal columns only when the reader may see some: phone and address decrypted only for those rows.
    const personal = personalRows.length ? { allowed: (r: (typeof rows)[number]) => can(actor, 'case.view_personal', target(r)), of: await personalOf(o.db, o.cipher, personalRows.map((r) => Number(r.id))) } : null;
    const caption = [rt(lang, 'generatedAt', { at: formatCaseDateTime(now(), lang) })];
    const table: Table = caseListTable(rows, lang, caption, personal);
    await audit(req, 'case.export', 'cases', { format, filter, rows: rows.length, personal: personalRows.length, truncated: found.total > rows.length });
    send(res, 'cases', format, format === 'csv' ? tableCsv(table) : await tableXlsx(table));
  });

  router.get('/reports/map', o.requireOfficer, async (req, res) => {
    const asked = typeof req.query['province'] === 'string' && /^\d{2}$/.test(req.query['province']) ? req.query['province'] : undefined;
    const province = provinceOf(actorOf(req), asked);
    if (!province) return void res.json({ installed: false, provinceCode: null });
    const map = o.boundariesDir ? await loadProvinceMap(o.boundariesDir, province) : null;
    res.json(map ? { installed: true, ...map } : { installed: false, provinceCode: province });
  });

  router.get('/reports/monthly.:format', o.requireOfficer, async (req, res) => {
    const format = String(req.params.format);
    if (format !== 'xlsx' && format !== 'pdf') throw new HttpError(404, 'Not found');
    const q = parsed(monthlyQuery, req);
    const actor = actorOf(req);
    const province = provinceOf(actor, q.province);
    if (!province) throw new HttpError(404, 'Not found');
    const [year, month] = q.month.split('-').map(Number) as [number, number];
    const report = await monthlyReport(o.db, { reach: reachOf(actor) }, province, year, month, now());
    await audit(req, 'report.export', report.districtCode ?? `province ${province}`, { report: 'monthly', month: q.month, format });
    let body: Buffer;
    if (format === 'xlsx') body = await monthlyXlsx(report, q.lang);
    else {
      pdf ??= chromiumPdfRenderer();
      body = await pdf(monthlyHtml(report, q.lang, FORM_FONT));
    }
    send(res, `monthly-report-${q.month}`, format, body);
  });

  return router;
}

/** The lines under an exported table: the period, the place, when it was made. */
function captionOf(lang: 'th' | 'en', b: PeriodBounds, scope: ReportScope, at: number): string[] {
  const place = scope.district
    ? districtLabel(lang, scope.district)
    : scope.reach.scope === 'district'
      ? districtLabel(lang, scope.reach.districtCode)
      : scope.reach.scope === 'province'
        ? provinceLabel(lang, scope.reach.provinceCode)
        : '';
  return [rt(lang, 'period', { period: periodName(b, lang, (t) => formatCaseDate(t, lang)) }), place, rt(lang, 'generatedAt', { at: formatCaseDateTime(at, lang) })].filter(Boolean);
}
