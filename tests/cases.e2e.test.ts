/**
 * A citizen's cases after filing, end to end: the real server on SQLite and PostgreSQL, the citizen in the LINE
 * emulator, the officer through the admin API, and time moved on a clock the conversations and the scheduler share.
 * Expectations are the words the citizen reads (flows/definitions/*.yaml, locales/*), exact where they matter.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutMessage } from '../flows/engine';
import { DataCipher } from '../storage/crypto';
import { formatTrackingNumber, yearBEOf } from '../domain/tracking-number';
import { jobsByKeyPrefix } from '../scheduler/jobs';
import { engines } from './support/databases';
import { startTestServer, TEST_DATA_KEY, type TestServer } from './support/server';
import {
  DAY,
  MINUTE,
  MovableClock,
  deliveredCount,
  fileComplaint,
  follow,
  lines,
  newCitizen,
  officerSets,
  quick,
  received,
  runDueJobs,
  say,
  sendPhoto,
  tap,
  typedLoosely,
} from './support/citizen';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
const cipher = new DataCipher(Buffer.from(TEST_DATA_KEY, 'base64'));

// The words of the flows, as the citizen reads them.
const TRACK = {
  askNumber: 'กรุณาพิมพ์เลขที่เรื่อง เช่น MDH-2569-000123-4 (ดูได้จากใบรับเรื่อง หรือเมนู "เรื่องของฉัน")',
  checkDigit: 'ขออภัยค่ะ ยังอ่านเลขที่เรื่องไม่ได้\nเลขที่เรื่องนี้ไม่ถูกต้อง (ตัวเลขสุดท้ายไม่ตรง) กรุณาตรวจทานอีกครั้ง เช่น MDH-2569-000123-4',
  askLast4: 'เพื่อความปลอดภัยของข้อมูล กรุณาพิมพ์เลข 4 ตัวท้ายของเบอร์โทรศัพท์ที่ให้ไว้ตอนแจ้งเรื่องค่ะ',
  wrong: 'ไม่พบเรื่อง หรือข้อมูลไม่ตรงกันค่ะ กรุณาตรวจสอบเลขที่เรื่องและเบอร์โทรศัพท์อีกครั้ง หรือติดต่อศูนย์ดำรงธรรมอำเภอ',
  locked: 'ตรวจสอบไม่สำเร็จหลายครั้ง เพื่อความปลอดภัยกรุณาลองใหม่ภายหลัง หรือโทรสายด่วน 1567',
  done: 'หากต้องการเพิ่มข้อมูลหรือถอนเรื่อง กดปุ่มในรายละเอียดเรื่องได้เลยค่ะ',
  doneEn: 'To add information or withdraw the case, use the buttons in the case details.',
  /** After the phone check, a case filed another way may be linked to the chat (cases/linking.ts). */
  offerLink: (n: string) =>
    `ต้องการรับแจ้งความคืบหน้าเรื่อง ${n} ทาง LINE นี้ไหมคะ เมื่อเจ้าหน้าที่อัปเดตเรื่อง ระบบจะแจ้งมาที่แชตนี้ และเรื่องจะอยู่ในเมนู "เรื่องของฉัน" (เลิกรับแจ้งได้ทุกเมื่อ)`,
};
const FOLLOWUP = {
  askWhat: 'ต้องการทำอะไรกับเรื่องนี้คะ',
  askInfo: 'พิมพ์ข้อมูลที่ต้องการเพิ่มค่ะ (หรือกด "ข้าม" ถ้ามีเฉพาะรูป)',
  askFiles: 'ส่งรูปภาพหรือไฟล์เพิ่มได้เลยค่ะ แล้วกด "เสร็จแล้ว" หรือ "ไม่มี"',
  oneFile: 'ได้รับแล้ว 1 รายการ ส่งเพิ่มได้อีก หรือกด "เสร็จแล้ว" เมื่อครบ',
  added: (n: string) => `เพิ่มข้อมูลในเรื่อง ${n} แล้วค่ะ เจ้าหน้าที่จะเห็นข้อมูลนี้`,
  confirmWithdraw: 'ยืนยันถอนเรื่องนี้ใช่ไหมคะ เมื่อถอนแล้ว เจ้าหน้าที่จะหยุดดำเนินการ',
  withdrawn: (n: string) => `ถอนเรื่อง ${n} แล้วค่ะ ขอบคุณที่แจ้งให้ทราบ`,
  kept: 'ยังไม่ได้ถอนเรื่องค่ะ เรื่องของท่านยังดำเนินการต่อ',
  closed: 'เรื่องนี้ยุติแล้ว เพิ่มข้อมูลหรือถอนไม่ได้ค่ะ หากต้องการแจ้งเรื่องใหม่ เลือก "ร้องเรียน/แจ้งเรื่อง"',
};
const SURVEY = {
  ask: (n: string) => `เรื่อง ${n} ยุติแล้วค่ะ ท่านพึงพอใจการดำเนินการของศูนย์ดำรงธรรมระดับใด (5 = มากที่สุด)`,
  quick: ['5 มากที่สุด', '4 มาก', '3 ปานกลาง', '2 น้อย', '1 น้อยที่สุด', 'ยกเลิก'],
  askComment: 'มีข้อเสนอแนะเพิ่มเติมไหมคะ (พิมพ์ได้เลย หรือกด "ข้าม")',
  offerReopen: 'ขออภัยที่ผลยังไม่เป็นที่พอใจค่ะ ท่านขอเปิดเรื่องนี้ใหม่ได้ 1 ครั้ง ต้องการเปิดเรื่องใหม่ไหมคะ',
  reopened: (n: string) => `เปิดเรื่อง ${n} ใหม่แล้วค่ะ เจ้าหน้าที่จะตรวจสอบอีกครั้งและแจ้งความคืบหน้าภายใน 15 วัน`,
  thanks: 'ขอบคุณสำหรับความคิดเห็นค่ะ ศูนย์ดำรงธรรมจะนำไปปรับปรุงการบริการ',
};

