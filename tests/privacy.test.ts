import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { parseTranscript } from './support/transcript';
import { playOnServer, TestClock } from './support/server-run';
import { DEFAULT_CLOCK } from './support/engine-run';
import { nationalIdCheckDigit } from '../flows/inputs';
import { everythingAtRest } from './support/at-rest';

// A valid national ID and a phone number, typed by a citizen the way people type them.
const ID12 = '110170023070';
const NATIONAL_ID = `${ID12}${nationalIdCheckDigit(ID12)}`;
const PHONE_LOCAL = '0891234567';

/** Every way the two numbers could appear in plain text. */
const needles = [NATIONAL_ID, PHONE_LOCAL, '+66891234567', '66891234567', '891234567', '089-123-4567'];

/** A citizen files a complaint that needs the national ID, and also types both numbers into free text. */
const conversation = `# locale: th
user: ร้องเรียน/แจ้งเรื่อง
user: ขอความเป็นธรรม
user: ยินยอม
user: ถูกนายจ้างเลิกจ้างโดยไม่จ่ายค่าชดเชย ติดต่อกลับที่ ${PHONE_LOCAL}
user [location]: 16.5453 104.7235 ตลาดอินโดจีน
user: ใช่
user: เมื่อวาน
user: บริษัทตัวอย่าง จำกัด
user: ขอให้ได้รับค่าชดเชยตามกฎหมาย
user: ไม่มี
user: สมหญิง รักงาน
user: ${PHONE_LOCAL.slice(0, 3)} ${PHONE_LOCAL.slice(3, 6)} ${PHONE_LOCAL.slice(6)}
user: ${NATIONAL_ID.split('').join(' ')}
user: 7 หมู่ 1 ต.บางทรายใหญ่ อ.เมือง จ.มุกดาหาร
user: ส่งเรื่อง
user: ${NATIONAL_ID}
`;

describe.each(engines())('personal data at rest, on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine, {}, { conversationClock: new TestClock(DEFAULT_CLOCK).now });
    const t = parseTranscript(conversation, 'privacy');
    // Only the storage matters here: what the bot said is checked by the transcripts.
    await playOnServer(server, t, new TestClock(DEFAULT_CLOCK));
  });
  afterAll(async () => server?.stop());

  it('files the case, with the numbers encrypted and readable with the key', async () => {
    const [row] = await server.db.query<{ phone_enc: string; national_id_enc: string; phone_last4: string }>(
      'SELECT phone_enc, national_id_enc, phone_last4 FROM cases',
    );
    expect(row!.phone_enc).toMatch(/^v2:/);
    expect(server.cipher.decrypt(row!.phone_enc)).toBe('+66891234567');
    expect(server.cipher.decrypt(row!.national_id_enc)).toBe(NATIONAL_ID);
    expect(row!.phone_last4).toBe('4567');
  });

  it('keeps no plain national ID or phone number anywhere in the raw database', async () => {
    await server.worker.stop(5000);
    const raw = await everythingAtRest(server);
    expect(raw.length).toBeGreaterThan(10_000);
    // The scan reads real data: the case's Thai text is there, and the story with its number masked.
    expect(raw).toContain('บริษัทตัวอย่าง');
    expect(raw).toContain('ติดต่อกลับที่ 08x-xxx-4567');
    for (const needle of needles) expect(raw.includes(needle), `${needle} found in the database`).toBe(false);
  });
});

describe('the logs', () => {
  it('mask national ID and phone numbers (see tests/logger.test.ts), and the log sources print no slots', () => {
    // Logging calls in the bot's code never pass slots, payloads or answers: a lint-like check of the sources.
    const dirs = ['bot', 'cases', 'flows/engine', 'storage', 'server', 'console/api', 'scheduler'];
    const offenders: string[] = [];
    for (const dir of dirs) {
      for (const file of readdirSync(dir, { recursive: true }) as string[]) {
        if (!file.endsWith('.ts')) continue;
        const text = readFileSync(`${dir}/${file}`, 'utf8');
        for (const m of text.matchAll(/logger\??\.(?:info|warn|error|debug)\(([^;]*)\)/g)) {
          if (/slots|payload|answers|\.text\b|story|phone|nationalId/.test(m[1]!)) offenders.push(`${dir}/${file}: ${m[0].slice(0, 120)}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
