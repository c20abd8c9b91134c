/**
 * The /simulator chat page in headless Chromium, against a tiny bot built on @line/bot-sdk: the SDK middleware
 * verifies every signature the page computes, so a passing test means the page signs exactly as LINE does.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messagingApi, middleware, type webhook } from '@line/bot-sdk';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator';
import { launchBrowser } from './support/browser';

const SECRET = 'simulator-test-secret';
const TOKEN = 'simulator-test-token';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let em: Emulator;
let bot: Server;
let browser: Browser;
let page: Page;
const events: webhook.Event[] = [];
const fetched: Array<{ messageId: string; bytes: Buffer; contentType: string | null }> = [];

/** The fake bot: text -> a text and a Flex bubble with quick replies; postback -> a push; location, image -> a text. */
function startBot(emulatorUrl: string): Promise<Server> {
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: TOKEN, baseURL: emulatorUrl });
  const blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: TOKEN, baseURL: emulatorUrl });
  const flex: messagingApi.FlexMessage = {
    type: 'flex',
    altText: 'สถานะเรื่อง',
    contents: {
      type: 'bubble',
      body: {
        type: 'box',
        layout: 'vertical',
        contents: [
          { type: 'text', text: 'เรื่องร้องเรียน #42', weight: 'bold', size: 'lg', color: '#06c755' },
          { type: 'separator', margin: 'md' },
          {
            type: 'box',
            layout: 'horizontal',
            margin: 'md',
            contents: [
              { type: 'text', text: 'สถานะ', color: '#888888' },
              { type: 'text', text: 'รับเรื่องแล้ว', weight: 'bold' },
            ],
          },
        ],
      },
      footer: {
        type: 'box',
        layout: 'vertical',
        spacing: 'sm',
        contents: [
          { type: 'button', style: 'primary', action: { type: 'postback', label: 'ยกเลิกเรื่อง', data: 'cancel=42', displayText: 'ยกเลิก' } },
          { type: 'button', style: 'secondary', action: { type: 'datetimepicker', label: 'นัดวัน', data: 'appointment', mode: 'date' } },
        ],
      },
    },
    quickReply: {
      items: [
        { type: 'action', action: { type: 'message', label: 'ติดตามเรื่อง', text: 'ติดตามเรื่อง' } },
        { type: 'action', action: { type: 'location', label: 'ส่งตำแหน่ง' } },
      ],
    },
  };

  async function handle(e: webhook.Event): Promise<void> {
    const userId = e.source?.userId ?? '';
    if (e.type === 'message' && e.message.type === 'text') {
      const profile = await client.getProfile(userId);
      await client.replyMessage({
        replyToken: e.replyToken!,
        messages: [{ type: 'text', text: `สวัสดี ${profile.displayName} (${profile.language})\nได้รับ: ${e.message.text}` }, flex],
      });
    } else if (e.type === 'message' && e.message.type === 'location') {
      const m = e.message;
      await client.replyMessage({ replyToken: e.replyToken!, messages: [{ type: 'text', text: `ตำแหน่ง: ${m.latitude},${m.longitude}` }] });
    } else if (e.type === 'message' && e.message.type === 'image') {
      const res = await blob.getMessageContentWithHttpInfo(e.message.id);
      const chunks: Buffer[] = [];
      for await (const c of res.body) chunks.push(Buffer.from(c as Uint8Array));
      const bytes = Buffer.concat(chunks);
      fetched.push({ messageId: e.message.id, bytes, contentType: res.httpResponse.headers.get('content-type') });
      await client.replyMessage({ replyToken: e.replyToken!, messages: [{ type: 'text', text: `รูปภาพ ${bytes.length} bytes` }] });
    } else if (e.type === 'postback') {
      const params = e.postback.params ? ` ${JSON.stringify(e.postback.params)}` : '';
      await client.pushMessage({ to: userId, messages: [{ type: 'text', text: `postback: ${e.postback.data}${params}` }] });
    } else if (e.type === 'follow') {
      await client.replyMessage({ replyToken: e.replyToken!, messages: [{ type: 'text', text: 'ขอบคุณที่เพิ่มเพื่อน' }] });
    }
  }

  const app = express();
  app.post('/webhook', middleware({ channelSecret: SECRET }), (req, res) => {
    res.status(200).end();
    for (const e of (req.body as webhook.CallbackRequest).events) {
      events.push(e);
      void handle(e).catch((err: unknown) => console.error('fake bot failed', err));
    }
  });
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err.name === 'SignatureValidationFailed' ? 401 : 400).end();
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

