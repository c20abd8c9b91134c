/**
 * The console's pages as the Chromium tests reach them: built before the tests when console/dist is missing or
 * older than console/web, an officer signed in on the page, and a day written as the pages write it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

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
