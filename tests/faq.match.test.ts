import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { faqMatcher, isGenericKeyword, matchFaq, parseFaqDefaults, scoreFaq, FaqDefaultsInvalidError, type FaqDefault } from '../faq';
import { faqEntryInput } from '../faq/schema';

const DEFAULTS_PATH = fileURLToPath(new URL('../faq/defaults.yaml', import.meta.url));
const defaults = parseFaqDefaults(readFileSync(DEFAULTS_PATH, 'utf8'), DEFAULTS_PATH);
const keyOf = (text: string, locale: 'th' | 'en' = /[\u0E00-\u0E7F]/.test(text) ? 'th' : 'en') =>
  matchFaq(text, defaults, locale)?.entry.key ?? null;

describe('the shipped FAQ defaults', () => {
  it('has 10 to 12 entries, each with a unique key', () => {
    expect(defaults.length).toBeGreaterThanOrEqual(10);
    expect(defaults.length).toBeLessThanOrEqual(12);
    expect(new Set(defaults.map((d) => d.key)).size).toBe(defaults.length);
  });

  it('answers in polite Thai (ค่ะ) and in English, short enough for a phone screen', () => {
    for (const d of defaults) {
      expect(d.answer.th, d.key).toMatch(/ค่ะ/);
      expect(d.answer.en, d.key).not.toMatch(/[\u0E00-\u0E7F]/);
      expect(d.answer.th.length, d.key).toBeLessThanOrEqual(320);
      expect(d.answer.en.length, d.key).toBeLessThanOrEqual(400);
    }
  });

  it('states the facts a District Damrongdhama Center gives', () => {
    const th = (key: string) => defaults.find((d) => d.key === key)!.answer.th;
    expect(th('hours')).toContain('08:30–16:30');
    expect(th('hours')).toContain('วันหยุดราชการ');
    expect(th('hotline')).toMatch(/1567.*ฟรี.*24 ชั่วโมง/);
    expect(th('duration')).toContain('15 วัน');
    expect(th('scope')).toMatch(/ศาล/);
    expect(th('scope')).toMatch(/ฎีกา/);
    expect(th('documents')).toContain('สำเนาบัตรประชาชน');
    expect(th('anonymous')).toMatch(/ติดต่อกลับ.*ไม่ได้/);
    expect(th('fees')).toContain('ไม่มีค่าใช้จ่าย');
    expect(th('tracking')).toContain('เลขที่เรื่อง');
    expect(th('privacy')).toContain('ขอลบ');
    expect(th('location')).toContain('ที่ว่าการอำเภอ');
  });

  it('names no province or district of its own: any district runs it', () => {
    const all = JSON.stringify(defaults);
    for (const place of ['มุกดาหาร', 'Mukdahan', 'กรุงเทพ', 'Bangkok']) expect(all).not.toContain(place);
  });
});

