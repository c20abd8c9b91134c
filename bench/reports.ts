/**
 * `npm run bench:reports`: how long each report takes on a seeded database (scripts/seed-reports.ts: one province,
 * five years, 500,000 cases), on SQLite and on PostgreSQL, printed as a table (median of --runs, after one warm-up).
 * Periods of whole months read the monthly summaries of migration 0025 (reports/summaries.ts).
 *
 *   npm run bench:reports -- --sqlite sqlite:data/reports-seed.sqlite --postgres postgres://postgres@127.0.0.1:5432/reports_seed
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Database } from '../storage/database';
import { DataCipher } from '../storage/crypto';
import { DEFAULT_OFFICE_HOURS } from '../office/hours';
import { listCases } from '../cases/case-list';
import { dashboard, overdueNow } from '../reports/dashboard';
import { boundsOf, dayOf, fiscalYearPeriod, monthName, monthOf, monthPeriod } from '../reports/period';
import { monthlyReport, monthlyXlsx } from '../reports/monthly';
import { dashboardTable, tableXlsx } from '../reports/tables';
import { open311Requests } from '../reports/open311';
import type { ReportScope } from '../reports/reach';

const SEED_DATA_KEY = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=';

const { values } = parseArgs({
  options: {
    sqlite: { type: 'string' },
    postgres: { type: 'string' },
    runs: { type: 'string', default: '5' },
    province: { type: 'string', default: '49' },
    /** Internal: measure one engine and print its times as JSON (each engine runs in a process of its own). */
    json: { type: 'boolean', default: false },
  },
});
const cipher = new DataCipher(Buffer.from((process.env['DATA_KEY'] ?? SEED_DATA_KEY).split(',')[0]!, 'base64'));
const runs = Number(values.runs);
const now = Date.now();
const previous = monthOf(Date.UTC(monthOf(now).year, monthOf(now).month - 1, 1) - 86_400_000);
const month = boundsOf(monthPeriod(previous.year, previous.month));
const longAgo = { year: previous.year - 4, month: previous.month };
const yearBE = monthOf(now).month >= 10 ? monthOf(now).year + 543 : monthOf(now).year + 542;
const fiscal = boundsOf(fiscalYearPeriod(yearBE));
const everything = boundsOf({ from: dayOf(now - 5 * 365 * 86_400_000 - 2 * 86_400_000), to: dayOf(now) });
const province: ReportScope = { reach: { scope: 'province', provinceCode: values.province! } };
const district: ReportScope = { reach: { scope: 'district', districtCode: `${values.province}03` } };
const opts = { now, noticeDays: 15, centerDistrict: `${values.province}01`, hoursOf: async () => DEFAULT_OFFICE_HOURS };

const reports: Array<[string, (db: Database) => Promise<unknown>]> = [
  ['dashboard, province, last month', (db) => dashboard(db, cipher, province, month, opts)],
  ['dashboard, one district (officer), last month', (db) => dashboard(db, cipher, district, month, opts)],
  ['dashboard, province, a district clicked on the map', (db) => dashboard(db, cipher, { ...province, district: `${values.province}01` }, month, opts)],
  [`dashboard, province, fiscal year ${yearBE}`, (db) => dashboard(db, cipher, province, fiscal, opts)],
  ['dashboard, province, the whole five years', (db) => dashboard(db, cipher, province, everything, opts)],
  ['dashboard, one district (officer), the whole five years', (db) => dashboard(db, cipher, district, everything, opts)],
  [`dashboard, province, ${monthName(longAgo.year, longAgo.month, 'en')} (four years back)`, (db) => dashboard(db, cipher, province, boundsOf(monthPeriod(longAgo.year, longAgo.month)), opts)],
  ['monthly report (figures + XLSX)', async (db) => monthlyXlsx(await monthlyReport(db, province, values.province!, previous.year, previous.month, now), 'th')],
  ['table export (district, XLSX)', async (db) => tableXlsx(dashboardTable(await dashboard(db, cipher, province, month, opts), 'district', 'th', [], now))],
  ['overdue list (count + 50 oldest)', (db) => overdueNow(db, province, now, 50)],
  ['case list export, last month (names decrypted)', (db) => listCases(db, cipher, { scope: 'province', provinceCode: values.province! }, { from: month.from, to: month.to, page: 1, pageSize: 200_000 }, now)],
  ['Open311 requests.json (90 days, 1,000)', (db) => open311Requests(db, { now, locale: 'th' })],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length / 2) - 1]!;

async function measure(url: string): Promise<{ cases: number; times: number[] }> {
  const db = await Database.open(url);
  try {
    const [c] = await db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM cases');
    const times: number[] = [];
    for (const [name, run] of reports) {
      const warm = performance.now();
      await run(db);
      process.stderr.write(`${url.split(':')[0]}: ${name}: ${(performance.now() - warm).toFixed(0)} ms (warm-up)\n`);
      const t: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await run(db);
        t.push(performance.now() - started);
      }
      times.push(median(t));
    }
    return { cases: Number(c?.n), times };
  } finally {
    // Bounded: a close that hangs must not keep the table from being printed.
    await Promise.race([db.close(), new Promise((r) => setTimeout(r, 5000))]);
  }
}

const engines: Array<[string, string]> = [];
if (values.sqlite) engines.push(['SQLite', values.sqlite]);
if (values.postgres) engines.push(['PostgreSQL', values.postgres]);
if (!engines.length) {
  console.error('give --sqlite URL and/or --postgres URL of a database seeded with npm run seed:reports');
  process.exit(2);
}
/**
 * Each engine in a process of its own: the same process opening a PostgreSQL DataSource after closing a SQLite one
 * was seen to stall in TypeORM, and a fresh process also gives each engine a cold start of the same kind.
 */
function measureApart(engine: 'sqlite' | 'postgres', url: string): { cases: number; times: number[] } {
  const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, `--${engine}`, url, '--runs', String(runs), '--province', values.province!, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as { cases: number; times: number[] };
}

if (values.json) {
  const [, url] = engines[0]!;
  console.log(JSON.stringify(await measure(url)));
  process.exit(0);
} else {
  const results: Array<{ name: string; cases: number; times: number[] }> = [];
  for (const [name, url] of engines) results.push({ name, ...measureApart(name === 'SQLite' ? 'sqlite' : 'postgres', url) });
  console.log(`\nReports on ${results.map((r) => `${r.name} (${r.cases.toLocaleString('en')} cases)`).join(' and ')}; median of ${runs} runs after a warm-up, ms`);
  console.log(`Last month: ${month.from} to ${month.to}; fiscal year ${yearBE}: ${fiscal.from} to ${fiscal.to}\n`);
  console.log(`| report | ${results.map((r) => `${r.name} ms`).join(' | ')} |`);
  console.log(`|---|${results.map(() => '---:').join('|')}|`);
  reports.forEach(([name], i) => console.log(`| ${name} | ${results.map((r) => r.times[i]!.toFixed(0)).join(' | ')} |`));
}
