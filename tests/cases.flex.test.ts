/**
 * The Flex messages of cases: what a citizen reads on the receipt, on one case's timeline and in "my cases", in
 * Thai (Buddhist Era) and English (C.E.), inside LINE's limits, and accepted by the emulator (LINE's OpenAPI).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator';
import { LineApi, LineApiError } from '../line/api';
import { prepareMessages } from '../line/message-limits';
import {
  caseTimelineMessage,
  FLEX_LIMITS,
  myCasesMessage,
  receiptMessage,
  STATUS_COLORS,
} from '../cases/flex';
import { clip, formatCaseDateTime } from '../locales/dates';
import { CASE_STATUSES, BUILT_IN_CATEGORIES as CATEGORIES, type CaseEventView, type CaseStatus, type CaseView } from '../domain/cases';
import type { OutMessage } from '../flows/engine/types';

const MIN = 60_000;
const DAY = 86_400_000;
/** 25 November 2026, 14:05 in Thailand (07:05 UTC). */
const FILED = Date.UTC(2026, 10, 25, 7, 5);

function aCase(over: Partial<CaseView> = {}): CaseView {
  return {
    trackingNumber: 'MDH-2569-000123-4',
    category: 'complaint',
    status: 'received',
    summary: 'ไฟถนนดับหน้าบ้านมาสองสัปดาห์ ซอยข้างวัดศรีมงคล หมู่ 3',
    createdAt: FILED,
    updatedAt: FILED,
    dueAt: FILED + 15 * DAY,
    events: [{ at: FILED, kind: 'created', status: 'received' }],
    ...over,
  };
}

/** A case that has moved along: reviewed, handled with a public note, information added by the citizen. */
function aBusyCase(): CaseView {
  const events: CaseEventView[] = [
    { at: FILED, kind: 'created', status: 'received' },
    { at: FILED + 1 * DAY, kind: 'status', status: 'reviewing' },
    { at: FILED + 2 * DAY, kind: 'info_added' },
    { at: FILED + 3 * DAY + 90 * MIN, kind: 'status', status: 'in_progress', note: 'ประสานการไฟฟ้าส่วนภูมิภาคอำเภอเมืองแล้ว จะเข้าซ่อมภายในสัปดาห์นี้' },
  ];
  return aCase({ status: 'in_progress', updatedAt: FILED + 3 * DAY + 90 * MIN, events });
}

// ---- reading a Flex tree ----------------------------------------------------------------------------------------

type Node = Record<string, unknown>;

function walk(value: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(value)) for (const v of value) walk(v, visit);
  else if (value && typeof value === 'object') {
    visit(value as Node);
    for (const v of Object.values(value)) walk(v, visit);
  }
}

function all(value: unknown, pred: (n: Node) => boolean): Node[] {
  const out: Node[] = [];
  walk(value, (n) => pred(n) && out.push(n));
  return out;
}

const texts = (value: unknown) => all(value, (n) => n.type === 'text').map((n) => n.text as string);
const actions = (value: unknown) => all(value, (n) => typeof n.action === 'object').map((n) => n.action as Node);
const postbacks = (value: unknown) => actions(value).filter((a) => a.type === 'postback');
const bubbles = (m: OutMessage) => {
  const c = m.contents as Node;
  return (c.type === 'carousel' ? c.contents : [c]) as Node[];
};
/** The badge: a box coloured like a status, holding the status's words in white. */
const badges = (value: unknown) =>
  all(value, (n) => n.type === 'box' && Object.values(STATUS_COLORS).includes(n.backgroundColor as string) && Array.isArray(n.contents) && n.contents.length > 0)
    .map((n) => ({ color: n.backgroundColor, text: texts(n)[0] }));

