/**
 * The intake form (แบบรับเรื่องร้องเรียน/ร้องทุกข์): the pure page (cases/intake-form.ts) escapes what people typed,
 * prints dates in Buddhist Era and withholds personal numbers from those who may not see them; and the PDF the
 * console serves, printed by the real server's Chromium, read back with poppler's pdftotext, carries the case's own
 * fields in Thai, on one A4 page, and its print is audited.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeFormHtml, nationalIdAsPrinted, phoneAsDialled, placeWords, type IntakeForm } from '../cases/intake-form';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { login, OFFICER_PASSWORD, type ConsoleClient } from './support/console-client';
import { startTestServer, type TestServer } from './support/server';

const FORM: IntakeForm = {
  locale: 'th',
  trackingNumber: 'MDH-2569-000123-4',
  districtCode: '4901',
  createdAt: Date.parse('2026-11-25T10:30:00+07:00'),
  channel: 'hotline',
  category: 'complaint',
  complainant: { anonymous: false, name: 'บุญมี <b>ขยันดี</b>', address: '99 หมู่ 2', phone: undefined, nationalId: undefined },
  story: 'มีคนเขียน <script>alert(1)</script> ในเรื่อง',
  occurredOn: '2026-11-20',
  location: null,
  subject: null,
  request: null,
  evidence: [],
  receivedBy: 'สมศรี ใจดี',
  printedAt: Date.parse('2026-11-26T09:00:00+07:00'),
  printedBy: 'สมศรี ใจดี',
  track: null,
};

/** Text as compared: pdftotext puts spaces inside some Thai words (before a floating vowel) and breaks lines. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('the intake form page', () => {
  it('prints what people typed as text, never as markup', () => {
    const html = intakeFormHtml(FORM);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('บุญมี &lt;b&gt;ขยันดี&lt;/b&gt;');
  });

  it('writes dates in Buddhist Era, the center by its district, and the channel in words', () => {
    const html = intakeFormHtml(FORM);
    expect(html).toContain('20 พฤศจิกายน 2569');
    expect(html).toContain('25 พ.ย. 2569 เวลา 10:30 น.');
    expect(html).toContain('ศูนย์ดำรงธรรมอำเภอเมืองมุกดาหาร จังหวัดมุกดาหาร');
    expect(html).toContain('สายด่วน 1567');
  });

  it('withholds the national ID and phone from a printer who may not see them, and names no one for an anonymous case', () => {
    const withheld = intakeFormHtml(FORM);
    expect(withheld.match(/ไม่แสดง \(ผู้พิมพ์ไม่มีสิทธิ์ดูข้อมูลส่วนบุคคล\)/g)).toHaveLength(2);
    const anonymous = intakeFormHtml({ ...FORM, complainant: { anonymous: true, name: null, address: null, phone: null, nationalId: null } });
    expect(anonymous).toContain('ไม่ประสงค์ออกนาม');
    expect(anonymous).not.toContain('เลขประจำตัวประชาชน');
  });

  it('writes numbers as people read them, and places in words', () => {
    expect(phoneAsDialled('+66812341234')).toBe('081-234-1234');
    expect(phoneAsDialled('+6642611222')).toBe('042-611-222');
    expect(nationalIdAsPrinted('1101700230708')).toBe('1-1017-00230-70-8');
    expect(placeWords(JSON.stringify({ source: 'typed', province: '49', label: { th: 'จ.มุกดาหาร', en: 'Mukdahan' } }), 'th')).toBe('จ.มุกดาหาร');
    expect(placeWords(JSON.stringify({ source: 'line', latitude: 16.5453, longitude: 104.7235, title: 'ตลาดอินโดจีน', label: 'ตลาดอินโดจีน' }), 'th')).toBe('ตลาดอินโดจีน (16.54530, 104.72350)');
  });
});

describe('the intake form as a PDF from the console', () => {
  let server: TestServer;
  let somsri: ConsoleClient;
  let number: string;
  const dir = mkdtempSync(join(tmpdir(), 'intake-form-'));
  const fields = {
    channel: 'walk_in',
    category: 'assistance',
    consent: true,
    story: 'บ้านถูกน้ำท่วมเสียหายทั้งหลัง ยังไม่ได้รับเงินช่วยเหลือผู้ประสบภัย ครอบครัวมีผู้สูงอายุและเด็กเล็ก',
    occurredOn: '15/11/2569',
    placeProvince: '49',
    placeDistrict: '4901',
    placeSubdistrict: '490101',
    placeDetail: 'ชุมชนริมโขง',
    subject: 'เทศบาลเมืองมุกดาหาร',
    request: 'ขอรับเงินช่วยเหลือผู้ประสบอุทกภัย',
    fullName: 'บุญมี ขยันดี',
    phone: '0812341234',
    nationalId: '1101700230708',
    address: '99 หมู่ 2 ต.ศรีบุญเรือง อ.เมืองมุกดาหาร จ.มุกดาหาร',
  };

  beforeAll(async () => {
    for (const tool of ['pdftotext', 'pdfinfo']) {
      try {
        execFileSync(tool, ['-v'], { stdio: 'ignore' });
      } catch {
        throw new Error(`${tool} is missing: install Debian's poppler-utils (.ci/run does)`);
      }
    }
    server = await startTestServer('sqlite', { CENTER_DISTRICT: '4901' });
    await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'somsri', displayName: 'สมศรี ใจดี', role: 'officer', districtCode: '4901', password: OFFICER_PASSWORD });
    somsri = await login(server.url, 'somsri');
    const filed = await somsri.call('POST', '/cases', { ...fields, files: [{ fileName: 'บัตรประชาชน.jpg', base64: Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex').toString('base64') }] });
    expect(filed.status).toBe(201);
    number = filed.body.number;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("carries the case's own fields, in Thai, on one A4 page, and the print is audited", async () => {
    const res = await somsri.call('GET', `/cases/${number}/intake-form.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(dir, 'form.pdf');
    writeFileSync(file, res.bytes);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Pages:\s+1$/m);
    expect(info).toMatch(/^Page size:.*\(A4\)$/m);

    const text = squeeze(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
    const [row] = await server.db.query<{ created_at: number | string }>('SELECT created_at FROM cases WHERE tracking_number = $1', [number]);
    const created = new Date(Number(row!.created_at) + 7 * 3_600_000);
    const thaiMonths = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
    const receivedOn = `${created.getUTCDate()} ${thaiMonths[created.getUTCMonth()]} ${created.getUTCFullYear() + 543}`;
    for (const expected of [
      'แบบรับเรื่องร้องเรียน/ร้องทุกข์',
      'ศูนย์ดำรงธรรมอำเภอเมืองมุกดาหาร จังหวัดมุกดาหาร',
      number,
      receivedOn,
      'ยื่นด้วยตนเองที่ศูนย์',
      'ขอความช่วยเหลือ',
      fields.fullName,
      '1-1017-00230-70-8',
      '081-234-1234',
      fields.address,
      fields.subject,
      '15 พฤศจิกายน 2569',
      'ชุมชนริมโขง · ต.มุกดาหาร อ.เมืองมุกดาหาร จ.มุกดาหาร',
      fields.story,
      fields.request,
      'บัตรประชาชน.jpg',
      'ลงชื่อ',
      '(สมศรี ใจดี)',
      'เจ้าหน้าที่ผู้รับเรื่อง',
      `ติดตาม ${number}`,
    ]) {
      expect(text, expected).toContain(squeeze(expected));
    }
    const [entry] = await server.db.query<{ detail: string }>(`SELECT detail FROM audit_log WHERE action = 'case.print_form' AND target = $1`, [number]);
    expect(JSON.parse(entry!.detail)).toEqual({ personal: true });
  }, 60_000);
});
