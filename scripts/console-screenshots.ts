/**
 * Pictures of the officer console for the docs: a real server on a throw-away SQLite database with demo data
 * (three complaints filed through the LINE emulator, a citizen waiting for an officer, one in a chat with a photo),
 * an officer of district 4901 signed in, in headless Chromium; then the province's supervisor on the district's
 * settings page (a bound LINE group, an e-mail and a webhook target, canned replies, a fresh binding code). Writes
 * docs/console-queue.png, docs/console-chat.png, docs/console-case.png and docs/console-settings.png. Then an admin in
 * the flow editor: the complaint flow with its category question open, a choice added whose English is missing
 * (docs/flows-editor.png), the draft tried in the preview (docs/flows-preview.png) and compared with the live
 * version before publishing (docs/flows-diff.png).
 *
 *   npm run console:screenshots
 *   npm run console:screenshots -- --flows-only     # only the flow editor's pictures
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { addTarget } from '../notify/targets';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../tests/support/browser';
import { fileComplaint, follow, newCitizen, say } from '../tests/support/citizen';
import { startTestServer, type TestServer } from '../tests/support/server';

const ROOT = join(import.meta.dirname, '..');
const DOCS = join(ROOT, 'docs');
const PASSWORD = 'demo-password-for-screenshots';

async function demoData(server: TestServer): Promise<void> {
  const stories = [
    { name: 'บุญมี', story: 'ไฟถนนหน้าบ้านดับมาสามคืนแล้วค่ะ มืดมาก กลัวอันตราย', phone: '081-234-5678' },
    { name: 'สมชาย', story: 'มีการเผาขยะในที่ดินข้างบ้านทุกเย็น ควันเข้าบ้าน เด็กไอทั้งคืน', phone: '089-712-3456' },
    { name: 'ประไพ', story: 'ถนนในหมู่บ้านเป็นหลุมลึก รถจักรยานยนต์ล้มไปสองคันแล้ว', phone: '062-555-0199' },
  ];
  for (const s of stories) {
    const user = newCitizen(server, 'th', s.name);
    await follow(server, user);
    await fileComplaint(server, user, 'th', { story: s.story, phone: s.phone });
  }
  // Placed in the officer's district, as an officer placing them would (the chat does not know the district).
  await server.db.query(`UPDATE cases SET district_code = '4901', province_code = '49'`);
}

/** District 4901 as its supervisor found it: the officers' group bound, an e-mail and a webhook, three canned replies. */
async function districtSettings(server: TestServer): Promise<void> {
  const boss = await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'wichai', displayName: 'วิชัย หัวหน้าจังหวัด', role: 'supervisor', provinceCode: '49', password: PASSWORD });
  await server.db.transaction(async (tx) => {
    const at = Date.now();
    await addTarget(tx, { districtCode: '4901', kind: 'line_group', address: `C${'4d'.repeat(16)}`, actor: 'binding-code:wichai' }, server.cipher, at);
    await addTarget(tx, { districtCode: '4901', kind: 'email', address: 'damrongdhama.mueang@example.go.th', actor: 'wichai' }, server.cipher, at);
    await addTarget(tx, { districtCode: '4901', kind: 'webhook', address: 'https://helpdesk.example.go.th/hooks/echannel', secret: 'a-demo-secret-of-enough-length', actor: 'wichai' }, server.cipher, at);
    const replies = [
      ['รับเรื่องแล้ว', 'เจ้าหน้าที่รับเรื่องของท่านแล้วค่ะ จะแจ้งความคืบหน้าภายใน 15 วัน', 'An officer has your request; we will update you within 15 days.'],
      ['ขอเอกสารเพิ่ม', 'รบกวนส่งรูปถ่ายสถานที่เกิดเหตุเพิ่มเติมในแชตนี้ได้เลยค่ะ', 'Please send more photos of the place in this chat.'],
      ['เวลาทำการ', 'ศูนย์ดำรงธรรมอำเภอเปิดทำการวันจันทร์-ศุกร์ 08.30-16.30 น. ค่ะ', 'The center is open Monday to Friday, 08:30-16:30.'],
    ];
    for (const [title, th, en] of replies) {
      await tx.query('INSERT INTO canned_reply (district_code, title, text_th, text_en, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)', ['4901', title, th, en, boss.id, at]);
    }
  });
}

/** The flow editor as an admin uses it: a node open with a problem on it, the preview, the comparison. */
async function flowEditorPictures(server: TestServer, browser: Browser): Promise<void> {
  await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'pranee', displayName: 'ปราณี ผู้ดูแลระบบ', role: 'admin', password: PASSWORD });
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
  await page.goto(`${server.url}/console/flows/complaint`);
  await page.getByTestId('login-username').fill('pranee');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('flow-edit').click();
  const card = (id: string) => page.locator(`[data-testid="flow-node"][data-node="${id}"]`);
  const pair = (field: string) => page.locator(`[data-testid="text-pair"][data-field="${field}"]`);
  await card('category').click();
  await pair('prompt').getByTestId('text-th').fill('อยากแจ้งเรื่องแบบไหนคะ เลือกได้เลย');
  await page.getByTestId('option-add').click();
  await pair('options.8.label').getByTestId('text-th').fill('ที่ดิน');
  await pair('options.8.label').getByTestId('field-error').waitFor();
  await pair('options.8.label').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(DOCS, 'flows-editor.png') });

  await pair('options.8.label').getByTestId('text-en').fill('Land');
  await page.getByTestId('tab-preview').click();
  await page.getByTestId('preview-start').click();
  await page.getByTestId('preview-quick-item').filter({ hasText: 'ร้องเรียน/ร้องทุกข์' }).click();
  await page.getByTestId('preview-input').fill('ไฟถนนหน้าบ้านดับมาสามคืนแล้วค่ะ มืดมาก กลัวอันตราย');
  await page.getByTestId('preview-send').click();
  await page.getByTestId('preview-quick-item').filter({ hasText: 'ส่งตำแหน่ง' }).waitFor();
  await page.screenshot({ path: join(DOCS, 'flows-preview.png') });

  await page.getByTestId('tab-compare').click();
  await page.locator('[data-testid="diff-node"][data-node="category"]').getByRole('button').click();
  await page.getByTestId('publish-note').fill('ถามประเภทเรื่องให้สั้นลง และเพิ่มหมวดที่ดิน');
  await card('category').waitFor();
  await page.locator('.flow-tab').evaluate((e) => e.scrollTo(0, 0)); // the summary and the legend first
  await page.waitForTimeout(400); // the canvas glides to the node
  await page.screenshot({ path: join(DOCS, 'flows-diff.png') });
  console.log('wrote docs/flows-editor.png, docs/flows-preview.png, docs/flows-diff.png');
}