/** LINE's rules that its OpenAPI file does not carry, checked over any message. */
function expectWithinLineLimits(m: OutMessage): void {
  const json = JSON.stringify(m.contents);
  expect(Buffer.byteLength(json), 'Flex JSON bytes').toBeLessThanOrEqual(30 * 1024);
  expect(typeof m.altText === 'string' && m.altText.length > 0 && Array.from(m.altText).length <= 1500).toBe(true);
  expect(bubbles(m).length).toBeLessThanOrEqual(12);
  for (const t of texts(m.contents)) expect(t.trim(), 'no empty text component').not.toBe('');
  for (const a of actions(m.contents)) {
    if (a.label !== undefined) expect(Array.from(a.label as string).length, `label ${a.label}`).toBeLessThanOrEqual(20);
    if (a.type === 'postback') {
      expect((a.data as string).length).toBeLessThanOrEqual(300);
      expect(Array.from(a.displayText as string).length).toBeLessThanOrEqual(300);
    }
  }
  walk(m.contents, (n) => {
    for (const k of ['color', 'backgroundColor', 'borderColor']) if (k in n) expect(n[k]).toMatch(/^#[0-9A-F]{6}$/i);
  });
  // Nothing for bot/message-limits to repair: the message leaves exactly as built.
  expect(prepareMessages([m])).toEqual([[m]]);
}

// ---- the receipt --------------------------------------------------------------------------------------------------

describe('the receipt a citizen gets when a case is filed', () => {
  it('in Thai shows the number big, the category, the time filed and the due date in Buddhist Era', () => {
    const m = receiptMessage(aCase(), 'th');
    const [bubble] = bubbles(m);
    const body = texts(bubble!.body);
    const number = all(bubble, (n) => n.type === 'text' && n.text === 'MDH-2569-000123-4');
    expect(number).toHaveLength(1);
    expect(number[0]).toMatchObject({ size: 'lg', weight: 'bold', align: 'center', wrap: false });
    expect(body).toContain('ร้องเรียน/ร้องทุกข์');
    expect(body).toContain('25 พ.ย. 2569 เวลา 14:05 น.');
    expect(body).toContain('เจ้าหน้าที่จะตรวจสอบและแจ้งความคืบหน้าภายใน 15 วัน');
    expect(body).toContain('ภายในวันที่ 10 ธ.ค. 2569');
    expect(body).toContain('รับเรื่องแล้ว');
    expect(texts(bubble!.header)[0]).toBe('ได้รับเรื่องของท่านแล้ว');
    expect(JSON.stringify(m)).not.toMatch(/2026/);
  });

  it('in English uses the Christian Era and says the same things', () => {
    const m = receiptMessage(aCase({ category: 'assistance' }), 'en');
    const body = texts(bubbles(m)[0]!.body);
    expect(body).toContain('MDH-2569-000123-4');
    expect(body).toContain('Request for assistance');
    expect(body).toContain('25 Nov 2026, 14:05');
    expect(body).toContain('An officer will check it and tell you how it is going within 15 days.');
    expect(body).toContain('By 10 Dec 2026');
    expect(JSON.stringify(m)).not.toMatch(/2569\b(?!-)/);
  });

  it('has a button that tracks this case by its number, and lets the number be copied', () => {
    const [bubble] = bubbles(receiptMessage(aCase(), 'th'));
    const footer = actions(bubble!.footer);
    expect(footer[0]).toEqual({ type: 'postback', label: 'ติดตามเรื่องนี้', data: 'flow=track&number=MDH-2569-000123-4', displayText: 'ติดตามเรื่อง MDH-2569-000123-4' });
    expect(footer[1]).toMatchObject({ type: 'clipboard', clipboardText: 'MDH-2569-000123-4' });
    // The boxed number itself copies on a tap.
    expect(actions(bubble!.body)).toContainEqual(expect.objectContaining({ type: 'clipboard', clipboardText: 'MDH-2569-000123-4' }));
  });

  it('has an altText that is a whole sentence with the number and the dates, and never the story', () => {
    const th = receiptMessage(aCase(), 'th').altText as string;
    expect(th).toBe(
      'ศูนย์ดำรงธรรมอำเภอได้รับเรื่องของท่านแล้ว เลขที่เรื่อง MDH-2569-000123-4 (ร้องเรียน/ร้องทุกข์) ยื่นเมื่อ 25 พ.ย. 2569 เวลา 14:05 น. เจ้าหน้าที่จะแจ้งความคืบหน้าภายในวันที่ 10 ธ.ค. 2569',
    );
    const en = receiptMessage(aCase(), 'en').altText as string;
    expect(en).toMatch(/^The District Damrongdhama Center has received your case\. Tracking number MDH-2569-000123-4 .*by 10 Dec 2026\.$/);
    expect(th).not.toContain('ไฟถนน');
  });

  it('promises the configured number of days when told, and otherwise counts them from the due date', () => {
    expect(texts(receiptMessage(aCase({ dueAt: FILED + 7 * DAY }), 'th').contents)).toContain('เจ้าหน้าที่จะตรวจสอบและแจ้งความคืบหน้าภายใน 7 วัน');
    expect(texts(receiptMessage(aCase(), 'en', { progressNoticeDays: 30 }).contents)).toContain(
      'An officer will check it and tell you how it is going within 30 days.',
    );
  });

  it('reads the date in Thailand time: a case filed at 23:30 on the 25th Thai time is dated the 25th', () => {
    const lateEvening = Date.UTC(2026, 10, 25, 16, 30);
    expect(formatCaseDateTime(lateEvening, 'th')).toBe('25 พ.ย. 2569 เวลา 23:30 น.');
    expect(formatCaseDateTime(lateEvening + 31 * MIN, 'th')).toBe('26 พ.ย. 2569 เวลา 00:01 น.');
    expect(formatCaseDateTime(Date.UTC(2027, 0, 1, 2, 0), 'en')).toBe('1 Jan 2027, 09:00');
  });
});

// ---- one case -----------------------------------------------------------------------------------------------------

describe("one case's timeline", () => {
  it('shows the number, category, the status in plain words on its coloured badge, and the last update', () => {
    const m = caseTimelineMessage(aBusyCase(), 'th');
    const all = texts(m.contents);
    expect(texts(bubbles(m)[0]!.header)).toEqual(['เลขที่เรื่อง', 'MDH-2569-000123-4', 'ร้องเรียน/ร้องทุกข์']);
    expect(badges(m.contents)).toEqual([{ color: STATUS_COLORS.in_progress, text: 'อยู่ระหว่างดำเนินการ' }]);
    expect(all).toContain('เจ้าหน้าที่กำลังช่วยแก้ไขเรื่องของท่านอยู่');
    expect(all).toContain('อัปเดตล่าสุด 28 พ.ย. 2569 เวลา 15:35 น.');
    expect(m.altText).toBe('เรื่องเลขที่ MDH-2569-000123-4 (ร้องเรียน/ร้องทุกข์) สถานะ: อยู่ระหว่างดำเนินการ อัปเดตล่าสุด 28 พ.ย. 2569 เวลา 15:35 น.');
  });

  it.each(CASE_STATUSES.map((s) => [s] as [CaseStatus]))('gives status %s its own words and colour in both languages', (status) => {
    const th = badges(caseTimelineMessage(aCase({ status }), 'th').contents);
    const en = badges(caseTimelineMessage(aCase({ status }), 'en').contents);
    expect(th).toHaveLength(1);
    expect(th[0]!.color).toBe(STATUS_COLORS[status]);
    expect(en[0]!.color).toBe(STATUS_COLORS[status]);
    expect(th[0]!.text).toMatch(/[\u0E00-\u0E7F]/);
    expect(en[0]!.text).toMatch(/^[A-Z][a-z ]+$/);
  });

  it('lists the public timeline newest first with Buddhist-Era dates and the officer note', () => {
    const all = texts(caseTimelineMessage(aBusyCase(), 'th').contents);
    const at = (s: string) => all.indexOf(s);
    expect(at('สถานะ: อยู่ระหว่างดำเนินการ')).toBeGreaterThan(-1);
    expect(at('สถานะ: อยู่ระหว่างดำเนินการ')).toBeLessThan(at('ท่านส่งข้อมูลเพิ่มเติม'));
    expect(at('ท่านส่งข้อมูลเพิ่มเติม')).toBeLessThan(at('สถานะ: กำลังตรวจสอบข้อเท็จจริง'));
    expect(at('สถานะ: กำลังตรวจสอบข้อเท็จจริง')).toBeLessThan(at('ยื่นเรื่อง'));
    expect(all).toContain('ประสานการไฟฟ้าส่วนภูมิภาคอำเภอเมืองแล้ว จะเข้าซ่อมภายในสัปดาห์นี้');
    expect(all).toContain('26 พ.ย. 2569 เวลา 14:05 น.');
    const en = texts(caseTimelineMessage(aBusyCase(), 'en').contents);
    expect(en).toEqual(expect.arrayContaining(['Status: Being handled', 'You added information', 'Case filed', '26 Nov 2026, 14:05']));
  });

  it('names the agency a case went to and why it ended, in the citizen\'s language', () => {
    const events: CaseEventView[] = [
      { at: FILED + DAY, kind: 'status', status: 'forwarded', forwardedTo: 'การไฟฟ้าส่วนภูมิภาคจังหวัดมุกดาหาร' },
      { at: FILED + 2 * DAY, kind: 'status', status: 'ended', reason: 'resolved' },
    ];
    const th = texts(caseTimelineMessage(aCase({ status: 'ended', events }), 'th').contents);
    expect(th).toContain('หน่วยงานที่รับเรื่องต่อ: การไฟฟ้าส่วนภูมิภาคจังหวัดมุกดาหาร');
    expect(th.some((s) => s.startsWith('เหตุผล: '))).toBe(true);
    const en = texts(caseTimelineMessage(aCase({ status: 'ended', events }), 'en').contents);
    expect(en).toEqual(expect.arrayContaining(['Forwarded to: การไฟฟ้าส่วนภูมิภาคจังหวัดมุกดาหาร', expect.stringMatching(/^Reason: \w/)]));
    // An unknown reason code is not shown as a code.
    const odd = texts(caseTimelineMessage(aCase({ status: 'ended', events: [{ at: FILED, kind: 'status', status: 'ended', reason: 'made_up' }] }), 'en').contents);
    expect(odd.some((s) => s.startsWith('Reason'))).toBe(false);
  });

  it('shows at most 8 entries and says how many earlier ones are left out', () => {
    const events = Array.from({ length: 12 }, (_, i): CaseEventView => ({ at: FILED + i * DAY, kind: 'progress_notice' }));
    const m = caseTimelineMessage(aCase({ status: 'in_progress', events }), 'th');
    expect(texts(m.contents).filter((s) => s === 'แจ้งความคืบหน้า')).toHaveLength(8);
    expect(texts(m.contents)).toContain('และอีก 4 รายการก่อนหน้านี้');
    expect(texts(m.contents)).toContain('6 ธ.ค. 2569 เวลา 14:05 น.'); // the newest, day 11
    expect(texts(m.contents)).toContain('29 พ.ย. 2569 เวลา 14:05 น.'); // day 4, the oldest shown
    expect(texts(m.contents)).not.toContain('28 พ.ย. 2569 เวลา 14:05 น.'); // day 3, the newest left out
    expect(texts(caseTimelineMessage(aCase({ events: events.slice(0, 9) }), 'en').contents)).toContain('and 1 earlier update');
  });

  it('names an unknown event kind plainly and shows a case without events by its filing', () => {
    expect(texts(caseTimelineMessage(aCase({ events: [{ at: FILED, kind: 'merged' }] }), 'en').contents)).toContain('Case updated');
    expect(texts(caseTimelineMessage(aCase({ events: [] }), 'th').contents)).toEqual(expect.arrayContaining(['ยื่นเรื่อง', '25 พ.ย. 2569 เวลา 14:05 น.']));
  });

  it('shows the next due date and a follow-up button while open, and neither once closed', () => {
    const open = caseTimelineMessage(aBusyCase(), 'th');
    expect(texts(open.contents)).toContain('จะแจ้งความคืบหน้าครั้งต่อไปภายในวันที่ 10 ธ.ค. 2569');
    expect(postbacks(open.contents)).toEqual([
      { type: 'postback', label: 'เพิ่มข้อมูล/ถอน', data: 'flow=followup&number=MDH-2569-000123-4', displayText: 'เพิ่มข้อมูลหรือถอนเรื่อง MDH-2569-000123-4' },
    ]);
    for (const status of ['ended', 'not_accepted', 'withdrawn'] as const) {
      const closed = caseTimelineMessage(aCase({ status }), 'th');
      expect(texts(closed.contents).some((s) => s.includes('10 ธ.ค. 2569'))).toBe(false);
      expect(postbacks(closed.contents)).toEqual([]);
    }
  });

  it('says a due date has passed when the clock is past it', () => {
    const m = caseTimelineMessage(aBusyCase(), 'en', { now: FILED + 16 * DAY });
    expect(texts(m.contents)).toContain('A progress report was due on 10 Dec 2026. An officer will update you soon.');
  });
});

// ---- my cases -----------------------------------------------------------------------------------------------------

function manyCases(n: number): CaseView[] {
  // Given oldest first on purpose: the carousel must order them itself.
  return Array.from({ length: n }, (_, i) =>
    aCase({
      trackingNumber: `MDH-2569-${String(100 + i).padStart(6, '0')}-${i % 10}`,
      category: CATEGORIES[i % CATEGORIES.length]!,
      status: CASE_STATUSES[i % CASE_STATUSES.length]!,
      createdAt: FILED + i * DAY,
      updatedAt: FILED + i * DAY + 60 * MIN,
      dueAt: FILED + (i + 15) * DAY,
    }),
  );
}

describe('"my cases"', () => {
  it('shows each case newest first with its status badge, last update and a button to its timeline', () => {
    const m = myCasesMessage(manyCases(3), 'th');
    const bs = bubbles(m);
    expect(bs.map((b) => texts(b)[0])).toEqual(['MDH-2569-000102-2', 'MDH-2569-000101-1', 'MDH-2569-000100-0']);
    expect(badges(bs[0])).toEqual([{ color: STATUS_COLORS.in_progress, text: 'อยู่ระหว่างดำเนินการ' }]);
    expect(texts(bs[0])).toContain('อัปเดตล่าสุด 27 พ.ย. 2569 เวลา 15:05 น.');
    expect(postbacks(bs[0])).toEqual([
      { type: 'postback', label: 'ดูความคืบหน้า', data: 'flow=track&number=MDH-2569-000102-2', displayText: 'ติดตามเรื่อง MDH-2569-000102-2' },
    ]);
    expect(m.altText).toBe('เรื่องของท่าน 3 เรื่อง: MDH-2569-000102-2 อยู่ระหว่างดำเนินการ, MDH-2569-000101-1 กำลังตรวจสอบข้อเท็จจริง, MDH-2569-000100-0 รับเรื่องแล้ว');
  });

  it('shows 10 of 15 cases and a last bubble that says 5 more and how to find them', () => {
    const m = myCasesMessage(manyCases(15), 'th');
    const bs = bubbles(m);
    expect(bs).toHaveLength(11);
    expect(texts(bs[0])[0]).toBe('MDH-2569-000114-4');
    expect(texts(bs[9])[0]).toBe('MDH-2569-000105-5');
    expect(texts(bs[10])[0]).toBe('ยังมีเรื่องของท่านอีก 5 เรื่อง');
    expect(texts(bs[10])[1]).toMatch(/^ที่นี่แสดง 10 เรื่องล่าสุด .*พิมพ์เลขที่เรื่อง/);
    expect(postbacks(bs[10])).toEqual([{ type: 'postback', label: 'ติดตามเรื่องอื่น', data: 'flow=track', displayText: 'ติดตามเรื่อง' }]);
    const en = bubbles(myCasesMessage(manyCases(11), 'en'));
    expect(texts(en[10])[0]).toBe('You have 1 more case');
  });

  it('counts the cases it was not given when told the total', () => {
    const bs = bubbles(myCasesMessage(manyCases(11), 'en', { total: 42 }));
    expect(texts(bs[10])[0]).toBe('You have 32 more cases');
    expect(bubbles(myCasesMessage(manyCases(2), 'en', { total: 2 }))).toHaveLength(2);
  });
});

// ---- limits -------------------------------------------------------------------------------------------------------

describe("LINE's limits hold whatever the case holds", () => {
  const longStory = 'ร้องเรียนเรื่องน้ำประปาไม่ไหลมาหลายวันแล้วค่ะ 😢 '.repeat(200);
  const longNote = 'เจ้าหน้าที่ได้ลงพื้นที่ตรวจสอบและประสานหน่วยงานที่เกี่ยวข้องแล้ว 👍🏽 '.repeat(60);
  const busy = aCase({
    summary: longStory,
    status: 'forwarded',
    category: 'official_conduct',
    events: Array.from({ length: 60 }, (_, i): CaseEventView => ({ at: FILED + i * MIN, kind: 'status', status: 'forwarded', note: longNote })),
  });

  it('cuts the story and officers\' notes to a sane length, between whole Thai characters', () => {
    const summary = texts(receiptMessage(busy, 'th').contents).find((s) => s.startsWith('ร้องเรียนเรื่องน้ำประปา'))!;
    expect(Array.from(summary).length).toBeLessThanOrEqual(FLEX_LIMITS.summaryChars);
    expect(summary.endsWith('…')).toBe(true);
    const note = texts(caseTimelineMessage(busy, 'th').contents).find((s) => s.startsWith('เจ้าหน้าที่ได้ลงพื้นที่'))!;
    expect(Array.from(note).length).toBeLessThanOrEqual(FLEX_LIMITS.noteChars);
    // "น้ำ" is three code points; a cut never leaves a bare vowel or tone mark, nor half a skin-toned emoji.
    expect(clip('น้ำน้ำน้ำ', 5)).toBe('น้ำ…');
    expect(clip('ดี👍🏽👍🏽', 4)).toBe('ดี…');
    expect(clip('บรรทัดแรก\n\n  บรรทัดสอง', 50)).toBe('บรรทัดแรก บรรทัดสอง');
  });

  it.each(['th', 'en'] as const)('keeps every message within the limits with long stories, 60 notes and 15 cases (%s)', (locale) => {
    const fifteen = manyCases(15).map((v) => ({ ...v, summary: longStory }));
    for (const m of [receiptMessage(busy, locale), caseTimelineMessage(busy, locale), myCasesMessage(fifteen, locale), myCasesMessage([busy], locale)]) {
      expectWithinLineLimits(m);
    }
  });

  it('stays far below 30 KB: the largest message, measured', () => {
    const sizes = {
      receipt: Buffer.byteLength(JSON.stringify(receiptMessage(busy, 'th').contents)),
      timeline: Buffer.byteLength(JSON.stringify(caseTimelineMessage(busy, 'th').contents)),
      carousel: Buffer.byteLength(JSON.stringify(myCasesMessage(manyCases(15).map((v) => ({ ...v, summary: longStory })), 'th').contents)),
    };
    for (const size of Object.values(sizes)) expect(size).toBeLessThan(30 * 1024);
  });
});

// ---- through the emulator -----------------------------------------------------------------------------------------

describe('LINE accepts every message (the emulator validates against LINE\'s OpenAPI)', () => {
  const TOKEN = 'cases-flex-test-token';
  let em: Emulator;
  let line: LineApi;
  let user: string;

  beforeAll(async () => {
    em = await startEmulator({ channelSecret: 'cases-flex-test-secret', channelAccessToken: TOKEN });
    line = new LineApi({ channelAccessToken: TOKEN, apiBaseUrl: em.url, dataApiBaseUrl: em.url, timeoutMs: 5_000 });
    user = em.addUser({ displayName: 'สมศรี', language: 'th' });
  });
  afterAll(() => em?.close());

  const long = aCase({ summary: 'ถนนชำรุด '.repeat(500), events: Array.from({ length: 20 }, (_, i) => ({ at: FILED + i * DAY, kind: 'note', note: 'แจ้ง '.repeat(300) })) });
  const cases: Array<[string, (l: 'th' | 'en') => OutMessage]> = [
    ['the receipt', (l) => receiptMessage(aCase(), l)],
    ['the receipt of a long story', (l) => receiptMessage(long, l)],
    ['an open case', (l) => caseTimelineMessage(aBusyCase(), l, { now: FILED })],
    ['a long timeline', (l) => caseTimelineMessage(long, l)],
    ['an ended case', (l) => caseTimelineMessage(aCase({ status: 'ended' }), l)],
    ['one case in "my cases"', (l) => myCasesMessage([aCase()], l)],
    ['15 cases in "my cases"', (l) => myCasesMessage(manyCases(15), l)],
  ];

  it.each(cases.flatMap(([name, build]) => (['th', 'en'] as const).map((l) => [`${name} (${l})`, build(l)] as const)))('accepts %s', async (_name, message) => {
    const res = await line.push(user, [message], randomUUID());
    expect(res.status).toBe(200);
    expect(em.delivered(user).at(-1)!.message).toEqual(message);
  });

  it('would refuse a broken bubble: the check has teeth', async () => {
    const broken = receiptMessage(aCase(), 'th');
    ((broken.contents as Node).footer as Node).layout = 'diagonal';
    const err = await line.push(user, [broken], randomUUID()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LineApiError);
    expect((err as LineApiError).status).toBe(400);
  });
});
