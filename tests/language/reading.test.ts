import { describe, expect, it } from 'vitest';
import { defaultLanguageModel, INTENTS, LanguageModelError, loadLanguageModel } from '../../language/index';
import { readFileSync } from 'node:fs';

const model = defaultLanguageModel();
const NOW = Date.UTC(2026, 0, 15, 3, 0);

describe('a reading', () => {
  it('has an intent, a confidence, at most three other intents, and facts', () => {
    const r = model.read('ไฟถนนหน้าบ้านดับมา 3 วันแล้ว ผู้ใหญ่บ้านไม่สนใจ', { now: NOW });
    expect(INTENTS).toContain(r.intent);
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(r.alternatives.length).toBeLessThanOrEqual(3);
    expect(r.alternatives.map((a) => a.intent)).not.toContain(r.intent);
    expect(r.intent).toBe('complaint');
    expect(r.facts.when).toEqual({ phrase: 'มา 3 วันแล้ว', date: '2026-01-12', ongoing: true });
    expect(r.facts.about).toBe('ผู้ใหญ่บ้าน');
  });

  it('proposes a category for a complaint, and a subject only when reasonably sure', () => {
    const r = model.read('มีบ่อนการพนันเปิดทุกคืนที่บ้านหลังวัด ตำรวจก็รู้แต่ไม่จับ', { now: NOW });
    expect(r.intent).toBe('complaint');
    expect(r.facts.category).toBeDefined();
    expect(['gambling', undefined]).toContain(r.facts.subject);
  });

  it('is the same for the same text', () => {
    expect(model.read('น้ำประปาไม่ไหล', { now: NOW })).toEqual(model.read('น้ำประปาไม่ไหล', { now: NOW }));
  });
});

describe('structural rules around the classifier', () => {
  it.each([
    ['a bare tracking number', 'MDH-2569-000123-4', 'track'],
    ['a tracking number in a sentence', 'เรื่อง mdh 2569 000123 4 ถึงไหนแล้วครับ', 'track'],
    ['a tracking number in Thai digits', 'MDH-๒๕๖๙-๐๐๐๑๒๓-๔', 'track'],
    ['adding information to a numbered case', 'ขอเพิ่มข้อมูลเรื่อง MDH-2569-000123-4', 'add_info'],
    ['withdrawing a numbered case', 'ขอถอนเรื่อง MDH-2569-000123-4 ค่ะ', 'withdraw'],
    ['laughter', '55555555', 'smalltalk'],
    ['laughter with a plus', '555+', 'smalltalk'],
    ['Thai laughter', 'ฮ่าๆๆๆ', 'smalltalk'],
    ['emoji only', '😂😂😂', 'smalltalk'],
    ['a thumbs up', '👍', 'smalltalk'],
    ['Thai key mashing', 'ฟหกดเ้่าสวง', 'gibberish'],
    ['Latin key mashing', 'asdfghjkl', 'gibberish'],
    ['stray punctuation', '...', 'gibberish'],
    ['an empty message', '   ', 'gibberish'],
  ])('%s → %s', (_, text, intent) => {
    expect(model.read(text).intent).toBe(intent);
  });

  it('puts the canonical tracking number in the facts', () => {
    expect(model.read('ขอถอนเรื่อง mdh-2569-000123-4').facts.trackingNumber).toBe('MDH-2569-000123-4');
  });

  it('reads a long story as a complaint even in words the corpus never saw', () => {
    const r = model.read('เรียนท่านผู้เกี่ยวข้อง ข้าพเจ้าขอร้องเรียนกรณีการก่อสร้างอาคารพาณิชย์สูงเกินกว่าที่กฎหมายกำหนด บดบังแสงแดดและทางลม');
    expect(r.intent).toBe('complaint');
  });
});

describe('loading a model file', () => {
  const good = JSON.parse(readFileSync(new URL('../../language/model.json', import.meta.url), 'utf8'));

  it('loads the committed model', () => {
    expect(() => loadLanguageModel(good)).not.toThrow();
  });

  it.each([
    ['not an object', 42, /not a JSON object/],
    ['another format', { ...good, format: 'other' }, /format/],
    ['another version', { ...good, version: 99 }, /version 99.*nlu:train/],
    ['labels that are not the intents', { ...good, heads: { ...good.heads, intent: { ...good.heads.intent, labels: ['complaint'] } } }, /heads\.intent\.labels/],
    ['weights of the wrong size', { ...good, heads: { ...good.heads, subject: { ...good.heads.subject, weights: 'AAAA' } } }, /heads\.subject\.weights/],
    ['no lexicon', { ...good, lexicon: undefined }, /lexicon/],
  ])('rejects %s with a LanguageModelError saying where', (_, json, message) => {
    let error: unknown;
    try {
      loadLanguageModel(json);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LanguageModelError);
    expect((error as Error).message).toMatch(message);
  });

  it('reads model.json once per process', () => {
    expect(defaultLanguageModel()).toBe(model);
  });
});
