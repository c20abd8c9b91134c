import { describe, expect, it } from 'vitest';
import { CorpusError, isHeldOut, parseCorpus, splitCorpus } from '../../language/train/corpus';
import { stableStringify, trainModel } from '../../language/train/train';
import { loadLanguageModel } from '../../language/index';

const FILES = [
  { path: 'greeting.txt', content: '# hello\nสวัสดีครับ\nสวัสดีค่ะ\nหวัดดีจ้า\nhello\n\nhi there' },
  { path: 'thanks.txt', content: 'ขอบคุณครับ\nขอบคุณค่ะ\nขอบใจจ้า\nthank you\nthanks a lot' },
  { path: 'track.txt', content: 'เรื่องที่แจ้งไปถึงไหนแล้ว\nติดตามเรื่องครับ\nเรื่องของผมถึงไหนแล้ว\nwhere is my case' },
  { path: 'complaint/road.txt', content: 'ถนนหน้าบ้านเป็นหลุม\nassistance\tขอให้ซ่อมถนนในหมู่บ้าน\nถนนพังมาหลายปีแล้ว' },
  { path: 'complaint/noise.txt', content: 'ร้านคาราโอเกะเสียงดังทุกคืน\nข้างบ้านเปิดเพลงดังทั้งคืน' },
];

describe('the corpus', () => {
  it('reads intents from file names and subject and category from complaint files', () => {
    const examples = parseCorpus(FILES);
    expect(examples.filter((e) => e.intent === 'greeting')).toHaveLength(5);
    expect(examples.find((e) => e.text === 'ขอให้ซ่อมถนนในหมู่บ้าน')).toMatchObject({ intent: 'complaint', subject: 'road', category: 'assistance' });
    expect(examples.find((e) => e.text === 'ถนนหน้าบ้านเป็นหลุม')).toMatchObject({ subject: 'road', category: 'complaint' });
  });

  it.each([
    ['an unknown intent file', [{ path: 'chitchat.txt', content: 'x' }], /unknown intent "chitchat"/],
    ['an unknown subject file', [{ path: 'complaint/weather.txt', content: 'x' }], /unknown subject "weather"/],
    ['an unknown category code', [{ path: 'complaint/road.txt', content: 'urgent\tถนนพัง' }], /road\.txt:1: unknown category "urgent"/],
  ])('rejects %s with a CorpusError naming the line', (_, files, message) => {
    expect(() => parseCorpus(files)).toThrow(CorpusError);
    expect(() => parseCorpus(files)).toThrow(message);
  });

  it('holds out by the text, so the same line lands on the same side wherever it is', () => {
    const { train, test } = splitCorpus(parseCorpus(FILES), 0.5);
    for (const e of test) expect(isHeldOut(e.text, 0.5)).toBe(true);
    for (const e of train) expect(isHeldOut(e.text, 0.5)).toBe(false);
    expect(isHeldOut('ถนนพังมาก', 0.2)).toBe(isHeldOut('ถนนพังมากกกกก', 0.2)); // stretched letters are the same text
  });
});

describe('training', () => {
  it('gives byte-identical model files from two runs', () => {
    const examples = parseCorpus(FILES);
    const a = stableStringify(trainModel(examples, { minCount: 1, epochs: 5 }));
    const b = stableStringify(trainModel(parseCorpus([...FILES].reverse()), { minCount: 1, epochs: 5 }));
    expect(a).toBe(b);
  });

  it('gives a model that loads and reads its own training lines', () => {
    const model = loadLanguageModel(JSON.parse(stableStringify(trainModel(parseCorpus(FILES), { minCount: 1 }))));
    expect(model.read('สวัสดีครับ').intent).toBe('greeting');
    expect(model.read('ขอบคุณครับ').intent).toBe('thanks');
  });

  it('changes with the seed', () => {
    const examples = parseCorpus(FILES);
    expect(stableStringify(trainModel(examples, { minCount: 1, seed: 1 }))).not.toBe(stableStringify(trainModel(examples, { minCount: 1, seed: 2 })));
  });
});
