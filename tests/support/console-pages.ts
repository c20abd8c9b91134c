/**
 * The console's pages as the Chromium tests reach them: built before the tests when console/dist is missing or
 * older than console/web, an officer signed in on the page, and a day written as the pages write it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { OFFICER_PASSWORD } from './console-client';

const ROOT = join(import.meta.dirname, '..', '..');
const THAI_MONTHS_SHORT = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];

/** Builds the console's pages when console/dist is missing or older than console/web (scripts/ensure-console.mjs). */
export function ensureConsolePages(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'ensure-console.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

/** "26 พ.ย. 2569": the day in Thailand, Buddhist Era, worked out here rather than by the code under test. */
export function thaiShortDate(at: number): string {
  const d = new Date(at + 7 * 3_600_000);
  return `${d.getUTCDate()} ${THAI_MONTHS_SHORT[d.getUTCMonth()]} ${d.getUTCFullYear() + 543}`;
}

/**
 * Signs `username` in on the console's sign-in page at `serverUrl`, and waits for the signed-in bar. The form
 * shows at any console address; `path` is the one asked for (the queue unless told), which opens once signed in.
 */
export async function signIn(p: Page, serverUrl: string, username: string, password: string, path = '/console/queue'): Promise<void> {
  await p.goto(`${serverUrl}${path}`);
  await p.getByTestId('login-username').fill(username);
  await p.getByTestId('login-password').fill(password);
  await p.getByTestId('login-submit').click();
  await p.getByTestId('officer-name').waitFor();
}

/** A browser on one officer's console: the page, and every error the page threw (a test expects none). */
export interface SignedInConsole {
  page: Page;
  errors: Error[];
  close(): Promise<void>;
}

/**
 * Debian's Chromium as an officer in Thailand sees the console (1280 px wide, Thai, Bangkok time), signed in as
 * `username` on `path`, collecting the page's errors and accepting its confirm dialogs.
 */
export async function openConsoleAs(serverUrl: string, username: string, path: string, o: { height?: number; password?: string } = {}): Promise<SignedInConsole> {
  const browser: Browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: o.height ?? 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok', acceptDownloads: true });
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('dialog', (d) => void d.accept());
  await signIn(page, serverUrl, username, o.password ?? OFFICER_PASSWORD, path);
  return { page, errors, close: () => browser.close() };
}
