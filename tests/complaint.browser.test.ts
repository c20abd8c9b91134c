/**
 * A whole complaint filed the way a citizen files it: in the emulator's chat page, in Debian's headless Chromium,
 * against the real server (signed webhooks, the worker, the outbox, the emulator's OpenAPI checks). A Thai
 * grandmother types her story at the menu, taps the quick replies, shares a location through the page's picker,
 * types a Buddhist-Era date, sends three photos, gives her phone number in Thai digits, sends, and reads her
 * receipt. Then the database is asked what was really kept.
 *
 * With SCREENSHOTS=1 the chat is photographed at the end (docs/complaint-receipt.png); otherwise nothing is
 * written, so an ordinary run never rewrites the committed picture.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { thaiShortDate } from './support/console-pages';
import { browserEngines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';

const SCREENSHOT = join(import.meta.dirname, '..', 'docs', 'complaint-receipt.png');

const STORY = 'ไฟถนนหน้าบ้านดับมาสามคืนแล้วค่ะ มืดมาก';
const PHONE_TYPED = '๐๘๙ ๗๑๒ ๓๔๕๖';
const PHONE_E164 = '+66897123456';

/** The Buddhist year in Thailand now: 2569 in 2026. The number carries the year it was filed in. */
const yearBE = (at: number) => new Date(at + 7 * 3_600_000).getUTCFullYear() + 543;

interface Photo {
  name: string;
  mimeType: string;
  buffer: Buffer;
  /** What the bytes are, whatever the name and the claimed type say. */
  sniffed: string;
}

/**
 * Real pictures, drawn by the browser's own canvas encoder (a night street, a dead lamp, a pole): two JPEGs and
 * one PNG. The PNG goes out named and labelled as a JPEG, as phones sometimes do; the case must keep what the
 * bytes are.
 */
async function drawPhotos(page: Page): Promise<Photo[]> {
  const encoded = await page.evaluate(async () => {
    const draw = (sky: string, lamp: string, type: string, quality?: number) => {
      const c = document.createElement('canvas');
      c.width = 160;
      c.height = 120;
      const g = c.getContext('2d')!;
      g.fillStyle = sky;
      g.fillRect(0, 0, 160, 120);
      g.fillStyle = '#3f3f46';
      g.fillRect(0, 90, 160, 30);
      g.fillStyle = '#71717a';
      g.fillRect(76, 20, 6, 70);
      g.fillStyle = lamp;
      g.beginPath();
      g.arc(79, 20, 9, 0, Math.PI * 2);
      g.fill();
      return c.toDataURL(type, quality).split(',')[1]!;
    };
    return [draw('#0f172a', '#52525b', 'image/jpeg', 0.8), draw('#1e1b4b', '#a1a1aa', 'image/png'), draw('#020617', '#27272a', 'image/jpeg', 0.6)];
  });
  const [lamp, pole, street] = encoded.map((b64) => Buffer.from(b64, 'base64'));
  return [
    { name: 'lamp.jpg', mimeType: 'image/jpeg', buffer: lamp!, sniffed: 'image/jpeg' },
    { name: 'IMG_0412.jpg', mimeType: 'image/jpeg', buffer: pole!, sniffed: 'image/png' },
    { name: 'street.jpg', mimeType: 'image/jpeg', buffer: street!, sniffed: 'image/jpeg' },
  ];
}

interface CaseRow {
  id: number;
  tracking_number: string;
  category: string;
  status: string;
  story: string;
  occurred_on: string;
  location: string;
  subject: string;
  request: string;
  complainant_name: string;
  address: string;
  phone_enc: string;
  phone_hash: string;
  phone_last4: string;
  created_at: number;
  due_at: number;
}

interface AttachmentRow {
  media_type: string;
  content_type: string;
  size: number;
  sha256: string;
  bytes: Buffer;
}