beforeAll(async () => {
  em = await startEmulator({ channelSecret: SECRET, channelAccessToken: TOKEN });
  bot = await startBot(em.url);
  em.setWebhookUrl(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/webhook`);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 420, height: 860 }, locale: 'th-TH' });
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto(`${em.url}/simulator`);
  await page.waitForSelector('body[data-ready="true"]');
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (bot ? bot.close(() => r()) : r()));
  await em?.close();
});

const pane = () => page.locator('[data-testid="conversation"]:not([hidden])');

async function createUser(name: string, language: 'th' | 'en'): Promise<string> {
  const details = page.getByTestId('new-user');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await page.getByTestId('open-new-user').click();
  await page.getByTestId('new-user-name').fill(name);
  await page.getByTestId('new-user-language').selectOption(language);
  await page.getByTestId('create-user').click();
  const tab = page.locator('[data-testid="user-tab"].active', { hasText: name });
  await tab.waitFor();
  return (await tab.getAttribute('data-user-id'))!;
}

async function send(text: string): Promise<void> {
  await page.getByTestId('message-input').fill(text);
  await page.getByTestId('message-input').press('Enter');
}

function lastEvent(): webhook.Event {
  return events.at(-1)!;
}

describe('the simulator page', () => {
  it('lets two users chat with a real SDK bot: text, quick replies, Flex, postback, date picker, location, image', async () => {
    const somchai = await createUser('สมชาย', 'th');
    expect(somchai).toMatch(/^U[0-9a-f]{32}$/);

    // Thai text, signed by the page and verified by the SDK middleware; the answer shows the user's profile.
    await send('ถนนหน้าบ้านชำรุด');
    await expect.poll(() => events.length).toBe(1);
    expect(lastEvent()).toMatchObject({
      type: 'message',
      mode: 'active',
      source: { type: 'user', userId: somchai },
      deliveryContext: { isRedelivery: false },
      message: { type: 'text', text: 'ถนนหน้าบ้านชำรุด', quoteToken: expect.any(String) },
    });
    expect(lastEvent().webhookEventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const answer = pane().getByTestId('bot-text').first();
    await expect.poll(() => answer.textContent()).toBe('สวัสดี สมชาย (th)\nได้รับ: ถนนหน้าบ้านชำรุด');
    expect(await answer.evaluate((n) => (n as HTMLElement).innerText)).toContain('\n');

    // The Flex bubble renders legibly: its texts, layout and buttons.
    const bubble = pane().getByTestId('flex-bubble').first();
    await bubble.waitFor();
    await expect.poll(() => bubble.getByTestId('flex-text').allTextContents()).toEqual(['เรื่องร้องเรียน #42', 'สถานะ', 'รับเรื่องแล้ว']);
    expect(await bubble.locator('[data-layout="horizontal"]').count()).toBe(1);
    expect(await bubble.getByTestId('flex-text').first().evaluate((n) => getComputedStyle(n).fontWeight)).toBe('700');
    expect(await bubble.getByTestId('flex-button').allTextContents()).toEqual(['ยกเลิกเรื่อง', 'นัดวัน']);

    // Quick reply chips: tapping a message action sends its text, and the chips go away.
    const chips = page.getByTestId('quick-reply');
    await expect.poll(() => chips.allTextContents()).toEqual(['ติดตามเรื่อง', 'ส่งตำแหน่ง']);
    await chips.first().click();
    await expect.poll(() => events.length).toBe(2);
    expect(lastEvent()).toMatchObject({ type: 'message', message: { type: 'text', text: 'ติดตามเรื่อง' } });
    await expect.poll(() => pane().getByTestId('bot-flex').count()).toBe(2);
    expect(await pane().getByTestId('user-text').allTextContents()).toEqual(['ถนนหน้าบ้านชำรุด', 'ติดตามเรื่อง']);

    // A postback button with displayText: the user's bubble shows it, the event carries the data, the bot pushes.
    await pane().getByTestId('flex-button').filter({ hasText: 'ยกเลิกเรื่อง' }).last().click();
    await expect.poll(() => events.length).toBe(3);
    expect(lastEvent()).toMatchObject({ type: 'postback', postback: { data: 'cancel=42' }, replyToken: expect.any(String) });
    await expect.poll(() => page.getByTestId('quick-reply').count()).toBe(0);
    expect(await pane().getByTestId('user-text').last().textContent()).toBe('ยกเลิก');
    const pushed = pane().locator('[data-via="push"]');
    await expect.poll(() => pushed.textContent()).toContain('postback: cancel=42');

    // The date picker sends a postback with params.date.
    await pane().getByTestId('flex-button').filter({ hasText: 'นัดวัน' }).last().click();
    await page.getByTestId('datetime-input').fill('2026-01-15');
    await page.getByTestId('datetime-ok').click();
    await expect.poll(() => events.length).toBe(4);
    expect(lastEvent()).toMatchObject({ type: 'postback', postback: { data: 'appointment', params: { date: '2026-01-15' } } });

    // A location, from the form's Mukdahan preset.
    await page.getByTestId('open-location').click();
    await page.getByTestId('location-preset').click();
    await page.getByTestId('location-send').click();
    await expect.poll(() => events.length).toBe(5);
    expect(lastEvent()).toMatchObject({
      type: 'message',
      message: { type: 'location', latitude: 16.5453, longitude: 104.7235, title: 'ศาลากลางจังหวัดมุกดาหาร', id: expect.stringMatching(/^\d+$/) },
    });
    await expect.poll(() => pane().getByTestId('bot-text').last().textContent()).toBe('ตำแหน่ง: 16.5453,104.7235');
    expect(await pane().getByTestId('user-location').count()).toBe(1);

    // An image: the page uploads the bytes, the bot fetches them from the content endpoint.
    await page.getByTestId('image-input').setInputFiles({ name: 'pothole.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => fetched.length).toBe(1);
    expect(lastEvent()).toMatchObject({ type: 'message', message: { type: 'image', contentProvider: { type: 'line' } } });
    expect(fetched[0]).toEqual({ messageId: (lastEvent() as webhook.MessageEvent).message.id, bytes: PNG, contentType: 'image/png' });
    await expect.poll(() => pane().getByTestId('bot-text').last().textContent()).toBe(`รูปภาพ ${PNG.length} bytes`);
    expect(await page.getByTestId('webhook-status').isHidden()).toBe(true);

    // A second user has a conversation of their own.
    const somchaiMessages = await pane().locator('.row').count();
    const alice = await createUser('Alice', 'en');
    expect(alice).not.toBe(somchai);
    expect(await pane().getAttribute('data-user-id')).toBe(alice);
    expect(await pane().locator('.row').count()).toBe(0);
    await send('hello');
    await expect.poll(() => pane().getByTestId('bot-text').first().textContent()).toBe('สวัสดี Alice (en)\nได้รับ: hello');
    expect(lastEvent().source).toEqual({ type: 'user', userId: alice });

    await page.locator('[data-testid="user-tab"]', { hasText: 'สมชาย' }).click();
    expect(await pane().getAttribute('data-user-id')).toBe(somchai);
    expect(await pane().locator('.row').count()).toBe(somchaiMessages);
    expect(await pane().getByText('hello', { exact: false }).count()).toBe(0);
    expect(em.delivered(alice).map((d) => d.via)).toEqual(['reply', 'reply']);
  }, 90_000);

  it('shows bot text as text, never as HTML, and keeps line breaks typed with Shift+Enter', async () => {
    await createUser('Mallory', 'en');
    const input = page.getByTestId('message-input');
    await input.fill('<img src=x onerror="window.pwned=1"><b>bold</b>');
    await input.press('Shift+Enter');
    await input.pressSequentially('บรรทัดสอง');
    await input.press('Enter');
    const answer = pane().getByTestId('bot-text').first();
    await expect.poll(() => answer.textContent()).toBe('สวัสดี Mallory (en)\nได้รับ: <img src=x onerror="window.pwned=1"><b>bold</b>\nบรรทัดสอง');
    expect(await pane().locator('b, img:not(.flex-image)').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  }, 60_000);

  it('does not send on Enter while an IME is composing (Thai input)', async () => {
    await createUser('Composer', 'th');
    const before = events.length;
    const input = page.getByTestId('message-input');
    await input.fill('กำลังพิมพ์');
    await input.evaluate((n) => {
      n.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
    });
    await page.waitForTimeout(300);
    expect(events.length).toBe(before);
    expect(await input.inputValue()).toBe('กำลังพิมพ์');
  });

  it('shows the default rich menu; tapping an area performs its action', async () => {
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: TOKEN, baseURL: em.url });
    const blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: TOKEN, baseURL: em.url });
    const { richMenuId } = await client.createRichMenu({
      size: { width: 2500, height: 843 },
      selected: true,
      name: 'main',
      chatBarText: 'เมนูหลัก',
      areas: [
        { bounds: { x: 0, y: 0, width: 1250, height: 843 }, action: { type: 'postback', label: 'แจ้งเรื่อง', data: 'menu=report' } },
        { bounds: { x: 1250, y: 0, width: 1250, height: 843 }, action: { type: 'message', label: 'ติดตาม', text: 'ติดตามเรื่อง' } },
      ],
    });
    await blob.setRichMenuImage(richMenuId, new Blob([PNG], { type: 'image/png' }));
    await client.setDefaultRichMenu(richMenuId);
    const user = await createUser('Menu user', 'th');
    await expect.poll(() => page.getByTestId('rich-menu-toggle').textContent()).toContain('เมนูหลัก');
    await page.getByTestId('rich-menu-area').first().click();
    await expect.poll(() => events.at(-1)).toMatchObject({ type: 'postback', postback: { data: 'menu=report' }, source: { userId: user } });
    await expect.poll(() => pane().getByTestId('bot-text').last().textContent()).toBe('postback: menu=report');
    await client.deleteRichMenu(richMenuId);
  });

  it('sends a sticker and a follow event, and shows a webhook error status discreetly', async () => {
    const user = await createUser('Sticker fan', 'th');
    await page.getByTestId('send-follow').click();
    await expect.poll(() => pane().getByTestId('bot-text').last().textContent()).toBe('ขอบคุณที่เพิ่มเพื่อน');
    expect(events.at(-1)).toMatchObject({ type: 'follow', follow: { isUnblocked: false }, source: { userId: user } });
    await page.getByTestId('send-sticker').click();
    await expect.poll(() => events.at(-1)?.type === 'message' && (events.at(-1) as webhook.MessageEvent).message.type).toBe('sticker');
    expect(await pane().getByTestId('user-sticker').count()).toBe(1);

    em.setWebhookUrl(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/missing`);
    try {
      await send('ไปที่ผิด');
      await expect.poll(() => page.getByTestId('webhook-status').textContent()).toBe('webhook HTTP 404');
    } finally {
      em.setWebhookUrl(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/webhook`);
    }
  });

  it('after a reload, brings back every user and what the bot sent each of them, once', async () => {
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    const tabs = page.getByTestId('user-tab');
    const ids = await tabs.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-user-id')!));
    expect(ids.length).toBeGreaterThanOrEqual(6);
    for (const id of ids) {
      const botRows = page.locator(`[data-testid="conversation"][data-user-id="${id}"] [data-testid="bot-message"]`);
      await expect.poll(() => botRows.count()).toBe(em.delivered(id).length);
    }
    // Still live after the reload, across the one shared stream.
    await page.locator('[data-testid="user-tab"]', { hasText: 'Alice' }).click();
    await send('again');
    await expect.poll(() => pane().getByTestId('bot-text').last().textContent()).toBe('สวัสดี Alice (en)\nได้รับ: again');
  });
});
