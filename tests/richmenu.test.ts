/**
 * The rich menu: its definition against LINE's rules and the emulator's OpenAPI validation, the committed picture,
 * the installer against a real emulator (as a library and as the command people run), and a person tapping the
 * installed menu in the emulator's chat page with the real server behind it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LineApiError } from '../line/api';
import { type Emulator, startEmulator } from '../emulator';
import { requestValidators } from '../emulator/messaging-api-schema';
import { EMULATOR_CREDENTIALS } from '../emulator/credentials';
import { MENU_BUTTONS } from '../richmenu/buttons';
import { RichMenuClient } from '../richmenu/client';
import { RICH_MENU_NAME, type RichMenuRequest, RichMenuRuleError, assertRichMenu, checkRichMenu, richMenuDefinition } from '../richmenu/definition';
import { RichMenuImageError, installRichMenu } from '../richmenu/installer';
import { DEFAULT_IMAGE } from '../richmenu/paths';
import { MAX_IMAGE_BYTES, pngSize } from '../richmenu/png';
import { LabelOverflowError, renderRichMenuImage } from '../richmenu/renderer';
import { launchBrowser } from './support/browser';
import { browserEngines } from './support/databases';
import { type TestServer, startTestServer } from './support/server';

const committedPng = readFileSync(DEFAULT_IMAGE);
const { channelSecret, channelAccessToken } = EMULATOR_CREDENTIALS;
const clientFor = (url: string) => new RichMenuClient({ channelAccessToken, apiBaseUrl: url, dataApiBaseUrl: url, timeoutMs: 5_000 });

function menuWith(change: (m: RichMenuRequest) => void): RichMenuRequest {
  const m = structuredClone(richMenuDefinition());
  change(m);
  return m;
}

describe('the rich menu definition', () => {
  const menu = richMenuDefinition();

  it('is LINE large size, shown at once, named for the installer, with a bilingual chat bar', () => {
    expect(menu).toMatchObject({ size: { width: 2500, height: 1686 }, selected: true, name: RICH_MENU_NAME, chatBarText: 'เมนู / Menu' });
  });

  it('has six areas in two rows of three that cover the whole image without overlapping', () => {
    expect(menu.areas).toHaveLength(6);
    const rows = new Set(menu.areas.map((a) => a.bounds.y));
    const columns = new Set(menu.areas.map((a) => a.bounds.x));
    expect([rows.size, columns.size]).toEqual([2, 3]);
    const covered = menu.areas.reduce((sum, a) => sum + a.bounds.width * a.bounds.height, 0);
    expect(covered).toBe(2500 * 1686);
    expect(checkRichMenu(menu)).toEqual([]);
  });

  it.each([
    [0, 'ร้องเรียน / | แจ้งเรื่อง', 'flow=complaint', 'ร้องเรียน/แจ้งเรื่อง', 'Complaint'],
    [1, 'ติดตามเรื่อง', 'flow=track', 'ติดตามเรื่อง', 'Track a case'],
    [2, 'เรื่องของฉัน', 'flow=mycases', 'เรื่องของฉัน', 'My cases'],
    [3, 'ถาม-ตอบ', 'flow=faq', 'ถาม-ตอบ', 'Questions'],
    [4, 'ติดต่อ | เจ้าหน้าที่', 'cmd=officer', 'ติดต่อเจ้าหน้าที่', 'Talk to an officer'],
    [5, 'ข้อมูลของฉัน', 'flow=mydata', 'ข้อมูลของฉัน', 'My data'],
  ])('area %i, drawn "%s", posts back %s showing "%s" (English: %s)', (i, drawn, data, displayText, en) => {
    expect(menu.areas[i]!.action).toEqual({ type: 'postback', label: displayText, data, displayText });
    expect(MENU_BUTTONS[i]!.th.join(' | ')).toBe(drawn);
    expect(MENU_BUTTONS[i]!.en).toBe(en);
  });

  it('passes the emulator\'s validation against LINE\'s OpenAPI description', () => {
    expect(requestValidators().richMenu(menu)).toEqual([]);
  });

  it.each<[string, (m: RichMenuRequest) => void, string]>([
    ['an area reaching outside the image', (m) => (m.areas[5]!.bounds.width += 1), 'areas[5].bounds: reaches (2501, 1686), outside the 2500x1686 image'],
    ['an area at a negative position', (m) => (m.areas[0]!.bounds.x = -1), 'areas[0].bounds: x and y must be whole numbers from 0, width and height from 1'],
    ['overlapping areas', (m) => (m.areas[1]!.bounds.x -= 10), 'areas[1].bounds: overlaps areas[0]'],
    ['no areas', (m) => (m.areas = []), 'areas: must be 1 to 20 areas, got 0'],
    ['21 areas', (m) => (m.areas = Array.from({ length: 21 }, (_, i) => ({ ...m.areas[0]!, bounds: { x: i * 100, y: 0, width: 100, height: 100 } }))), 'areas: must be 1 to 20 areas, got 21'],
    ['a chat bar text of 15 characters', (m) => (m.chatBarText = 'เมนูหลักของศูนย์ฯ'.slice(0, 15)), 'chatBarText: must be 1 to 14 characters, got 15'],
    ['postback data of 301 characters', (m) => (m.areas[2]!.action.data = `flow=${'x'.repeat(296)}`), 'areas[2].action.data: must be 1 to 300 characters, got 301'],
    ['a display text of 301 characters', (m) => (m.areas[3]!.action.displayText = 'ก'.repeat(301)), 'areas[3].action.displayText: must be 1 to 300 characters, got 301'],
    ['a label of 21 characters', (m) => (m.areas[4]!.action.label = 'ก'.repeat(21)), 'areas[4].action.label: must be at most 20 characters, got 21'],
    ['an image narrower than 800 px', (m) => (m.size = { width: 799, height: 250 }), 'size.width: must be 800 to 2500 px, got 799'],
    ['an image too tall for its width', (m) => (m.size = { width: 2500, height: 1725 }), 'size: width / height must be at least 1.45, got 1.449'],
  ])('refuses %s, naming the property', (_what, change, problem) => {
    const bad = menuWith(change);
    expect(checkRichMenu(bad)).toContain(problem);
    expect(() => assertRichMenu(bad)).toThrow(RichMenuRuleError);
  });

  it('and the emulator, like LINE, answers 400 with details for a chat bar text over 14 characters', async () => {
    const em = await startEmulator({ channelSecret, channelAccessToken });
    try {
      const bad = menuWith((m) => (m.chatBarText = 'ก'.repeat(15)));
      const err = await clientFor(em.url).validate(bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LineApiError);
      expect((err as LineApiError).status).toBe(400);
      expect(JSON.parse((err as LineApiError).body)).toMatchObject({ details: [{ property: 'chatBarText' }] });
      await expect(clientFor(em.url).validate(richMenuDefinition())).resolves.toBeUndefined();
    } finally {
      await em.close();
    }
  });
});

describe('the rich menu picture', () => {
  it('is committed as a PNG of exactly 2500x1686 and under LINE\'s 1 MB', () => {
    expect(pngSize(committedPng)).toEqual({ width: 2500, height: 1686 });
    expect(committedPng.length).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
  });

  it('renders again from its template in headless Chromium at the same size, still under 1 MB', async () => {
    const png = await renderRichMenuImage();
    expect(pngSize(png)).toEqual(pngSize(committedPng));
    expect(png.length).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
  }, 60_000);

  it('refuses to draw a label wider than its button, naming it', async () => {
    const buttons = MENU_BUTTONS.map((b, i) => (i === 5 ? { ...b, th: ['ข้อมูลส่วนบุคคลของฉันทั้งหมด'] } : b));
    const err = await renderRichMenuImage({ buttons }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabelOverflowError);
    expect((err as LabelOverflowError).labels).toEqual(['ข้อมูลส่วนบุคคลของฉันทั้งหมด']);
  }, 60_000);
});

describe('installing the rich menu on the emulator', () => {
  let em: Emulator;
  let client: RichMenuClient;
  beforeEach(async () => {
    em = await startEmulator({ channelSecret, channelAccessToken });
    client = clientFor(em.url);
  });
  afterEach(async () => {
    await em.close();
  });

  it('creates the menu, uploads its picture and makes it the default for every user', async () => {
    const lines: string[] = [];
    const { richMenuId, replaced } = await installRichMenu(client, { image: committedPng, log: (l) => lines.push(l) });
    expect(replaced).toEqual([]);
    expect(await client.getDefault()).toBe(richMenuId);
    const [listed] = await client.list();
    expect(listed).toEqual({ richMenuId, ...richMenuDefinition() });
    const content = await fetch(`${em.url}/v2/bot/richmenu/${richMenuId}/content`, { headers: { authorization: `Bearer ${channelAccessToken}` } });
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await content.arrayBuffer()).equals(committedPng)).toBe(true);
    const user = em.addUser({ displayName: 'ยายมา' });
    const linked = await fetch(`${em.url}/simulator/api/richmenu?userId=${user}`).then((r) => r.json());
    expect(linked).toMatchObject({ richMenuId, chatBarText: 'เมนู / Menu' });
    expect(lines).toEqual([
      'validated "echannel-main": 6 areas on 2500x1686',
      `created ${richMenuId}`,
      `uploaded the image (${(committedPng.length / 1024).toFixed(0)} KB)`,
      `set ${richMenuId} as the default rich menu for every user`,
    ]);
  });

  it('replaces the earlier install on a second run: one menu left, the new one the default', async () => {
    const first = await installRichMenu(client, { image: committedPng });
    const second = await installRichMenu(client, { image: committedPng });
    expect(second.replaced).toEqual([first.richMenuId]);
    expect((await client.list()).map((m) => m.richMenuId)).toEqual([second.richMenuId]);
    expect(await client.getDefault()).toBe(second.richMenuId);
  });

  it('leaves menus of other names alone', async () => {
    const other = menuWith((m) => (m.name = 'campaign'));
    const otherId = await client.create(other);
    const { richMenuId } = await installRichMenu(client, { image: committedPng });
    expect((await client.list()).map((m) => m.richMenuId).sort()).toEqual([otherId, richMenuId].sort());
  });

  it('refuses a picture of the wrong size before creating anything', async () => {
    const small = Buffer.from(committedPng);
    small.writeUInt32BE(1686 / 2, 20);
    await expect(installRichMenu(client, { image: small })).rejects.toThrow(RichMenuImageError);
    await expect(installRichMenu(client, { image: Buffer.from('GIF89a') })).rejects.toThrow('the image is not a PNG');
    expect(em.calls({ endpoint: 'richmenu' })).toEqual([]);
  });

  it('takes back the new menu when LINE refuses to make it the default, and keeps the earlier one', async () => {
    const first = await installRichMenu(client, { image: committedPng });
    // validate, list, create and upload go through; the fifth rich menu call (set default) gets LINE's 500.
    em.inject({ endpoint: 'richmenu', latencyMs: 0, count: 4 });
    em.inject({ endpoint: 'richmenu', status: 500 });
    const err = await installRichMenu(client, { image: committedPng }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'LineApiError', endpoint: 'richmenu.default', status: 500 });
    expect((await client.list()).map((m) => m.richMenuId)).toEqual([first.richMenuId]);
    expect(await client.getDefault()).toBe(first.richMenuId);
  });
});

/** `npm run richmenu:install` as a person runs it: a separate process, its output, its exit code. */
function runInstaller(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<{ code: number | null; out: string }> {
  const root = join(import.meta.dirname, '..');
  const env = { ...process.env, ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'richmenu/install.ts'), ...args], { cwd: opts.cwd ?? root, env });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('the installer command', () => {
  it('installs on the emulator named by --emulator, replacing the earlier menu, and says what it did', async () => {
    const em = await startEmulator({ channelSecret, channelAccessToken });
    try {
      const client = clientFor(em.url);
      const earlier = await installRichMenu(client, { image: committedPng });
      const { code, out } = await runInstaller(['--emulator', em.url]);
      expect(code, out).toBe(0);
      const [menu] = await client.list();
      expect(await client.getDefault()).toBe(menu!.richMenuId);
      expect(out).toContain(`installing on the LINE emulator at ${em.url}`);
      expect(out).toContain(`deleted the earlier ${earlier.richMenuId}`);
      expect(out).toContain(`done: ${menu!.richMenuId} is the default rich menu, replacing 1 earlier`);
      expect(out).toContain(`see it at ${em.url}/simulator`);
    } finally {
      await em.close();
    }
  }, 90_000);

  it('without LINE credentials or a running emulator, checks the menu on an emulator of its own and says it was a dry run', async () => {
    const { code, out } = await runInstaller([], {
      cwd: mkdtempSync(join(tmpdir(), 'richmenu-')), // no .env here
      env: { LINE_CHANNEL_SECRET: undefined, LINE_CHANNEL_ACCESS_TOKEN: undefined, EMULATOR_PORT: String(await freePort()) },
    });
    expect(code, out).toBe(0);
    expect(out).toMatch(/installing on a LINE emulator started for this run/);
    expect(out).toMatch(/done: richmenu-[0-9a-f]{32} is the default rich menu\n/);
    expect(out).toContain('this was a dry run');
  }, 90_000);

  it('says where the picture should come from when it is missing, and exits 1', async () => {
    const { code, out } = await runInstaller(['--emulator', 'http://127.0.0.1:9', '--image', '/nonexistent/menu.png']);
    expect(code).toBe(1);
    expect(out).toContain('richmenu: cannot read /nonexistent/menu.png');
    expect(out).toContain('npm run richmenu:render');
  }, 90_000);
});