describe.each(browserEngines('sqlite'))('a complaint filed in the chat page, in Chromium, with the real server (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launchBrowser();
    // A phone's width, tall enough that the receipt and the thank-you share the screen at the end; Thailand's
    // clock, so the page's message times agree with the receipt's.
    page = await browser.newPage({ viewport: { width: 420, height: 1100 }, deviceScaleFactor: 2, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    await page.goto(`${server.emulator.url}/simulator`);
    await page.waitForSelector('body[data-ready="true"]');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const pane = () => page.locator('[data-testid="conversation"]:not([hidden])');
  const botTexts = () => pane().getByTestId('bot-text');
  const chip = (label: string) => page.getByTestId('quick-reply').filter({ hasText: label });

  /** Does something as the citizen, then waits until the bot's next words contain `fragment`. */
  async function andBotSays(act: () => Promise<void>, fragment: string): Promise<string> {
    const before = await botTexts().count();
    await act();
    let said = '';
    await expect
      .poll(async () => (said = (await botTexts().allTextContents()).slice(before).join('\n')), { timeout: 15_000 })
      .toContain(fragment);
    return said;
  }

  async function type(text: string): Promise<void> {
    await page.getByTestId('message-input').fill(text);
    await page.getByTestId('message-input').press('Enter');
  }

  it('takes her story, place, date, three photos and phone number, and shows a receipt with the tracking number', async () => {
    const details = page.getByTestId('new-user');
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await page.getByTestId('open-new-user').click();
    await page.getByTestId('new-user-name').fill('ยายบุญมี');
    await page.getByTestId('new-user-language').selectOption('th');
    await page.getByTestId('create-user').click();
    await page.locator('[data-testid="user-tab"].active', { hasText: 'ยายบุญมี' }).waitFor();

    await andBotSays(() => page.getByTestId('send-follow').click(), 'ต้องการให้ศูนย์ดำรงธรรมช่วยเรื่องใดคะ');
    expect(await botTexts().first().textContent()).toContain('สวัสดีค่ะ คุณยายบุญมี');

    // Free text at the menu starts the complaint and is kept as the story: the story question is not asked, and
    // the category is proposed from it.
    await andBotSays(() => type(STORY), 'เรื่องที่ต้องการแจ้งเป็นเรื่องประเภทใดคะ');
    const afterCategory = await andBotSays(() => chip('ร้องเรียน/ร้องทุกข์').click(), 'เกิดขึ้นที่ไหนคะ');
    expect(afterCategory).not.toContain('กรุณาเล่าเหตุการณ์');

    // The "ส่งตำแหน่ง" quick reply opens the page's location picker, as LINE opens its map.
    await chip('ส่งตำแหน่ง').click();
    await page.getByTestId('location-dialog').waitFor();
    await page.getByTestId('location-preset').click();
    // The story said when ("สามคืนแล้ว") and what it is about (street lights): neither is asked again.
    // The pin is placed in its subdistrict and district, and confirmed with one tap.
    await andBotSays(() => page.getByTestId('location-send').click(), 'อำเภอเมืองมุกดาหาร ใช่ไหมคะ');
    await andBotSays(() => chip('✓ ใช่').click(), 'ท่านต้องการให้ศูนย์ดำรงธรรมช่วยอย่างไรคะ');
    await andBotSays(() => type('ขอให้มาซ่อมไฟถนนให้ด้วยค่ะ'), 'มีรูปภาพหรือเอกสารประกอบไหมคะ');

    const photos = await drawPhotos(page);
    for (const [i, photo] of photos.entries()) {
      const { name, mimeType, buffer } = photo;
      await andBotSays(() => page.getByTestId('image-input').setInputFiles({ name, mimeType, buffer }), `ได้รับแล้ว ${i + 1} รายการ`);
    }
    expect(await pane().getByTestId('user-image').count()).toBe(3);

    await andBotSays(() => chip('เสร็จแล้ว').click(), 'ขอทราบชื่อและนามสกุลของผู้แจ้งค่ะ');
    await andBotSays(() => type('บุญมี ศรีสุข'), 'เบอร์โทรศัพท์ที่เจ้าหน้าที่ติดต่อกลับได้คะ');
    await andBotSays(() => type(PHONE_TYPED), 'ที่อยู่ที่ติดต่อได้ของท่านคะ');
    const summary = await andBotSays(() => type('45 หมู่ 3 ต.ศรีบุญเรือง อ.เมืองมุกดาหาร จ.มุกดาหาร'), 'ตรวจสอบแล้วส่งเรื่องได้เลยค่ะ');
    expect(summary).toContain('• สถานที่: ศาลากลางจังหวัดมุกดาหาร');
    const threeNightsAgo = new Date(Date.now() + 7 * 3_600_000 - 3 * 86_400_000);
    expect(summary).toContain(`• วันที่เกิดเหตุ: ${threeNightsAgo.getUTCDate()} `);
    expect(summary).toContain(`${threeNightsAgo.getUTCFullYear() + 543}\n`);
    expect(summary).toContain('• เกี่ยวกับ: ไฟฟ้า ไฟถนน');
    expect(summary).toContain('• หลักฐาน: 3 รายการ');
    expect(summary).toContain('• โทร: 08x-xxx-3456');

    await andBotSays(() => chip('ส่งเรื่อง').click(), 'ขอบคุณค่ะ เก็บเลขที่เรื่องไว้');

    // The receipt: a Flex bubble, on screen, with the number and the filing date in the Buddhist Era.
    const receipt = pane().getByTestId('flex-bubble').last();
    const shown = (await receipt.textContent()) ?? '';
    const number = new RegExp(`MDH-${yearBE(Date.now())}-\\d{6}-\\d`).exec(shown)?.[0];
    expect(number, shown).toBeDefined();
    const [chat, bubble] = [await page.getByTestId('chat').boundingBox(), await receipt.boundingBox()];
    expect(bubble!.y + bubble!.height).toBeGreaterThan(chat!.y);
    expect(bubble!.y).toBeLessThan(chat!.y + chat!.height);

    const [filed] = await server.db.query<CaseRow>('SELECT * FROM cases WHERE tracking_number = $1', [number]);
    expect(filed).toBeDefined();
    const row = filed!;
    // Filed today, and the next news promised by a date: both read in the Buddhist Era.
    expect(shown).toContain(thaiShortDate(Number(row.created_at)));
    expect(shown).toContain(thaiShortDate(Number(row.due_at)));
    expect(await page.getByTestId('webhook-status').isHidden()).toBe(true);

    if (process.env.SCREENSHOTS === '1' && engine === 'sqlite') {
      await page.evaluate(() => document.fonts.ready);
      await page.getByTestId('chat').screenshot({ path: SCREENSHOT });
    }

    expect({
      category: row.category,
      status: row.status,
      story: row.story,
      occurred_on: row.occurred_on,
      subject: row.subject,
      request: row.request,
      complainant_name: server.cipher.reveal(row.complainant_name),
      address: server.cipher.reveal(row.address),
      phone_last4: row.phone_last4,
    }).toEqual({
      category: 'complaint',
      status: 'received',
      story: STORY,
      occurred_on: threeNightsAgo.toISOString().slice(0, 10),
      subject: 'ไฟฟ้า ไฟถนน',
      request: 'ขอให้มาซ่อมไฟถนนให้ด้วยค่ะ',
      complainant_name: 'บุญมี ศรีสุข',
      address: '45 หมู่ 3 ต.ศรีบุญเรือง อ.เมืองมุกดาหาร จ.มุกดาหาร',
      phone_last4: '3456',
    });
    expect(JSON.parse(server.cipher.reveal(row.location)!)).toMatchObject({ source: 'line', latitude: 16.5453, longitude: 104.7235, title: 'ศาลากลางจังหวัดมุกดาหาร' });

    // The phone number is kept sealed, with a keyed hash for look-ups; only its last four digits are readable.
    expect(row.phone_enc).not.toContain('897123456');
    expect(server.cipher.decrypt(row.phone_enc)).toBe(PHONE_E164);
    expect(row.phone_hash).toBe(server.cipher.hash('phone', PHONE_E164));

    // The three photos, in the order sent, each typed by its bytes and kept whole.
    const attachments = await server.db.query<AttachmentRow>(
      'SELECT media_type, content_type, size, sha256, bytes FROM attachment WHERE case_id = $1 ORDER BY id',
      [row.id],
    );
    expect(attachments.map((a, i) => ({ ...a, size: Number(a.size), bytes: server.cipher.decryptBytes(a.bytes).equals(photos[i]!.buffer) }))).toEqual(
      photos.map((p) => ({
        media_type: 'image',
        content_type: p.sniffed,
        size: p.buffer.length,
        sha256: createHash('sha256').update(p.buffer).digest('hex'),
        bytes: true,
      })),
    );
  });

  // Reads what the complaint above left behind in the same server's database.
  it('keeps her phone number out of every table in plain text, in any of the ways it was written', async () => {
    expect(await server.db.query('SELECT id FROM cases')).toHaveLength(1);
    const tables =
      engine === 'sqlite'
        ? await server.db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        : await server.db.query<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1', [server.testDb.schema]);
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['cases', 'attachment', 'inbox_event', 'outbox_message']));
    const forms = [PHONE_TYPED, PHONE_E164, '0897123456', '089 712 3456', '897123456'];
    const found: string[] = [];
    for (const { name } of tables) {
      const rows = await server.db.query(`SELECT * FROM ${name}`);
      const text = JSON.stringify(rows.map((r) => Object.values(r).filter((v) => !Buffer.isBuffer(v) && !(v instanceof Uint8Array))));
      for (const form of forms) if (text.includes(form)) found.push(`${name}: ${form}`);
    }
    expect(found).toEqual([]);
  });
});
