/**
 * Training with the field's examples (understanding/training.ts): a stored example becomes a trainer's example
 * (its topic the language layer's subject), every field example is trained on (none held out), the corpus's
 * held-out split measures the model, and the result loads as a language model.
 */
import { describe, expect, it } from 'vitest';
import { loadLanguageModel } from '../language';
import { isHeldOut, parseCorpus } from '../language/train/corpus';
import type { StoredExample } from '../understanding/examples';
import { trainingExample, trainWithExamples } from '../understanding/training';

const stored = (id: number, text: string, e: Partial<StoredExample> = {}): StoredExample => ({
  id,
  text,
  intent: 'greeting',
  category: null,
  topic: null,
  sampleId: null,
  addedBy: 'admin',
  addedAt: 0,
  ...e,
});

const CORPUS = parseCorpus([
  { path: 'greeting.txt', content: ['สวัสดีครับ', 'สวัสดีค่ะ', 'หวัดดีจ้า', 'ดีครับ', 'สวัสดีตอนเช้า', 'หวัดดีค่ะ'].join('\n') },
  { path: 'thanks.txt', content: ['ขอบคุณครับ', 'ขอบคุณมากค่ะ', 'ขอบใจจ้า', 'ขอบคุณนะคะ', 'ขอบคุณมากครับ'].join('\n') },
  { path: 'complaint/road.txt', content: ['ถนนหน้าบ้านเป็นหลุมเป็นบ่อ รถล้มทุกวัน', 'assistance\tขอให้มาซ่อมถนนในหมู่บ้านด้วยค่ะ', 'ถนนพังมาหลายเดือนแล้วไม่มีใครมาซ่อม'].join('\n') },
]);

describe('training with the field examples', () => {
  it("turns a stored example into the trainer's, the topic as its subject", () => {
    expect(trainingExample(stored(7, 'มีบ่อนพนันท้ายซอย', { intent: 'complaint', category: 'tip_off', topic: 'gambling' }))).toEqual({
      text: 'มีบ่อนพนันท้ายซอย',
      intent: 'complaint',
      subject: 'gambling',
      category: 'tip_off',
      source: 'language_example:7',
    });
    expect(trainingExample(stored(8, 'ซูบิดูบา'))).toEqual({ text: 'ซูบิดูบา', intent: 'greeting', source: 'language_example:8' });
  });

  it('trains on every field example and measures on the held-out part of the corpus only', () => {
    // A field example that would fall in the held-out split is trained on all the same.
    const texts = Array.from({ length: 40 }, (_, n) => `ซูบิดูบา ${n} ครั้ง`);
    const field = [stored(1, 'ซูบิดูบา'), stored(2, 'ซูบิดูบาจ้า'), stored(3, texts.find((t) => isHeldOut(t))!)];
    expect(isHeldOut(field[2]!.text)).toBe(true);
    const heldOut = CORPUS.filter((e) => isHeldOut(e.text)).length;
    const r = trainWithExamples(CORPUS, field, { train: { epochs: 5, minCount: 1 } });
    expect(r.fieldExamples).toBe(field.length);
    expect(r.heldOut).toBe(heldOut);
    expect(r.trainedOn).toBe(CORPUS.length - heldOut + field.length);
    expect(r.model.examples).toBe(r.trainedOn);
    if (heldOut > 0) expect(r.accuracy).toBeGreaterThanOrEqual(0);
    else expect(r.accuracy).toBeNull();
    expect(loadLanguageModel(r.model).read('ซูบิดูบา').intent).toBe('greeting');
  });

  it('refuses to train on nothing', () => {
    expect(() => trainWithExamples([], [])).toThrow(/nothing to train on/);
  });
});