async function flowsOnly(): Promise<void> {
  const server = await startTestServer('sqlite', { CENTER_DISTRICT: '4901' });
  const browser = await launchBrowser();
  try {
    await flowEditorPictures(server, browser);
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'ensure-console.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (process.argv.includes('--flows-only')) return flowsOnly();
  const server = await startTestServer('sqlite', { CENTER_DISTRICT: '4901' });
  const browser = await launchBrowser();
  try {
    await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'somsri', displayName: 'สมศรี ใจดี', role: 'officer', districtCode: '4901', password: PASSWORD });
    await demoData(server);

    const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    await page.goto(`${server.url}/console/queue`);
    await page.getByTestId('login-username').fill('somsri');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('officer-name').waitFor();

    // Two citizens waiting: one asking for an officer, one petitioning the King.
    const manee = newCitizen(server, 'th', 'มานี มีสุข');
    await follow(server, manee);
    await say(server, manee, 'ติดต่อเจ้าหน้าที่');
    const chuchai = newCitizen(server, 'th', 'ชูชัย');
    await follow(server, chuchai);
    await say(server, chuchai, 'ถวายฎีกา');
    await page.getByTestId('queue-item').nth(1).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(DOCS, 'console-queue.png') });

    await page.getByTestId('queue-item').filter({ hasText: 'มานี' }).getByTestId('claim').click();
    await page.getByTestId('live').filter({ hasText: 'เชื่อมต่อสด' }).waitFor();
    await say(server, manee, 'สวัสดีค่ะ ถนนหน้าบ้านเป็นหลุมใหญ่ ฝนตกน้ำขังทุกวัน ส่งรูปให้ดูนะคะ');
    const png = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 320;
      c.height = 220;
      const g = c.getContext('2d')!;
      g.fillStyle = '#9ca3af';
      g.fillRect(0, 0, 320, 220);
      g.fillStyle = '#475569';
      g.beginPath();
      g.ellipse(160, 130, 110, 45, 0, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = '#64748b';
      g.beginPath();
      g.ellipse(160, 128, 90, 32, 0, 0, Math.PI * 2);
      g.fill();
      return c.toDataURL('image/png').split(',')[1]!;
    });
    const event = server.emulator.buildEvent({ type: 'message', userId: manee, message: { type: 'image' } });
    server.emulator.putContent((event as unknown as { message: { id: string } }).message.id, Buffer.from(png, 'base64'), 'image/png');
    await server.emulator.deliver([event]);
    await page.getByTestId('photo').waitFor({ timeout: 10_000 });
    await page.getByTestId('reply-input').fill('รับเรื่องแล้วค่ะ คุณมานี เจ้าหน้าที่จะประสานกองช่างเทศบาลให้ไปตรวจพรุ่งนี้เช้านะคะ');
    await page.getByTestId('reply-input').press('Enter');
    await page.getByTestId('message-out').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('img')].every((i) => i.complete));
    await page.screenshot({ path: join(DOCS, 'console-chat.png') });

    await page.getByTestId('nav-cases').click();
    await page.getByTestId('case-row').first().waitFor({ timeout: 10_000 });
    await page.getByTestId('case-row').last().locator('a').click();
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('note-input').fill('โทรประสานกองช่างเทศบาลแล้ว นัดลงพื้นที่วันพฤหัสบดี');
    await page.getByTestId('note-form').locator('button').click();
    await page.getByTestId('timeline-event').nth(1).waitFor();
    await page.getByTestId('status-select').selectOption('in_progress');
    await page.getByTestId('status-form').locator('textarea').fill('ส่งเรื่องให้กองช่างเทศบาลตรวจสอบและซ่อมแซมแล้ว');
    await page.getByTestId('status-form').locator('button').click();
    await page.getByTestId('timeline-event').nth(2).waitFor();
    await page.screenshot({ path: join(DOCS, 'console-case.png'), fullPage: true });

    await districtSettings(server);
    const boss = await browser.newPage({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    await boss.goto(`${server.url}/console/settings`);
    await boss.getByTestId('login-username').fill('wichai');
    await boss.getByTestId('login-password').fill(PASSWORD);
    await boss.getByTestId('login-submit').click();
    await boss.getByTestId('district-4901').click();
    await boss.getByTestId('canned-reply').nth(2).waitFor();
    await boss.getByTestId('make-binding-code').click();
    await boss.getByTestId('binding-code').waitFor();
    await boss.screenshot({ path: join(DOCS, 'console-settings.png'), fullPage: true });
    console.log('wrote docs/console-queue.png, docs/console-chat.png, docs/console-case.png, docs/console-settings.png');
    await flowEditorPictures(server, browser);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
