/**
 * `npx tsx cases/tools/screenshot-receipt.ts [out.png]`: photographs the Thai receipt as the emulator's /simulator
 * page draws it (default docs/receipt.png). The message goes the real way: built by cases/flex, pushed through
 * LineApi, validated by the emulator against LINE's OpenAPI, streamed to the page. Chromium is Debian's
 * /usr/bin/chromium (or CHROMIUM_PATH), never a downloaded browser; nothing leaves 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { launchChromium } from '../../runtime/chromium';
import { LineApi } from '../../line/api';
import { startEmulator } from '../../emulator';
import { receiptMessage } from '../flex';
import type { CaseView } from '../../domain/cases';

const DAY = 86_400_000;
/** 25 November 2026, 14:05 in Thailand. */
const FILED = Date.UTC(2026, 10, 25, 7, 5);

/** A realistic case, the one the docs talk about. */
export const SAMPLE_CASE: CaseView = {
  trackingNumber: 'MDH-2569-000123-4',
  category: 'complaint',
  status: 'received',
  summary: 'ไฟถนนดับหน้าบ้านมาสองสัปดาห์ ซอยข้างวัดศรีมงคล หมู่ 3',
  createdAt: FILED,
  updatedAt: FILED,
  dueAt: FILED + 15 * DAY,
  events: [{ at: FILED, kind: 'created', status: 'received' }],
};

async function main(args: string[]): Promise<number> {
  const out = args[0] ?? join(import.meta.dirname, '..', '..', 'docs', 'receipt.png');
  const token = 'screenshot-token';
  const em = await startEmulator({ channelSecret: 'screenshot-secret', channelAccessToken: token });
  const browser = await launchChromium();
  try {
    const user = em.addUser({ displayName: 'สมศรี', language: 'th' });
    const line = new LineApi({ channelAccessToken: token, apiBaseUrl: em.url, dataApiBaseUrl: em.url, timeoutMs: 5_000 });
    await line.push(user, [receiptMessage(SAMPLE_CASE, 'th', { progressNoticeDays: 15 })], randomUUID());

    const page = await browser.newPage({ viewport: { width: 420, height: 1000 }, deviceScaleFactor: 2, locale: 'th-TH' });
    await page.goto(`${em.url}/simulator`);
    await page.waitForSelector('body[data-ready="true"]');
    const bubble = page.locator('[data-testid="conversation"]:not([hidden]) [data-testid="flex-bubble"]').last();
    await bubble.waitFor();
    await page.evaluate(() => document.fonts.ready);
    await bubble.screenshot({ path: out });
    const box = await bubble.boundingBox();
    console.log(`receipt: wrote ${out} (${Math.round(box?.width ?? 0)}x${Math.round(box?.height ?? 0)} CSS px at 2x)`);
    return 0;
  } finally {
    await browser.close();
    await em.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