describe.each(browserEngines('sqlite'))('the installed menu in the chat page, with the real server (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer(engine);
    await installRichMenu(clientFor(server.emulator.url), { image: committedPng });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 420, height: 860 }, locale: 'th-TH' });
    await page.goto(`${server.emulator.url}/simulator`);
    await page.waitForSelector('body[data-ready="true"]');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the menu under the chat; tapping "ร้องเรียน / แจ้งเรื่อง" posts back flow=complaint and the bot starts a complaint', async () => {
    const details = page.getByTestId('new-user');
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await page.getByTestId('open-new-user').click();
    await page.getByTestId('new-user-name').fill('ลุงสมหมาย');
    await page.getByTestId('new-user-language').selectOption('th');
    await page.getByTestId('create-user').click();
    await page.locator('[data-testid="user-tab"].active', { hasText: 'ลุงสมหมาย' }).waitFor();

    await expect.poll(() => page.getByTestId('rich-menu-toggle').textContent()).toBe('เมนู / Menu ▾');
    const image = page.getByTestId('rich-menu-image');
    expect(await image.isVisible()).toBe(true);
    const areas = page.getByTestId('rich-menu-area');
    expect(await areas.evaluateAll((els) => els.map((e) => e.getAttribute('title')))).toEqual(MENU_BUTTONS.map((b) => b.displayText));
    // The picture and the areas scale together: the first area is the top-left third of the picture.
    const [box, first] = [await image.boundingBox(), await areas.first().boundingBox()];
    expect(first!.width / box!.width).toBeCloseTo(833 / 2500, 2);
    expect(first!.height / box!.height).toBeCloseTo(0.5, 2);

    const pane = page.locator('[data-testid="conversation"]:not([hidden])');
    await areas.first().click();
    await expect.poll(() => pane.getByTestId('user-text').last().textContent()).toBe('ร้องเรียน/แจ้งเรื่อง');
    const event = await waitForRow(server, "SELECT payload, status, last_error FROM inbox_event WHERE event_type = 'postback' AND status IN ('done', 'failed', 'ignored')");
    // Stored sealed (what citizens type is encrypted at rest); opened with the server's key.
    expect(JSON.parse(server.cipher.decrypt(event.payload))).toMatchObject({ type: 'postback', postback: { data: 'flow=complaint' } });
    expect({ status: event.status, error: event.last_error }).toEqual({ status: 'done', error: null });
    // The complaint flow answers (its first question) in the same chat.
    await expect.poll(() => pane.getByTestId('bot-text').count(), { timeout: 10_000 }).toBeGreaterThan(0);
  });
});

interface EventRow {
  payload: string;
  status: string;
  last_error: string | null;
}

async function waitForRow(server: TestServer, sql: string): Promise<EventRow> {
  for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
    const [row] = await server.db.query<EventRow>(sql);
    if (row) return row;
  }
  throw new Error(`no row for ${sql}`);
}