describe('matching a citizen’s question to an entry', () => {
  // Typed the way people type in LINE: particles, no spaces, Thai digits, English mixed in, the odd typo.
  const cases: Array<[text: string, expected: string | null]> = [
    ['เปิดกี่โมงคะ', 'hours'],
    ['ศูนย์ดำรงธรรมเปิดวันเสาร์ไหมครับ', 'hours'],
    ['วันอาทิตย์เปิดมั้ยคะ', 'hours'],
    ['ปิดกี่โมงครับผม', 'hours'],
    ['เวลาทำการ', 'hours'],
    ['พรุ่งนี้วันหยุดราชการเปิดไหมค่ะ', 'hours'],
    ['ศูนย์ดำรงธรรมอำเภอเปิดให้บริการวันไหนบ้างคะ', 'hours'],
    ['เปิดเสาร์อาทิตย์ป่าวคับ', 'hours'],
    ['เปิดกี่โมงค้าบ', 'hours'],
    ['office hours?', 'hours'],
    ['what time do you open', 'hours'],
    ['opening hours on saturday', 'hours'],
    ['เบอร์สายด่วนศูนย์ดำรงธรรมเบอร์อะไรครับ', 'hotline'],
    ['โทร1567ได้ไหมคะ', 'hotline'],
    ['ขอเบอร์โทรศูนย์หน่อยครับ', 'hotline'],
    ['ขอเบอร์hotlineหน่อย', 'hotline'],
    ['hotline number pls', 'hotline'],
    ['ศูนย์รับเรื่องอะไรบ้างคะ', 'scope'],
    ['เรื่องที่ขึ้นศาลไปแล้วร้องเรียนได้ไหมครับ', 'scope'],
    ['ศูนย์ดำรงธรรมช่วยอะไรได้บ้างคะ', 'scope'],
    ['ถวายฎีกาต้องทำยังไง', 'scope'],
    ['what does the center handle?', 'scope'],
    ['แจ้งเรื่องไปแล้วกี่วันถึงจะได้คำตอบคะ', 'duration'],
    ['รอนานไหมคะกว่าจะได้ผล', 'duration'],
    ['ใช้เวลากี่วันครับ', 'duration'],
    ['ร้องเรียนแล้วนานมั้ยกว่าจะได้คำตอบ', 'duration'],
    ['how long does it take to get an answer', 'duration'],
    ['ต้องใช้เอกสารอะไรบ้างคะ', 'documents'],
    ['ต้องเอาบัตรประชาชนไปด้วยไหมครับ', 'documents'],
    ['ต้องเตรียมอะไรไปบ้างค่ะ', 'documents'],
    ['ต้องใช้สำเนาบัตรปชช.ไหมคะ', 'documents'],
    ['do i need my ID card?', 'documents'],
    ['แจ้งแบบไม่ระบุชื่อได้ไหม', 'anonymous'],
    ['ไม่อยากบอกชื่อได้มั้ยคะ กลัวโดนแก้แค้น', 'anonymous'],
    ['แจ้งเบาะแสแบบไม่เปิดเผยตัวตนได้ไหมครับ', 'anonymous'],
    ['อยากแจ้งแต่ไม่อยากให้รู้ว่าเป็นใคร', 'anonymous'],
    ['can i report anonymously?', 'anonymous'],
    ['ต้องเสียเงินไหมคะ', 'fees'],
    ['มีค่าธรรมเนียมไหมครับ', 'fees'],
    ['มีค่าใช้จ่ายมั้ยครับ', 'fees'],
    ['ฟรีไหมคะ', 'fees'],
    ['โทร ๑๕๖๗ เสียเงินไหมคะ', 'fees'],
    ['is it free?', 'fees'],
    ['Is there a fee', 'fees'],
    ['จะติดตามเรื่องยังไงคะ', 'tracking'],
    ['เรื่องที่แจ้งไว้ถึงไหนแล้วครับ', 'tracking'],
    ['เช็คสถานะเรื่องยังไงคะ', 'tracking'],
    ['how do i check the status of my case', 'tracking'],
    ['ข้อมูลส่วนตัวจะถูกเปิดเผยไหมคะ', 'privacy'],
    ['ขอลบข้อมูลส่วนตัวได้ไหมครับ', 'privacy'],
    ['pdpa', 'privacy'],
    ['ศูนย์อยู่ที่ไหนคะ', 'location'],
    ['ศูนย์ดำรงธรรมอำเภอตั้งอยู่ตรงไหนครับ', 'location'],
    ['ไปติดต่อที่ว่าการอำเภอได้เลยไหม', 'location'],
    ['where is the center?', 'location'],
    ['ยื่นเรื่องได้ทางไหนบ้างคะ', 'channels'],
    ['ส่งจดหมายไปร้องเรียนได้ไหมครับ', 'channels'],
    ['ขอคำปรึกษาเรื่องกฎหมายที่ดินได้ไหมคะ', 'consultation'],
    ['อยากปรึกษาทนายครับ', 'consultation'],
    // The center's name, greetings and particles say nothing about which question is asked.
    ['ศูนย์', null],
    ['ศูนย์ดำรงธรรม', null],
    ['อำเภอ', null],
    ['ได้ไหมคะ', null],
    ['สวัสดีครับ', null],
    ['ขอบคุณค่ะ', null],
    ['hello', null],
    ['ok', null],
    ['555', null],
    ['👍', null],
    ['', null],
    // Stories are for the complaint flow or an officer, even when a word of them is an FAQ keyword.
    ['ไฟถนนหน้าบ้านดับมา3วันแล้วค่ะ', null],
    ['โดนโกงเสียเงินไป5000บาทครับ', null],
    ['น้ำไม่ไหลทั้งหมู่บ้าน', null],
    ['เพื่อนบ้านเปิดเพลงเสียงดังทุกคืน', null],
    ['ถนนพังมีหลุมเยอะมากอันตราย', null],
    ['ขอความช่วยเหลือด่วนค่ะ', null],
    ['มีคนมาบุกรุกที่ดินครับ', null],
    ['ครูที่โรงเรียนตีลูกผมครับ', null],
    ['ลูกไม่ได้ไปโรงเรียนเพราะไม่มีเงินค่ะ', null],
  ];

  it.each(cases)('%s → %s', (text, expected) => {
    expect(keyOf(text)).toBe(expected);
  });

  it('reads keywords of both languages whatever the chat’s language', () => {
    expect(keyOf('office hours', 'th')).toBe('hours');
    expect(keyOf('เปิดกี่โมง', 'en')).toBe('hours');
  });
});

