/**
 * The console's language page, in Debian's headless Chromium, against the real server and its LINE emulator: a
 * citizen's key mashing is kept; the admin opens "ภาษา", sees it masked with why it was kept and how it was read,
 * clicks "add as …": it leaves the list of new samples and shows among the examples. A stored model version is
 * published from the page (confirmed), shown live with its Buddhist-Era date.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { storeModel } from '../understanding/models';
import { trainWithExamples } from '../understanding/training';
import { splitCorpus } from '../language/train/corpus';
import { DEFAULT_CORPUS, readCorpusDir } from '../scripts/nlu-train';
import { launchBrowser } from './support/browser';
import { ensureConsolePages, signIn, thaiShortDate } from './support/console-pages';
import { follow, newCitizen, say } from './support/citizen';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const ADMIN_PASSWORD = 'the-admins-long-password';

beforeAll(ensureConsolePages, 120_000);

describe.each(browserEngines('postgres'))('the console language page, in Chromium, with the real server (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let version: number;
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'admin', displayName: 'ผู้ดูแล ระบบ', role: 'admin', password: ADMIN_PASSWORD });
    const citizen = newCitizen(server, 'th', 'บุญมี');
    await follow(server, citizen);
    await say(server, citizen, 'asdfgh 081-234-5678');
    const { train } = splitCorpus(readCorpusDir(DEFAULT_CORPUS));
    const trained = trainWithExamples(train.filter((_, i) => i % 20 === 0), [], { train: { epochs: 5 } });
    version = await storeModel(server.db, { model: trained.model, examples: trained.trainedOn, accuracy: trained.accuracy, by: 'cli:trainer', at: Date.now() });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e));
    page.on('dialog', (d) => void d.accept()); // publishing asks first; the test says yes
  }, 120_000);

  afterAll(async () => {
    expect(errors).toEqual([]);
    await browser?.close();
    await server?.stop();
  });

  it('shows the kept message masked, and adds it as an example with one click', async () => {
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('nav-language').click();
    await page.waitForURL(/\/console\/language$/);
    const row = page.getByTestId('sample-row');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const text = await row.getByTestId('sample-text').textContent();
    expect(text).toMatch(/^asdfgh /);
    expect(text).not.toContain('2345678');
    expect(await row.getByTestId('sample-reason-label').textContent()).toBe('บอทไม่เข้าใจ');
    expect(await row.getByTestId('sample-reading').textContent()).toMatch(/^อ่านว่า อ่านไม่ออก \(มั่นใจ \d+%\)$/);

    const add = row.getByTestId('sample-add');
    expect(await add.textContent()).toBe('เพิ่มเป็น “อ่านไม่ออก”');
    await add.click();
    await page.getByText('ไม่มีข้อความในรายการนี้').waitFor();
    expect(await page.getByTestId('sample-row').count()).toBe(0);
    const example = page.getByTestId('example-row');
    await example.first().waitFor();
    expect(await example.getAttribute('data-intent')).toBe('gibberish');
    expect(await example.getByTestId('example-row-text').textContent()).toBe(text);

    const [stored] = await server.db.query<{ status: string; reviewed_by: string }>('SELECT status, reviewed_by FROM language_sample');
    expect(stored).toEqual({ status: 'added', reviewed_by: 'admin' });

    // The added one is under "added as examples".
    await page.getByTestId('sample-status-added').click();
    await page.waitForURL(/status=added/);
    await page.getByTestId('sample-row').first().waitFor();
    expect(await page.getByTestId('sample-row').getByTestId('sample-text').textContent()).toBe(text);
  });

  it('publishes a stored model version, shown live with its Buddhist-Era date', async () => {
    const row = page.locator(`[data-testid="model-row"][data-version="${version}"]`);
    await row.waitFor();
    expect(await page.getByTestId('model-shipped-live').count()).toBe(1);
    expect(await row.textContent()).toContain('cli:trainer');
    await row.getByTestId('model-publish').click();
    await page.locator(`[data-testid="model-row"][data-version="${version}"][data-live="true"]`).waitFor();
    expect(await row.getByTestId('model-published').textContent()).toContain(thaiShortDate(Date.now()));
    expect(await row.getByTestId('model-published').textContent()).toContain('admin');
    expect(await page.getByTestId('model-shipped-live').count()).toBe(0);
    const [published] = await server.db.query<{ published_by: string }>('SELECT published_by FROM language_model WHERE version = $1', [version]);
    expect(published?.published_by).toBe('admin');
  });
});
