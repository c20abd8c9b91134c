/**
 * Pictures of a walk-in's paperwork for the docs, from a real server on a throw-away SQLite database: an officer of
 * district 4901 records a demo case at the counter (with a scanned letter), then its intake form is printed to PDF
 * by the console (as an officer prints it) and turned into a picture with poppler's pdftoppm, and its receipt page
 * is photographed in headless Chromium as it prints. Writes docs/intake-form.pdf.png and docs/console-receipt.png.
 *
 *   npm run counter:pictures
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { launchBrowser } from '../tests/support/browser';
import { login } from '../tests/support/console-client';
import { signIn } from '../tests/support/console-pages';
import { startTestServer } from '../tests/support/server';

const ROOT = join(import.meta.dirname, '..');
const DOCS = join(ROOT, 'docs');
const PASSWORD = 'demo-password-for-pictures';
const SCAN = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'ensure-console.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const server = await startTestServer('sqlite', { CENTER_DISTRICT: '4901' });
  const browser = await launchBrowser();
  try {
    await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'somsri', displayName: 'สมศรี ใจดี', role: 'officer', districtCode: '4901', password: PASSWORD });
    const somsri = await login(server.url, 'somsri', { password: PASSWORD });
    const filed = await somsri.call('POST', '/cases', {
      channel: 'walk_in',
      category: 'assistance',
      consent: true,
      story: 'บ้านถูกน้ำท่วมเสียหายทั้งหลังเมื่อกลางเดือนพฤศจิกายน ยังไม่ได้รับเงินช่วยเหลือผู้ประสบภัย ครอบครัวมีผู้สูงอายุติดเตียงและเด็กเล็ก ขณะนี้อาศัยอยู่กับญาติ',
      occurredOn: '15/11/2569',
      placeProvince: '49',
      placeDistrict: '4901',
      placeSubdistrict: '490101',
      placeDetail: 'ชุมชนริมโขง หมู่ 3',
      subject: 'เทศบาลเมืองมุกดาหาร',
      request: 'ขอรับเงินช่วยเหลือผู้ประสบอุทกภัย และขอให้ตรวจสอบความเสียหายของบ้าน',
      fullName: 'บุญมี ขยันดี',
      phone: '081-234-5678',
      nationalId: '1101700230708',
      address: '99 หมู่ 3 ต.มุกดาหาร อ.เมืองมุกดาหาร จ.มุกดาหาร 49000',
      files: [{ fileName: 'หนังสือร้องเรียน-สแกน.pdf', base64: SCAN.toString('base64') }],
    });
    if (filed.status !== 201) throw new Error(`recording the demo case answered ${filed.status}: ${filed.text}`);
    const number = filed.body.number as string;

    const pdf = await somsri.call('GET', `/cases/${number}/intake-form.pdf`);
    if (pdf.status !== 200) throw new Error(`the intake form answered ${pdf.status}: ${pdf.text}`);
    const dir = mkdtempSync(join(tmpdir(), 'counter-pictures-'));
    writeFileSync(join(dir, 'form.pdf'), pdf.bytes);
    execFileSync('pdftoppm', ['-png', '-r', '90', '-singlefile', join(dir, 'form.pdf'), join(dir, 'form')]);
    renameSync(join(dir, 'form.png'), join(DOCS, 'intake-form.pdf.png'));

    const page = await (await browser.newContext({ viewport: { width: 900, height: 760 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' })).newPage();
    await signIn(page, server.url, 'somsri', PASSWORD, `/console/cases/${number}/receipt`);
    await page.getByTestId('receipt-qr').waitFor();
    await page.emulateMedia({ media: 'print' });
    await page.getByTestId('receipt').screenshot({ path: join(DOCS, 'console-receipt.png') });
    console.log(`counter:pictures: wrote docs/intake-form.pdf.png and docs/console-receipt.png (case ${number})`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