describe('scoring', () => {
  const entry = (question: string, th: string[], en: string[] = []): FaqDefault => ({
    key: question.replace(/\W+/g, '_').toLowerCase() || 'x',
    question: { th: question, en: question },
    answer: { th: `${question} ค่ะ`, en: question },
    keywords: { th, en },
  });

  it('needs more than one word of a question: a keyword, or two question words', () => {
    const entries = [entry('shaded parking lot', [], ['car park']), entry('clean toilets', [], ['restroom'])];
    expect(matchFaq('shaded?', entries, 'en')).toBeNull();
    expect(matchFaq('is the parking shaded?', entries, 'en')?.entry.key).toBe('shaded_parking_lot');
    expect(matchFaq('car park', entries, 'en')?.entry.key).toBe('shaded_parking_lot');
  });

  it('answers nothing when two entries are equally likely', () => {
    const entries = [entry('parking', [], ['car park']), entry('toilets', [], ['restroom'])];
    expect(scoreFaq('car park or restroom?', entries, 'en').map((m) => m.score)).toEqual([2, 2]);
    expect(matchFaq('car park or restroom?', entries, 'en')).toBeNull();
    expect(matchFaq('car park?', entries, 'en')?.entry.key).toBe('parking');
  });

  it('counts a keyword that several entries share for less than one only this entry has', () => {
    const entries = [entry('a', ['เอกสาร', 'บัตรประชาชน']), entry('b', ['เอกสาร']), entry('c', ['เอกสาร'])];
    const [best] = scoreFaq('เอกสารบัตรประชาชน', entries, 'th');
    expect(best?.entry.key).toBe('a');
    expect(best?.score).toBeCloseTo(2 + 2 / 3);
    expect(matchFaq('เอกสาร', entries, 'th')).toBeNull();
  });

  it('gives the center’s own name no weight even when an admin made it a keyword', () => {
    const entries = [{ question: { th: 'x', en: 'x' }, keywords: { th: ['ศูนย์'], en: ['center'] } }];
    expect(scoreFaq('ศูนย์', entries, 'th')).toEqual([]);
    expect(scoreFaq('center', entries, 'en')).toEqual([]);
  });

  it('counts the question’s words in the chat’s language only', () => {
    const entries = [entry('x', ['ไม่เกี่ยว']), { ...entry('y', ['ไม่ใช่']), question: { th: 'ที่จอดรถ ร่มเงา', en: 'shaded parking lot' } }];
    expect(matchFaq('shaded parking', entries, 'en')?.entry.question.en).toBe('shaded parking lot');
    expect(matchFaq('shaded parking', entries, 'th')).toBeNull();
  });

  it('asks more of a story than of a question (a long text without a question mark)', () => {
    const entries = [entry('fees', ['เสียเงิน'])];
    expect(matchFaq('ต้องเสียเงินไหม', entries, 'th')).not.toBeNull();
    expect(matchFaq('เสียเงิน', entries, 'th')).not.toBeNull();
    expect(matchFaq('โดนแก๊งคอลเซ็นเตอร์หลอกโอนเสียเงินไปหลายหมื่น', entries, 'th')).toBeNull();
  });

  it('finds a number typed against a Thai word (ICU would glue them)', () => {
    expect(matchFaq('โทร1567', [entry('hotline', ['1567'])], 'th')).not.toBeNull();
  });

  it('finds nothing in no entries', () => {
    expect(matchFaq('เปิดกี่โมง', [], 'th')).toBeNull();
  });
});

