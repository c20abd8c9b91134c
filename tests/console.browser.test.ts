/**
 * The officer console's pages, in Debian's headless Chromium, against the real server and its LINE emulator: an
 * officer of district 4901 signs in on the page, sees a citizen who asked for an officer appear in her queue,
 * takes the chat, reads the citizen's words and photo as they arrive, replies (the reply reaches the citizen in
 * LINE), and ends the chat (the citizen is asked for a rating, and her 4 is kept). An officer of another district
 * never sees that citizen. The pages are built first when console/dist is missing or older than console/web.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { CONTENT_SECURITY_POLICY } from '../console/security-headers';
import { launchBrowser } from './support/browser';
import { ensureConsolePages, signIn, thaiShortDate } from './support/console-pages';
import { lines, newCitizen, quick, received, say, follow } from './support/citizen';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const PASSWORD = 'a-long-enough-password';
const RATING_ASK = 'เจ้าหน้าที่ได้จบการสนทนาแล้วค่ะ ท่านพึงพอใจการสนทนากับเจ้าหน้าที่ระดับใด (5 = มากที่สุด)';
const RATING_QUICK = ['5 มากที่สุด', '4 มาก', '3 ปานกลาง', '2 น้อย', '1 น้อยที่สุด', 'ยกเลิก'];

beforeAll(ensureConsolePages, 120_000);

describe.each(browserEngines('sqlite'))('the officer console pages, in Chromium, with the real server (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let somsri: BrowserContext;
  let page: Page;
  const errors: Error[] = [];

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    const officers = new OfficerStore(server.db);
    await officers.create(CLI_ACTOR, { username: 'somsri', displayName: 'สมศรี ใจดี', role: 'officer', districtCode: '4901', password: PASSWORD });
    await officers.create(CLI_ACTOR, { username: 'niran', displayName: 'นิรันดร์ มั่นคง', role: 'officer', districtCode: '4902', password: PASSWORD });
    browser = await launchBrowser();
    somsri = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    page = await somsri.newPage();
    // A page that throws fails its test with the page's own error.
    page.on('pageerror', (e) => errors.push(e));
  }, 60_000);

  afterAll(async () => {
    expect(errors).toEqual([]);
    await browser?.close();
    await server?.stop();
  });

  it('serves the pages at /console with the console security headers, any page path falling back to the app, never an API path', async () => {
    const pageRoute = await fetch(`${server.url}/console/cases/XX-2569-000001-1`, { headers: { accept: 'text/html' } });
    expect(pageRoute.status).toBe(200);
    expect(pageRoute.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(pageRoute.headers.get('cache-control')).toBe('no-cache');
    const html = await pageRoute.text();
    expect(html).toContain('<div id="root"></div>');
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const script = await fetch(server.url + asset);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${server.url}/console/assets/missing.js`)).status).toBe(404);
    const api = await fetch(`${server.url}/console/api/no-such-route`, { headers: { accept: 'text/html' } });
    expect(api.headers.get('content-type')).not.toMatch(/html/);
  });

  it('shows a bad password as an error and stays on the sign-in form', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByTestId('login-username').fill('somsri');
    await page.getByTestId('login-password').fill('not her password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง');
  });

  it('takes a citizen from the queue through a live chat with a photo and a reply to a 4/5 rating', async () => {
    await signIn(page, server.url, 'somsri', PASSWORD);
    await expect.poll(() => page.getByTestId('officer-name').textContent()).toBe('สมศรี ใจดี');
    await page.getByTestId('queue-empty').waitFor();

    const manee = newCitizen(server, 'th', 'มานี');
    await follow(server, manee);
    await say(server, manee, 'ติดต่อเจ้าหน้าที่');

    // She appears in the queue by herself (the page refreshes), with her waiting time and a Buddhist-Era date.
    const item = page.getByTestId('queue-item').filter({ hasText: 'มานี' });
    await item.waitFor({ timeout: 10_000 });
    const text = await item.textContent();
    expect(text).toContain('รอมาแล้ว');
    expect(text).toContain(thaiShortDate(Date.now()));
    expect(await item.getByTestId('royal-petition').count()).toBe(0);

    await item.getByTestId('claim').click();
    await page.waitForURL(/\/console\/chat\/\d+$/);
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('แชตกับ มานี');
    await expect.poll(() => page.getByTestId('live').textContent()).toBe('เชื่อมต่อสด');

    // What she writes shows live, as text even when it looks like HTML; her photo is shown from the server.
    const written = 'ถนนหน้าบ้านเป็นหลุม <b>อันตราย</b> ค่ะ';
    expect(await say(server, manee, written)).toEqual([]);
    const incoming = page.getByTestId('message-in');
    await expect.poll(() => incoming.locator('.text').allTextContents(), { timeout: 10_000 }).toContain(written);
    expect(await page.locator('.chat b').count()).toBe(0);

    const png = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 160;
      c.height = 120;
      const g = c.getContext('2d')!;
      g.fillStyle = '#0f172a';
      g.fillRect(0, 0, 160, 120);
      g.fillStyle = '#a16207';
      g.fillRect(20, 80, 120, 25);
      return c.toDataURL('image/png').split(',')[1]!;
    });
    const event = server.emulator.buildEvent({ type: 'message', userId: manee, message: { type: 'image' } });
    server.emulator.putContent((event as unknown as { message: { id: string } }).message.id, Buffer.from(png, 'base64'), 'image/png');
    expect((await server.emulator.deliver([event])).status).toBe(200);
    const photo = page.getByTestId('photo');
    await photo.waitFor({ timeout: 10_000 });
    await expect.poll(() => photo.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth)).toBe(160);

    // Her reply reaches the citizen in LINE, and shows in the chat as hers.
    const before = server.emulator.delivered(manee).length;
    const reply = 'รับเรื่องแล้วค่ะ จะส่งช่างไปตรวจพรุ่งนี้';
    await page.getByTestId('reply-input').fill(reply);
    await page.getByTestId('reply-input').press('Enter');
    expect(lines(await received(server, manee, before, 1))).toEqual([reply]);
    await expect.poll(() => page.getByTestId('message-out').locator('.text').allTextContents()).toEqual([reply]);
    expect(await page.getByTestId('reply-input').inputValue()).toBe('');

    // Ending the chat hands the citizen back to the bot, which asks for a rating; her 4 is kept for the chat.
    const afterReply = server.emulator.delivered(manee).length;
    await page.getByTestId('end-chat').click();
    await page.getByTestId('end-reason').selectOption('resolved');
    await page.getByTestId('end-confirm').click();
    const asked = await received(server, manee, afterReply, 1);
    expect(lines(asked)).toEqual([RATING_ASK]);
    expect(quick(asked[0])).toEqual(RATING_QUICK);
    await page.getByTestId('chat-ended').waitFor();
    expect(await page.getByTestId('reply-input').count()).toBe(0);

    await say(server, manee, '4 มาก');
    await say(server, manee, 'ข้าม');
    const ratings = await server.db.query<{ subject: string; rating: number | string; chat_id: string }>('SELECT subject, rating, chat_id FROM survey_response');
    expect(ratings.map((r) => ({ subject: r.subject, rating: Number(r.rating), chatId: r.chat_id }))).toEqual([{ subject: 'chat', rating: 4, chatId: manee }]);

    await page.getByTestId('nav-queue').click();
    await page.getByTestId('queue-empty').waitFor();
  }, 90_000);

  it("does not show a citizen of the center's district to an officer of another district", async () => {
    const wanna = newCitizen(server, 'th', 'วรรณา');
    await follow(server, wanna);
    await say(server, wanna, 'ติดต่อเจ้าหน้าที่');
    // Somsri's queue has her; Niran's, in his own browser, stays empty.
    await page.getByTestId('queue-item').filter({ hasText: 'วรรณา' }).waitFor({ timeout: 10_000 });

    const niran = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    try {
      const his = await niran.newPage();
      await signIn(his, server.url, 'niran', PASSWORD);
      await his.getByTestId('queue-empty').waitFor();
      await his.waitForTimeout(3_500); // one refresh of the queue later, still nobody
      expect(await his.getByTestId('queue-item').count()).toBe(0);
      const [handoff] = await server.db.query<{ id: number }>("SELECT id FROM handoff_request WHERE chat_id = $1", [wanna]);
      await his.goto(`${server.url}/console/chat/${handoff!.id}`);
      await expect.poll(() => his.locator('.error').textContent()).toContain('Not found');
      expect(await his.getByTestId('message-in').count()).toBe(0);
    } finally {
      await niran.close();
    }
  }, 60_000);
});

