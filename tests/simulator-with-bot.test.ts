/**
 * A person chats with the real E-Channel server through the emulator's chat page, in headless Chromium: the page
 * signs its webhooks, the server's SDK middleware checks them, the worker answers through the outbox.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { startTestServer, type TestServer } from './support/server';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer('sqlite');
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${server.emulator.url}/simulator`);
  await page.waitForSelector('body[data-ready="true"]');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const pane = () => page.locator('[data-testid="conversation"]:not([hidden])');

describe('the chat page with the real server', () => {
  it('greets a new friend, starts a complaint from Thai text, answers a quick reply, and keeps a photo', async () => {
    const details = page.getByTestId('new-user');
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await page.getByTestId('open-new-user').click();
    await page.getByTestId('new-user-name').fill('ยายมา');
    await page.getByTestId('new-user-language').selectOption('th');
    await page.getByTestId('create-user').click();
    await page.locator('[data-testid="user-tab"].active', { hasText: 'ยายมา' }).waitFor();

    await page.getByTestId('send-follow').click();
    await expect.poll(() => pane().getByTestId('bot-text').first().textContent(), { timeout: 10_000 }).toContain('สวัสดีค่ะ คุณยายมา');

    await expect.poll(() => pane().getByTestId('bot-text').count(), { timeout: 10_000 }).toBe(2);
    expect(await pane().getByTestId('bot-text').last().textContent()).toContain('ต้องการให้ศูนย์ดำรงธรรมช่วยเรื่องใดคะ');

    await page.getByTestId('message-input').fill('ไฟถนนดับหน้าบ้านค่ะ');
    await page.getByTestId('message-input').press('Enter');
    await expect.poll(() => pane().getByTestId('bot-text').count(), { timeout: 10_000 }).toBe(3);
    expect(await pane().getByTestId('bot-text').last().textContent()).toContain('เรื่องที่ต้องการแจ้งเป็นเรื่องประเภทใดคะ');

    const chip = page.getByTestId('quick-reply').filter({ hasText: 'ร้องเรียน/ร้องทุกข์' });
    await chip.click();
    await expect.poll(() => pane().getByTestId('user-text').last().textContent()).toBe('ร้องเรียน/ร้องทุกข์');
    await expect.poll(() => pane().getByTestId('bot-text').count(), { timeout: 10_000 }).toBe(4);
    expect(await pane().getByTestId('bot-text').last().textContent()).toContain('เกิดขึ้นที่ไหนคะ');

    await page.getByTestId('image-input').setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => pane().getByTestId('bot-text').count(), { timeout: 10_000 }).toBe(6);
    expect(await pane().getByTestId('bot-text').nth(4).textContent()).toContain('ได้รับไฟล์แล้วค่ะ');
    const [stored] = await server.db.query<{ size: number }>('SELECT size FROM line_content');
    expect(stored?.size).toBe(PNG.length);
    expect(await page.getByTestId('webhook-status').isHidden()).toBe(true);
  });
});