describe('faqMatcher, the engine’s FAQ', () => {
  const matcher = faqMatcher(defaults);

  it('answers in the chat’s language', () => {
    expect(matcher.answer('เปิดกี่โมงคะ', 'th')).toBe(defaults.find((d) => d.key === 'hours')!.answer.th);
    expect(matcher.answer('เปิดกี่โมงคะ', 'en')).toBe(defaults.find((d) => d.key === 'hours')!.answer.en);
  });

  it('answers null when no entry is clearly asked about, so the engine can offer an officer', () => {
    expect(matcher.answer('ศูนย์', 'th')).toBeNull();
    expect(matcher.answer('ไฟถนนหน้าบ้านดับ', 'th')).toBeNull();
  });

  it('sees a changed list of entries (a new array) at once', () => {
    const edited = defaults.map((d) => (d.key === 'hours' ? { ...d, answer: { th: 'เปิด 9 โมงค่ะ', en: 'Opens at 9.' } } : d));
    expect(faqMatcher(edited).answer('เปิดกี่โมง', 'th')).toBe('เปิด 9 โมงค่ะ');
    expect(matcher.answer('เปิดกี่โมง', 'th')).toBe(defaults.find((d) => d.key === 'hours')!.answer.th);
  });
});

describe('what an entry must be', () => {
  const valid = { question: { th: 'เปิดกี่โมง', en: 'Hours?' }, answer: { th: 'แปดโมงครึ่งค่ะ', en: '8:30.' }, keywords: { th: ['เปิดกี่โมง'], en: ['hours'] } };
  const errorsOf = (v: unknown) => {
    const r = faqEntryInput.safeParse(v);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts an entry in both languages, trimming and dropping repeated keywords', () => {
    const r = faqEntryInput.parse({ ...valid, keywords: { th: [' เปิดกี่โมง ', 'เปิดกี่โมง'], en: ['Hours', 'hours'] } });
    expect(r.keywords).toEqual({ th: ['เปิดกี่โมง'], en: ['hours'] });
  });

  it('refuses a keyword that cannot tell questions apart, or one ending in a particle matching drops', () => {
    expect(isGenericKeyword('ศูนย์ดำรงธรรม')).toBe(true);
    expect(isGenericKeyword('ได้ไหม')).toBe(true);
    expect(isGenericKeyword('ถึงไหนแล้ว')).toBe(false);
    expect(errorsOf({ ...valid, keywords: { th: ['ศูนย์'], en: ['hours'] } })).toEqual([expect.stringMatching(/^keywords\.th\.0: is a word nearly every question/)]);
    expect(errorsOf({ ...valid, keywords: { th: ['เสียค่า'], en: ['hours'] } })).toEqual([expect.stringMatching(/^keywords\.th\.0: ends in a polite particle/)]);
  });

  it('refuses a missing language, an empty answer, no keywords or too many', () => {
    expect(errorsOf({ ...valid, answer: { th: 'ค่ะ' } })).toEqual(['answer.en: Invalid input: expected string, received undefined']);
    expect(errorsOf({ ...valid, answer: { th: '   ', en: 'x' } })).toEqual(['answer.th: must not be empty']);
    expect(errorsOf({ ...valid, keywords: { th: [], en: ['hours'] } })).toEqual(['keywords.th: give at least one keyword']);
    const many = Array.from({ length: 41 }, (_, i) => `คำที่${i}`);
    expect(errorsOf({ ...valid, keywords: { th: many, en: ['hours'] } })).toEqual(['keywords.th: give at most 40 keywords']);
  });

  it('refuses a defaults file with a repeated key, naming the file and the entry', () => {
    const yaml = `entries:\n${['a', 'a'].map((k) => `  - key: ${k}\n    question: {th: ถาม, en: q}\n    answer: {th: ตอบค่ะ, en: a}\n    keywords: {th: [เอกสาร], en: [documents]}\n`).join('')}`;
    expect(() => parseFaqDefaults(yaml, 'faq.yaml')).toThrow(FaqDefaultsInvalidError);
    expect(() => parseFaqDefaults(yaml, 'faq.yaml')).toThrow(/faq\.yaml[\s\S]*entries\.1\.key: key "a" is used twice/);
    expect(() => parseFaqDefaults('entries: [', 'faq.yaml')).toThrow(/not valid YAML/);
  });
});
