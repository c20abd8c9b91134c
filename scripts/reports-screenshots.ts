/**
 * Pictures of the reports for the docs: a real server on a throw-away SQLite database seeded as a province's busy
 * year (scripts/seed-reports.ts, 100,000 cases of Mukdahan), the boundaries of ../shared (or BOUNDARIES_DIR), the
 * province's supervisor signed in, in headless Chromium: the dashboard of last month (docs/console-reports.png), the
 * map of the province (docs/console-reports-map.png), and the map after a click on a district, by subdistrict with the
 * numbers of a chart opened (docs/console-reports-district.png).
 *
 *   npm run reports:screenshots
 */
import { join } from 'node:path';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { launchBrowser } from '../tests/support/browser';
import { startTestServer } from '../tests/support/server';
import { ensureConsolePages, signIn } from '../tests/support/console-pages';
import { seedReports } from './seed-reports';

const DOCS = join(import.meta.dirname, '..', 'docs');
const PASSWORD = 'demo-password-for-screenshots';

ensureConsolePages();
const server = await startTestServer('sqlite', { CENTER_DISTRICT: '4901', ...(process.env['BOUNDARIES_DIR'] ? { BOUNDARIES_DIR: process.env['BOUNDARIES_DIR'] } : {}) });
const browser = await launchBrowser();
try {
  const counts = await seedReports(server.db, { cases: 100_000, years: 1, province: '49', until: Date.now(), seed: 7, prefix: 'MDH' }, server.cipher);
  console.log(`seeded ${counts.cases.toLocaleString('en')} cases in ${(counts.ms / 1000).toFixed(1)} s`);
  // After the seed, whose officers take the first ids.
  await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'wichai', displayName: 'วิชัย หัวหน้าจังหวัด', role: 'supervisor', provinceCode: '49', password: PASSWORD });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 1500 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' })).newPage();
  const d = new Date(Date.now() + 7 * 3_600_000);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0));
  const month = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
  await signIn(page, server.url, 'wichai', PASSWORD, `/console/reports?from=${month}-01&to=${month}-${String(last.getUTCDate()).padStart(2, '0')}`);
  await page.getByTestId('report-map').locator('svg').waitFor();
  await page.getByTestId('chart-district').locator('svg').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(DOCS, 'console-reports.png') });
  await page.getByTestId('panel-map').screenshot({ path: join(DOCS, 'console-reports-map.png') });
  const point = page.getByTestId('map-points').locator('li[data-code="4903"]');
  await point.waitFor({ state: 'attached' });
  await page.getByTestId('report-map').scrollIntoViewIfNeeded();
  const box = (await page.getByTestId('report-map').boundingBox())!;
  await page.mouse.click(box.x + Number(await point.getAttribute('data-x')), box.y + Number(await point.getAttribute('data-y')));
  await page.getByTestId('report-district').waitFor();
  await page.getByTestId('show-numbers-topic').click();
  await page.waitForTimeout(500);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(DOCS, 'console-reports-district.png'), fullPage: true });
  console.log('wrote docs/console-reports.png, docs/console-reports-map.png, docs/console-reports-district.png');
} finally {
  await browser.close();
  await server.stop();
}