// Dates as a person reads them, worked out here with Intl rather than with the code under test.
const BANGKOK = 'Asia/Bangkok';
const part = (at: number, locale: string, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone: BANGKOK, ...o }).format(at);
const hhmm = (at: number) => part(at, 'en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** "26 พ.ย. 2569 เวลา 08:43 น.": Buddhist Era. */
const thDateTime = (at: number) => `${part(at, 'th-TH', { day: 'numeric', month: 'short', year: 'numeric' })} เวลา ${hhmm(at)} น.`;
/** "26 Nov 2026, 08:43". */
const enDateTime = (at: number) => `${part(at, 'en-GB', { day: 'numeric', month: 'short', year: 'numeric' })}, ${hhmm(at)}`;
/** "26 พฤศจิกายน 2569". */
const thLongDate = (at: number) => part(at, 'th-TH', { day: 'numeric', month: 'long', year: 'numeric' });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const flexJson = (m: OutMessage | undefined) => JSON.stringify((m as { contents?: unknown } | undefined)?.contents ?? null);

describe.each(engines())('a citizen\'s cases after filing, through the webhook and the LINE emulator, on %s', (engine) => {
  let server: TestServer;
  const clock = new MovableClock();

  beforeAll(async () => {
    server = await startTestServer(
      engine,
      { ADMIN_TOKEN, ADMIN_TOKEN_HOLDER: 'e-report-sync', SCHEDULER_POLL_MS: '100', TRACK_MAX_ATTEMPTS: '3', TRACK_LOCKOUT_MINUTES: '30' },
      { conversationClock: clock.now },
    );
  });
  afterAll(async () => server?.stop());
  // Each test begins at the wall clock, where the officer's API stamps its changes.
  beforeEach(() => clock.reset());

  interface CaseRowSeen {
    id: number;
    status: string;
    citizen_id: number | null;
    created_at: number;
    last_public_update_at: number;
    closed_at: number | null;
    reopen_count: number;
  }
  async function caseRow(number: string): Promise<CaseRowSeen> {
    const [row] = await server.db.query<CaseRowSeen>(
      'SELECT id, status, citizen_id, created_at, last_public_update_at, closed_at, reopen_count FROM cases WHERE tracking_number = $1',
      [number],
    );
    if (!row) throw new Error(`no case ${number}`);
    const n = (v: unknown) => (v === null ? null : Number(v));
    return { ...row, id: Number(row.id), created_at: Number(row.created_at), last_public_update_at: Number(row.last_public_update_at), closed_at: n(row.closed_at), reopen_count: Number(row.reopen_count) };
  }
  const timelineAlt = (number: string, status: string, at: number) =>
    `[flex] เรื่องเลขที่ ${number} (ร้องเรียน/ร้องทุกข์) สถานะ: ${status} อัปเดตล่าสุด ${thDateTime(at)}`;
  const outboxRows = async (chatId: string) =>
    Number((await server.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_message WHERE chat_id = $1', [chatId]))[0]!.n);

  let counterSeq = 900_000;
  /** A case an officer typed in at the counter: no LINE user, the phone kept encrypted with its last four digits. */
  async function fileAtCounter(phone: string, story: string): Promise<string> {
    const now = clock.now();
    const number = formatTrackingNumber({ prefix: server.settings.cases.prefix, yearBE: yearBEOf(now), seq: ++counterSeq });
    const no = server.db.dialect === 'sqlite' ? 0 : false;
    const [row] = await server.db.query<{ id: number }>(
      `INSERT INTO cases (tracking_number, citizen_id, channel, category, status, confidential, royal_petition, anonymous, story,
         complainant_name, phone_enc, phone_hash, phone_last4, created_at, updated_at, due_at, last_public_update_at)
       VALUES ($1, NULL, 'walk_in', 'assistance', 'received', $2, $2, $2, $3, 'บุญมี ขยันดี', $4, $5, $6, $7, $7, $8, $7) RETURNING id`,
      [number, no, story, cipher.encrypt(phone), cipher.hash('phone', phone), phone.slice(-4), now, now + 15 * DAY],
    );
    await server.db.query(
      `INSERT INTO case_event (case_id, at, actor_type, actor_id, kind, status_to, public) VALUES ($1, $2, 'officer', 'counter', 'created', 'received', $3)`,
      [Number(row!.id), now, server.db.dialect === 'sqlite' ? 1 : true],
    );
    return number;
  }

  /** A number of the right shape and check digit that no case has. */
  const unknownNumber = () => formatTrackingNumber({ prefix: server.settings.cases.prefix, yearBE: yearBEOf(clock.now()), seq: 777_000 + Math.floor(Math.random() * 1000) });
  /** The same number with its check digit changed: a typo. */
  const withWrongCheckDigit = (number: string) => number.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

  describe('tracking a case', () => {
    it('shows the citizen\'s own case at once, its number typed with Thai digits, spaces and lower case', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');
      const filed = await caseRow(number);

      expect(lines(await say(server, somsri, 'ติดตามเรื่อง'))).toEqual([TRACK.askNumber]);
      const typed = typedLoosely(number);
      expect(typed).toMatch(/^[a-z]+ [๐-๙]{4} [๐-๙]{6} [๐-๙]$/);
      const answer = await say(server, somsri, typed);
      expect(lines(answer)).toEqual([timelineAlt(number, 'รับเรื่องแล้ว', filed.last_public_update_at), TRACK.done]);
      // The timeline offers the follow-ups of an open case.
      expect(flexJson(answer[0])).toContain(`flow=followup&number=${number}`);
    });

    it('reads the timeline to an English-speaking citizen in English, with Common Era dates', async () => {
      const somchai = newCitizen(server, 'en');
      const number = await fileComplaint(server, somchai, 'en');
      const filed = await caseRow(number);

      expect(lines(await say(server, somchai, 'track'))).toEqual(['Please type the tracking number, for example MDH-2569-000123-4 (on your receipt, or under "My cases").']);
      expect(lines(await say(server, somchai, number.replace(/-/g, '')))).toEqual([
        `[flex] Case ${number} (Complaint / grievance): Received, last update ${enDateTime(filed.last_public_update_at)}.`,
        TRACK.doneEn,
      ]);
    });

    it('refuses a number with a wrong check digit kindly and asks again, without counting it as a failed check', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');

      await say(server, somsri, 'ติดตามเรื่อง');
      const refused = await say(server, somsri, withWrongCheckDigit(number));
      expect(lines(refused)).toEqual([TRACK.checkDigit]);
      expect(await server.db.query('SELECT * FROM track_attempt WHERE line_user_id = $1', [somsri])).toEqual([]);
      // Asked again: the right number now goes through.
      expect(lines(await say(server, somsri, number))[1]).toBe(TRACK.done);
    });

    it('answers an unknown number and another citizen\'s number with the same words, even given that citizen\'s real last four digits', async () => {
      const owner = newCitizen(server, 'th', 'เจ้าของเรื่อง');
      const theirs = await fileComplaint(server, owner, 'th', { phone: '089 111 2233' });
      const guesser = newCitizen(server, 'th', 'คนอื่น');

      await say(server, guesser, 'ติดตามเรื่อง');
      const askedForUnknown = await say(server, guesser, unknownNumber());
      const answerForUnknown = await say(server, guesser, '2233');
      await say(server, guesser, 'ติดตามเรื่อง');
      const askedForTheirs = await say(server, guesser, theirs);
      const answerForTheirs = await say(server, guesser, '2233');

      expect(lines(askedForUnknown)).toEqual([TRACK.askLast4]);
      expect(lines(answerForUnknown)).toEqual([TRACK.wrong]);
      // Word for word and button for button: a guessed number reveals nothing.
      expect(askedForTheirs).toEqual(askedForUnknown);
      expect(answerForTheirs).toEqual(answerForUnknown);
      expect(JSON.stringify([...askedForTheirs, ...answerForTheirs])).not.toContain(theirs);
    });

    it('locks the user out after 3 wrong answers, even for a right one, until the lock-out time has passed', async () => {
      const walkIn = await fileAtCounter('+66812341234', 'ขอความช่วยเหลือเรื่องน้ำประปาไม่ไหล');
      const guesser = newCitizen(server, 'th');
      for (const attempt of [1, 2, 3]) {
        await say(server, guesser, 'ติดตามเรื่อง');
        expect(lines(await say(server, guesser, unknownNumber()))).toEqual([TRACK.askLast4]);
        expect(lines(await say(server, guesser, '9999'))).toEqual([attempt < 3 ? TRACK.wrong : TRACK.locked]);
      }
      // The right case, and its right digits would be next: the lock answers before any question.
      await say(server, guesser, 'ติดตามเรื่อง');
      expect(lines(await say(server, guesser, walkIn))).toEqual([TRACK.locked]);

      clock.advance(29 * MINUTE);
      await say(server, guesser, 'ติดตามเรื่อง');
      expect(lines(await say(server, guesser, walkIn))).toEqual([TRACK.locked]);

      clock.advance(2 * MINUTE);
      await say(server, guesser, 'ติดตามเรื่อง');
      expect(lines(await say(server, guesser, walkIn))).toEqual([TRACK.askLast4]);
      const shown = await say(server, guesser, '1234');
      expect(lines(shown)[0]).toMatch(new RegExp(`^\\[flex\\] เรื่องเลขที่ ${walkIn} \\(ขอความช่วยเหลือ\\) สถานะ: รับเรื่องแล้ว`));
    });
  });

  describe('a case filed at the counter', () => {
    it('is shown to anyone who gives the right last four digits of its phone, and to nobody else', async () => {
      const walkIn = await fileAtCounter('+66812341234', 'ขอความช่วยเหลือเรื่องถนนในหมู่บ้านชำรุด');
      const filed = await caseRow(walkIn);
      expect(filed.citizen_id).toBeNull();
      const [stored] = await server.db.query<{ phone_enc: string }>('SELECT phone_enc FROM cases WHERE id = $1', [filed.id]);
      expect(stored!.phone_enc).not.toContain('1234');
      expect(cipher.decrypt(stored!.phone_enc)).toBe('+66812341234');

      const daughter = newCitizen(server, 'th', 'ลูกสาว');
      await say(server, daughter, 'ติดตามเรื่อง');
      expect(lines(await say(server, daughter, walkIn))).toEqual([TRACK.askLast4]);
      expect(lines(await say(server, daughter, '๑๒๓๔'))).toEqual([
        `[flex] เรื่องเลขที่ ${walkIn} (ขอความช่วยเหลือ) สถานะ: รับเรื่องแล้ว อัปเดตล่าสุด ${thDateTime(filed.last_public_update_at)}`,
        TRACK.offerLink(walkIn),
      ]);

      const neighbour = newCitizen(server, 'en', 'Neighbour');
      await say(server, neighbour, 'track');
      expect(lines(await say(server, neighbour, walkIn))).toEqual(['To keep your data safe, please type the last 4 digits of the phone number you gave when filing.']);
      expect(lines(await say(server, neighbour, '1234'))[0]).toBe(
        `[flex] Case ${walkIn} (Request for assistance): Received, last update ${enDateTime(filed.last_public_update_at)}.`,
      );

      const stranger = newCitizen(server, 'th', 'คนแปลกหน้า');
      await say(server, stranger, 'ติดตามเรื่อง');
      await say(server, stranger, walkIn);
      expect(lines(await say(server, stranger, '4321'))).toEqual([TRACK.wrong]);
    });

    it('takes last four digits that begin with a zero', async () => {
      const walkIn = await fileAtCounter('+66898760123', 'ขอความเป็นธรรมเรื่องค่าจ้างค้างจ่าย');
      const caller = newCitizen(server, 'th');
      await say(server, caller, 'ติดตามเรื่อง');
      await say(server, caller, walkIn);
      expect(lines(await say(server, caller, '0123'))[1]).toBe(TRACK.offerLink(walkIn));
    });
  });

  describe('my cases', () => {
    it('lists the citizen\'s own cases newest first, and a tap on one shows its timeline', async () => {
      const somsri = newCitizen(server, 'th');
      const older = await fileComplaint(server, somsri, 'th', { story: 'ถนนหน้าบ้านเป็นหลุมใหญ่ รถล้มบ่อยค่ะ' });
      clock.advance(DAY);
      const newer = await fileComplaint(server, somsri, 'th', { story: 'ขยะไม่มีคนมาเก็บมาสองสัปดาห์แล้วค่ะ' });
      await fileComplaint(server, newCitizen(server, 'th', 'คนอื่น'), 'th');

      const listed = await say(server, somsri, 'เรื่องของฉัน');
      expect(lines(listed)).toEqual([`[flex] เรื่องของท่าน 2 เรื่อง: ${newer} รับเรื่องแล้ว, ${older} รับเรื่องแล้ว`]);
      const bubbles = (listed[0] as unknown as { contents: { type: string; contents: unknown[] } }).contents;
      expect(bubbles.type).toBe('carousel');
      expect(bubbles.contents.map((b) => /[A-Z]{2,5}-\d{4}-\d{6}-\d/.exec(JSON.stringify(b))?.[0])).toEqual([newer, older]);
      expect(JSON.stringify(bubbles.contents[0])).toContain('ขยะไม่มีคนมาเก็บ');

      // "ดูความคืบหน้า" on the first card: the postback carries the number, so no question is asked.
      const shown = await tap(server, somsri, `flow=track&number=${newer}`);
      expect(lines(shown)).toEqual([timelineAlt(newer, 'รับเรื่องแล้ว', (await caseRow(newer)).last_public_update_at), TRACK.done]);
    });

    it('tells a citizen with no case, kindly, how to track one filed elsewhere', async () => {
      expect(lines(await say(server, newCitizen(server, 'th'), 'เรื่องของฉัน'))).toEqual([
        'ยังไม่มีเรื่องที่ท่านแจ้งทาง LINE นี้ค่ะ หากแจ้งที่ศูนย์หรือทางสายด่วน 1567 ใช้เมนู "ติดตามเรื่อง" พร้อมเลขที่เรื่องได้',
      ]);
      expect(lines(await say(server, newCitizen(server, 'en'), 'My cases'))).toEqual([
        'You have not filed a case in this chat yet. For a case filed at the center or on the 1567 hotline, use "Track a case" with its number.',
      ]);
    });
  });

  describe('follow-ups on an open case', () => {
    it('adds information and a photo to the case: a public event on its timeline and an attachment', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');

      expect(lines(await tap(server, somsri, `flow=followup&number=${number}`))).toEqual([FOLLOWUP.askWhat]);
      expect(lines(await say(server, somsri, 'เพิ่มข้อมูล'))).toEqual([FOLLOWUP.askInfo]);
      expect(lines(await say(server, somsri, 'เมื่อคืนไฟดับทั้งซอยเลยค่ะ'))).toEqual([FOLLOWUP.askFiles]);
      expect(lines(await sendPhoto(server, somsri))).toEqual([FOLLOWUP.oneFile]);
      expect(lines(await say(server, somsri, 'เสร็จแล้ว'))).toEqual([FOLLOWUP.added(number)]);

      const { id } = await caseRow(number);
      const events = await server.db.query<{ id: number; kind: string; note: string | null; public: unknown; actor_type: string }>(
        `SELECT id, kind, note, public, actor_type FROM case_event WHERE case_id = $1 AND kind = 'info_added'`,
        [id],
      );
      expect(events.map((e) => ({ ...e, id: Number(e.id), public: Boolean(e.public) }))).toEqual([
        { id: expect.any(Number), kind: 'info_added', note: 'เมื่อคืนไฟดับทั้งซอยเลยค่ะ', public: true, actor_type: 'citizen' },
      ]);
      const attachments = await server.db.query<{ case_event_id: number; media_type: string; content_type: string }>(
        'SELECT case_event_id, media_type, content_type FROM attachment WHERE case_id = $1',
        [id],
      );
      expect(attachments.map((a) => ({ ...a, case_event_id: Number(a.case_event_id) }))).toEqual([
        { case_event_id: Number(events[0]!.id), media_type: 'image', content_type: 'image/jpeg' },
      ]);

      // The citizen sees it on the timeline.
      const timeline = await tap(server, somsri, `flow=track&number=${number}`);
      expect(flexJson(timeline[0])).toContain('ท่านส่งข้อมูลเพิ่มเติม');
    });

    it('withdraws a case only after the citizen confirms, then stops its progress notices', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');

      await tap(server, somsri, `flow=followup&number=${number}`);
      const confirm = await say(server, somsri, 'ถอนเรื่อง');
      expect(lines(confirm)).toEqual([FOLLOWUP.confirmWithdraw]);
      expect(quick(confirm[0]).slice(0, 2)).toEqual(['ยืนยันถอนเรื่อง', 'ไม่ถอน']);
      expect(lines(await say(server, somsri, 'ไม่ถอน'))).toEqual([FOLLOWUP.kept]);
      expect((await caseRow(number)).status).toBe('received');

      await tap(server, somsri, `flow=followup&number=${number}`);
      await say(server, somsri, 'ถอนเรื่อง');
      expect(lines(await say(server, somsri, 'ยืนยันถอนเรื่อง'))).toEqual([FOLLOWUP.withdrawn(number)]);
      const row = await caseRow(number);
      expect(row.status).toBe('withdrawn');
      expect(row.closed_at).not.toBeNull();
      expect((await jobsByKeyPrefix(server.db, `progress:${number}`)).map((j) => j.status)).toEqual(['cancelled']);
      // Withdrawn is not ended: no survey is asked.
      expect(await jobsByKeyPrefix(server.db, `survey:${number}`)).toEqual([]);
    });

    it('refuses more information on a withdrawn case', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');
      await tap(server, somsri, `flow=followup&number=${number}`);
      await say(server, somsri, 'ถอนเรื่อง');
      await say(server, somsri, 'ยืนยันถอนเรื่อง');

      await tap(server, somsri, `flow=followup&number=${number}`);
      await say(server, somsri, 'เพิ่มข้อมูล');
      await say(server, somsri, 'ลืมบอกว่าเสาไฟล้มด้วยค่ะ');
      expect(lines(await say(server, somsri, 'ไม่มี'))).toEqual([FOLLOWUP.closed]);
      await tap(server, somsri, `flow=followup&number=${number}`);
      await say(server, somsri, 'ถอนเรื่อง');
      expect(lines(await say(server, somsri, 'ยืนยันถอนเรื่อง'))).toEqual([FOLLOWUP.closed]);

      const { id } = await caseRow(number);
      expect(await server.db.query(`SELECT id FROM case_event WHERE case_id = $1 AND kind = 'info_added'`, [id])).toEqual([]);
    });
  });

  describe('keeping the citizen informed', () => {
    it('pushes an officer\'s public status change: the status in the citizen\'s words, the note, and the timeline', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');

      const before = deliveredCount(server, somsri);
      await officerSets(server, number, { status: 'in_progress', note: 'ส่งช่างไฟฟ้าไปตรวจแล้ว', public: true }, ADMIN_TOKEN);
      const pushed = await received(server, somsri, before, 2);
      const row = await caseRow(number);
      expect(lines(pushed)).toEqual([
        `ความคืบหน้าเรื่อง ${number}: อยู่ระหว่างดำเนินการ\nหมายเหตุจากเจ้าหน้าที่: ส่งช่างไฟฟ้าไปตรวจแล้ว`,
        timelineAlt(number, 'อยู่ระหว่างดำเนินการ', row.last_public_update_at),
      ]);
      expect(flexJson(pushed[1])).toContain('ส่งช่างไฟฟ้าไปตรวจแล้ว');
      expect(server.emulator.delivered(somsri).slice(before).map((d) => d.via)).toEqual(['push', 'push']);
    });

    it('pushes the change in English to a citizen who wrote in English', async () => {
      const somchai = newCitizen(server, 'en');
      const number = await fileComplaint(server, somchai, 'en');

      const before = deliveredCount(server, somchai);
      await officerSets(server, number, { status: 'forwarded', agency: 'Provincial Electricity Authority, Mukdahan', note: 'Sent to the provincial electricity office', public: true }, ADMIN_TOKEN);
      const row = await caseRow(number);
      expect(lines(await received(server, somchai, before, 2))).toEqual([
        `Update on case ${number}: Sent to the responsible agency\nForwarded to: Provincial Electricity Authority, Mukdahan\nNote from the officer: Sent to the provincial electricity office`,
        `[flex] Case ${number} (Complaint / grievance): Sent to the responsible agency, last update ${enDateTime(row.last_public_update_at)}.`,
      ]);
    });

    it('does not push an internal change, and never shows its note on the citizen\'s timeline', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');
      const queued = await outboxRows(somsri);

      await officerSets(server, number, { status: 'reviewing', note: 'ผู้ร้องเคยร้องเรื่องเดียวกันปีที่แล้ว', public: false }, ADMIN_TOKEN);
      // The change committed before the API answered: nothing was queued for the citizen with it.
      expect(await outboxRows(somsri)).toBe(queued);

      const timeline = await tap(server, somsri, `flow=track&number=${number}`);
      // The status itself is the case's; the internal event and its note are not on the timeline.
      expect(lines(timeline)[0]).toContain('สถานะ: กำลังตรวจสอบข้อเท็จจริง');
      expect(flexJson(timeline[0])).not.toContain('ผู้ร้องเคยร้อง');
      expect(flexJson(timeline[0])).not.toContain('สถานะ: กำลังตรวจสอบข้อเท็จจริง');
    });

    it("holds other systems to the console's rules: a reason to end, an agency to forward, nothing on a closed case", async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');
      const queued = await outboxRows(somsri);
      const post = (body: object) =>
        fetch(`${server.url}/api/admin/cases/${encodeURIComponent(number)}/status`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'x-actor': 'e-report-sync' },
          body: JSON.stringify(body),
        });

      const noReason = await post({ status: 'ended', public: true });
      expect(noReason.status).toBe(400);
      expect(await noReason.json()).toMatchObject({ problem: 'reason_required', allowed: expect.arrayContaining(['resolved']) });
      expect((await post({ status: 'ended', public: true, reason: 'monarchy' })).status).toBe(400); // a reason for not accepting
      expect(await (await post({ status: 'forwarded', public: true })).json()).toMatchObject({ problem: 'agency_required' });
      expect((await post({ status: 'received', public: true })).status).toBe(409); // already received
      expect(await outboxRows(somsri)).toBe(queued);
      expect((await caseRow(number)).status).toBe('received');

      expect((await post({ status: 'not_accepted', public: false, reason: 'anonymous_without_facts' })).status).toBe(200);
      const closed = await post({ status: 'in_progress', public: true });
      expect(closed.status).toBe(409);
      expect(await closed.json()).toMatchObject({ problem: 'closed' });
    });

    it('pushes a progress notice after 15 days without news, once, and the next 15 days later', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');
      const filed = await caseRow(number);
      const notice = `แจ้งความคืบหน้าเรื่อง ${number} (แจ้งเมื่อ ${thLongDate(filed.created_at)}): ขณะนี้ รับเรื่องแล้ว เจ้าหน้าที่ยังดำเนินการอยู่ จะแจ้งให้ทราบอีกครั้งเมื่อมีความคืบหน้า`;

      clock.advance(14 * DAY);
      let before = deliveredCount(server, somsri);
      await runDueJobs(server, `progress:${number}`, clock.now, somsri);
      expect(deliveredCount(server, somsri)).toBe(before);

      clock.advance(DAY + MINUTE);
      await runDueJobs(server, `progress:${number}`, clock.now, somsri);
      expect(lines(await received(server, somsri, before, 1))).toEqual([notice]);
      const [job] = await jobsByKeyPrefix(server.db, `progress:${number}`);
      expect(job!.status).toBe('pending');
      expect(job!.runAt).toBeGreaterThanOrEqual(filed.created_at + 30 * DAY);
      expect(job!.runAt).toBeLessThan(clock.now() + 15 * DAY + MINUTE);

      // Woken again at the same time: nothing more is sent.
      before = deliveredCount(server, somsri);
      await runDueJobs(server, `progress:${number}`, clock.now, somsri);
      server.scheduler.wake();
      await sleep(300);
      expect(deliveredCount(server, somsri)).toBe(before);
      const notices = async () =>
        (await server.db.query(`SELECT id FROM case_event WHERE case_id = $1 AND kind = 'progress_notice'`, [filed.id])).length;
      expect(await notices()).toBe(1);

      clock.advance(15 * DAY);
      await runDueJobs(server, `progress:${number}`, clock.now, somsri);
      expect(lines(await received(server, somsri, before, 1))).toEqual([notice]);
      expect(await notices()).toBe(2);
    });

    it('starts the 15 days again after an officer\'s public update', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');

      clock.advance(10 * DAY);
      await officerSets(server, number, { status: 'in_progress', public: true }, ADMIN_TOKEN);
      const afterUpdate = deliveredCount(server, somsri) + 2;
      await received(server, somsri, afterUpdate - 2, 2);
      expect(
        (await caseRow(number)).last_public_update_at,
        'the officer\'s update is stamped with the clock the scheduler runs on (server/app.ts: casesAdminRouter gets no `now`)',
      ).toBeGreaterThanOrEqual(clock.now() - MINUTE);

      // Day 15 of the case, day 5 since the officer said something: no notice yet.
      clock.advance(5 * DAY + MINUTE);
      await runDueJobs(server, `progress:${number}`, clock.now, somsri);
      expect(lines(server.emulator.delivered(somsri).slice(afterUpdate).map((d) => d.message as OutMessage))).toEqual([]);

      // Day 15 since the update.
      clock.advance(10 * DAY);
      await runDueJobs(server, `progress:${number}`, clock.now, somsri);
      expect(lines(await received(server, somsri, afterUpdate, 1))[0]).toMatch(new RegExp(`^แจ้งความคืบหน้าเรื่อง ${number} .*ขณะนี้ อยู่ระหว่างดำเนินการ`));
    });
  });

  describe('the end of a case', () => {
    it('pushes the result, then the survey; a citizen not satisfied may reopen the case, once', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');

      let before = deliveredCount(server, somsri);
      await officerSets(server, number, { status: 'ended', note: 'ซ่อมไฟถนนเรียบร้อยแล้ว', public: true, reason: 'resolved' }, ADMIN_TOKEN);
      await runDueJobs(server, `survey:${number}`, clock.now, somsri);
      let pushed = await received(server, somsri, before, 3);
      let row = await caseRow(number);
      expect(lines(pushed)).toEqual([
        `ความคืบหน้าเรื่อง ${number}: ยุติเรื่องแล้ว\nเหตุผล: ได้แก้ไขปัญหาให้แล้ว\nหมายเหตุจากเจ้าหน้าที่: ซ่อมไฟถนนเรียบร้อยแล้ว`,
        timelineAlt(number, 'ยุติเรื่องแล้ว', row.last_public_update_at),
        SURVEY.ask(number),
      ]);
      expect(quick(pushed[2])).toEqual(SURVEY.quick);
      // An ended case takes no more follow-ups: its timeline has no button for them.
      expect(flexJson(pushed[1])).not.toContain('flow=followup');

      expect(lines(await say(server, somsri, '2 น้อย'))).toEqual([SURVEY.askComment]);
      expect(lines(await say(server, somsri, 'ช่วยแก้ให้เร็วกว่านี้ค่ะ ไฟดับอีกแล้ว'))).toEqual([SURVEY.offerReopen]);
      const responses = await server.db.query<{ rating: number; comment: string; subject: string }>(
        'SELECT rating, comment, subject FROM survey_response WHERE case_id = $1',
        [row.id],
      );
      expect(responses.map((r) => ({ ...r, rating: Number(r.rating), comment: server.cipher.reveal(r.comment) }))).toEqual([
        { rating: 2, comment: 'ช่วยแก้ให้เร็วกว่านี้ค่ะ ไฟดับอีกแล้ว', subject: 'case' },
      ]);

      expect(lines(await say(server, somsri, 'เปิดเรื่องใหม่'))).toEqual([SURVEY.reopened(number)]);
      row = await caseRow(number);
      expect({ status: row.status, reopen_count: row.reopen_count, closed_at: row.closed_at }).toEqual({ status: 'reviewing', reopen_count: 1, closed_at: null });
      expect((await jobsByKeyPrefix(server.db, `progress:${number}`))[0]!.status).toBe('pending');

      // Ended again, and again not satisfied: the one reopening is spent.
      before = deliveredCount(server, somsri);
      await officerSets(server, number, { status: 'ended', note: 'ตรวจซ้ำแล้ว ไฟใช้งานได้ปกติ', public: true, reason: 'resolved' }, ADMIN_TOKEN);
      await runDueJobs(server, `survey:${number}`, clock.now, somsri);
      pushed = await received(server, somsri, before, 3);
      expect(lines(pushed)[2]).toBe(SURVEY.ask(number));
      await say(server, somsri, '1 น้อยที่สุด');
      expect(lines(await say(server, somsri, 'ข้าม'))).toEqual([SURVEY.thanks]);
      row = await caseRow(number);
      expect({ status: row.status, reopen_count: row.reopen_count }).toEqual({ status: 'ended', reopen_count: 1 });
      const ratings = await server.db.query<{ rating: number; comment: string | null }>('SELECT rating, comment FROM survey_response WHERE case_id = $1 ORDER BY id', [row.id]);
      expect(ratings.map((r) => [Number(r.rating), server.cipher.reveal(r.comment)])).toEqual([[2, 'ช่วยแก้ให้เร็วกว่านี้ค่ะ ไฟดับอีกแล้ว'], [1, null]]);
    });

    it('does not offer to reopen a case that ended more than 30 days before the answer', async () => {
      const somchai = newCitizen(server, 'en');
      const number = await fileComplaint(server, somchai, 'en');
      const before = deliveredCount(server, somchai);
      await officerSets(server, number, { status: 'ended', public: true, reason: 'resolved' }, ADMIN_TOKEN);
      await runDueJobs(server, `survey:${number}`, clock.now, somchai);
      const pushed = await received(server, somchai, before, 3);
      expect(lines(pushed)[2]).toBe(`Case ${number} has ended. How satisfied are you with how the Damrongdhama Center handled it? (5 = very)`);
      expect(quick(pushed[2])).toEqual(['5 Very satisfied', '4 Satisfied', '3 Neutral', '2 Unsatisfied', '1 Very unsatisfied', 'Cancel']);

      // A month later the citizen comes back to the question.
      clock.advance(31 * DAY);
      expect(lines(await say(server, somchai, '1 Very unsatisfied'))).toEqual(['You were in the middle of "Satisfaction survey". Continue where you left off, or start over?']);
      expect(lines(await say(server, somchai, 'Continue'))[0]).toBe(`Case ${number} has ended. How satisfied are you with how the Damrongdhama Center handled it? (5 = very)`);
      expect(lines(await say(server, somchai, '1 Very unsatisfied'))).toEqual(['Any other comment? (type it, or tap "Skip")']);
      expect(lines(await say(server, somchai, 'Too late to matter now'))).toEqual(['Thank you for your feedback; the center will use it to improve.']);
      const row = await caseRow(number);
      expect({ status: row.status, reopen_count: row.reopen_count }).toEqual({ status: 'ended', reopen_count: 0 });
    });
  });

  describe('my data', () => {
    it('shows what is kept, with the phone number masked', async () => {
      const somsri = newCitizen(server, 'th');
      await follow(server, somsri);
      const number = await fileComplaint(server, somsri, 'th');
      const asked = await say(server, somsri, 'ข้อมูลของฉัน');
      expect(lines(asked)).toEqual(['ท่านต้องการทำอะไรกับข้อมูลส่วนบุคคลของท่านคะ']);
      expect(quick(asked[0]).slice(0, 3)).toEqual(['ดูข้อมูลที่เก็บไว้', 'ขอไฟล์ข้อมูล', 'ขอลบข้อมูล']);

      const summary = await say(server, somsri, 'ดูข้อมูลที่เก็บไว้');
      const [citizen] = await server.db.query<{ first_seen_at: number }>('SELECT first_seen_at FROM citizen WHERE line_user_id = $1', [somsri]);
      expect(lines(summary)).toEqual([
        [
          'ข้อมูลของท่านที่ศูนย์ดำรงธรรมเก็บไว้',
          'ชื่อใน LINE: สมศรี',
          `ติดต่อครั้งแรก: ${thLongDate(Number(citizen!.first_seen_at))}`,
          'ชื่อที่ให้ไว้: สมศรี ใจดี',
          'เบอร์โทร: 08x-xxx-5678 (ปิดบางส่วน)',
          'ที่อยู่: มีบันทึกไว้ (ฉบับเต็มอยู่ในไฟล์ข้อมูล)',
          'เรื่องร้องเรียน 1 เรื่อง (ดำเนินการอยู่ 1 เรื่อง ยุติแล้ว 0 เรื่อง)',
          `เลขที่เรื่อง: ${number}`,
          '',
          'ท่านขอรับสำเนาข้อมูลทั้งหมดเป็นไฟล์ หรือขอให้ลบข้อมูลได้',
        ].join('\n'),
      ]);
      expect(JSON.stringify(summary)).not.toMatch(/2345678|234-5678|234 5678/);
    });

    it('gives a link that shows a page, then downloads the file once', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');
      await say(server, somsri, 'ข้อมูลของฉัน');
      const [text] = lines(await say(server, somsri, 'ขอไฟล์ข้อมูล'));
      const url = /http:\/\/\S+/.exec(text ?? '')?.[0];
      expect(text).toBe(
        `ดาวน์โหลดข้อมูลของท่านได้ที่ลิงก์นี้ภายใน 24 ชั่วโมง ใช้ได้ครั้งเดียว\n${url}\nในไฟล์มีเบอร์โทรและเลขประจำตัวประชาชนของท่าน โปรดอย่าส่งต่อลิงก์นี้ให้ผู้อื่น`,
      );
      expect(url).toMatch(new RegExp(`^${server.url}/my-data/[A-Za-z0-9_-]{43}\\?openExternalBrowser=1$`));

      // Opening the link (or LINE's preview fetching it) spends nothing.
      for (let i = 0; i < 2; i++) {
        const page = await fetch(url!);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<form method="post">');
      }
      const file = await fetch(url!, { method: 'POST' });
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="my-data-\d{4}-\d{2}-\d{2}\.json"$/);
      const doc = (await file.json()) as { cases: Array<{ trackingNumber: string; phone: string }> };
      expect(doc.cases.map((c) => [c.trackingNumber, c.phone])).toEqual([[number, '+66812345678']]);

      expect((await fetch(url!, { method: 'POST' })).status).toBe(410);
      expect((await fetch(url!)).status).toBe(410);
    });

    it('records a deletion request after confirming, and explains that the open case is kept', async () => {
      const somsri = newCitizen(server, 'th');
      const number = await fileComplaint(server, somsri, 'th');
      await say(server, somsri, 'ข้อมูลของฉัน');
      expect(lines(await say(server, somsri, 'ขอลบข้อมูล'))).toEqual([
        'คำขอลบข้อมูลจะส่งให้เจ้าหน้าที่พิจารณา เรื่องที่ยังดำเนินการอยู่หรืออยู่ในระยะเวลาเก็บรักษาตามกฎหมายจะยังลบไม่ได้ ยืนยันส่งคำขอไหมคะ',
      ]);
      const [answer] = lines(await say(server, somsri, 'ยืนยัน'));

      const requests = await server.db.query<{ id: number; kind: string; status: string }>(
        'SELECT r.id, r.kind, r.status FROM data_request r JOIN citizen c ON c.id = r.citizen_id WHERE c.line_user_id = $1',
        [somsri],
      );
      expect(requests.map((r) => [r.kind, r.status])).toEqual([['deletion', 'pending']]);
      expect(answer).toBe(
        [
          `รับคำขอลบข้อมูลของท่านแล้วค่ะ (คำขอเลขที่ ${Number(requests[0]!.id)})`,
          'เจ้าหน้าที่จะพิจารณาและแจ้งผลให้ท่านทราบทางแชทนี้',
          '',
          'เรื่องต่อไปนี้ยังต้องเก็บไว้ตามกฎหมาย จึงยังลบไม่ได้:',
          `• เรื่องเลขที่ ${number}: ยังอยู่ระหว่างดำเนินการ`,
          '',
          'ศูนย์ดำรงธรรมรับเรื่องร้องเรียนตามอำนาจหน้าที่ของรัฐ เรื่องที่ยังดำเนินการอยู่จึงต้องเก็บไว้จนกว่าจะยุติเรื่อง และเรื่องที่ยุติแล้วต้องเก็บไว้ 5 ปีนับจากวันยุติเรื่องเพื่อการตรวจสอบ เมื่อครบกำหนดแล้วจึงลบได้ ข้อมูลอื่นที่ไม่จำเป็นต้องเก็บ เจ้าหน้าที่จะพิจารณาลบให้',
        ].join('\n'),
      );
      // Nothing is deleted by the request itself.
      expect((await caseRow(number)).status).toBe('received');
    });
  });

  describe('questions', () => {
    it('answers a question typed at the menu from the FAQ', async () => {
      const asked = await say(server, newCitizen(server, 'th'), 'เปิดกี่โมงคะ');
      expect(lines(asked)).toEqual([
        'ศูนย์ดำรงธรรมอำเภอเปิดทำการวันจันทร์–ศุกร์ เวลา 08:30–16:30 น. ยกเว้นวันหยุดราชการค่ะ\nส่งเรื่องทางไลน์นี้ได้ตลอด 24 ชั่วโมง เจ้าหน้าที่จะตอบในวันและเวลาราชการค่ะ',
      ]);
      expect(quick(asked[0])).toEqual(['เมนู', 'ติดต่อเจ้าหน้าที่']);
      expect(lines(await say(server, newCitizen(server, 'en'), 'What time do you open?'))).toEqual([
        'The center is open Monday to Friday, 08:30–16:30, except public holidays.\nYou can send your matter here on LINE at any time; officers answer during office hours.',
      ]);
    });

    it('offers an officer when the FAQ has no answer, and hands the chat over', async () => {
      const somsri = newCitizen(server, 'th');
      expect(lines(await say(server, somsri, 'ถาม-ตอบ'))).toEqual(['พิมพ์คำถามได้เลยค่ะ เช่น "เปิดกี่โมง" "ต้องใช้เอกสารอะไร" "แจ้งแบบไม่ระบุชื่อได้ไหม"']);
      const offered = await say(server, somsri, 'ราคาทองวันนี้เท่าไหร่');
      expect(lines(offered)).toEqual(['ขออภัยค่ะ ยังไม่มีคำตอบสำหรับคำถามนี้ ต้องการสอบถามเจ้าหน้าที่โดยตรงไหมคะ']);
      expect(quick(offered[0]).slice(0, 2)).toEqual(['ถามเจ้าหน้าที่', 'ไม่เป็นไร']);
      // When an officer will answer depends on the office hours; how the chat goes back to the bot does not.
      const handedOver = await say(server, somsri, 'ถามเจ้าหน้าที่');
      expect(lines(handedOver)).toEqual([expect.stringMatching(/^รับทราบค่ะ [^]*\nหากต้องการกลับไปใช้ระบบอัตโนมัติ กด "กลับไปที่เมนู"$/)]);
      expect(quick(handedOver[0])).toEqual(['กลับไปที่เมนู']);
      // The button is the FAQ flow's own (not the global "officer" command): the request says it came from the FAQ.
      const handoffs = await server.db.query<{ flow_id: string; reason: string; status: string }>(
        'SELECT flow_id, reason, status FROM handoff_request WHERE chat_id = $1',
        [somsri],
      );
      expect(handoffs).toEqual([{ flow_id: 'faq', reason: 'faq', status: 'waiting' }]);
    });
  });
});
