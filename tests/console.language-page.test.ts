/**
 * The pure parts of the console's language page: what one click adds a kept message as (the reading's intent; for
 * a corrected proposal, what the citizen chose), the body it sends, the reading in words, and the list's filters
 * in the address.
 */
import { describe, expect, it } from 'vitest';
import { exampleBody, proposedLabel, readingText, sampleFiltersOf, sampleSearchOf } from '../console/web/src/pages/Language';
import { translator } from '../console/web/src/i18n';

describe("the language page's one click", () => {
  it("proposes the reading's intent", () => {
    expect(proposedLabel({ intent: 'greeting', correction: null })).toEqual({ intent: 'greeting' });
    expect(proposedLabel({ intent: 'gibberish', correction: null })).toEqual({ intent: 'gibberish' });
  });

  it('proposes, for a corrected proposal, the complaint with what the citizen chose', () => {
    expect(proposedLabel({ intent: 'complaint', correction: { slot: 'category', proposed: 'complaint', chosen: 'tip_off' } })).toEqual({ intent: 'complaint', category: 'tip_off' });
    expect(proposedLabel({ intent: 'complaint', correction: { slot: 'topic', proposed: 'noise', chosen: 'animals' } })).toEqual({ intent: 'complaint', topic: 'animals' });
    // A correction of another question (staying anonymous) teaches the intent only; an unknown intent is a story.
    expect(proposedLabel({ intent: 'complaint', correction: { slot: 'anonymous', proposed: 'yes', chosen: 'no' } })).toEqual({ intent: 'complaint' });
    expect(proposedLabel({ intent: '', correction: null })).toEqual({ intent: 'complaint' });
  });

  it('sends a category and a topic for a complaint only', () => {
    expect(exampleBody({ intent: 'greeting', category: 'tip_off', topic: 'drugs' })).toEqual({ intent: 'greeting' });
    expect(exampleBody({ intent: 'complaint', category: 'tip_off' })).toEqual({ intent: 'complaint', category: 'tip_off' });
  });

  it('says how the bot read it, in Thai first', () => {
    const th = translator('th');
    const en = translator('en');
    expect(readingText(th, { intent: 'smalltalk', confidence: 0.5238, correction: null })).toBe('อ่านว่า คุยเล่น (มั่นใจ 52%)');
    expect(readingText(en, { intent: 'smalltalk', confidence: 0.5238, correction: null })).toBe('Read as Small talk (52% sure)');
    expect(readingText(th, { intent: 'complaint', confidence: 0, correction: { slot: 'category', proposed: 'complaint', chosen: 'tip_off' } })).toBe(
      'ประเภทเรื่อง: บอทเสนอ “ร้องเรียน/ร้องทุกข์” ประชาชนเลือก “แจ้งเบาะแส”',
    );
  });

  it("keeps the list's filters in the address, new samples by default", () => {
    expect(sampleFiltersOf('')).toEqual({ status: 'new', reason: '', page: 1 });
    const f = { status: 'added', reason: 'corrected', page: 3 } as const;
    expect(sampleFiltersOf(sampleSearchOf(f))).toEqual(f);
    expect(sampleSearchOf({ status: 'new', reason: '', page: 1 })).toBe('');
    expect(sampleFiltersOf('?status=old&reason=x&page=-2')).toEqual({ status: 'new', reason: '', page: 1 });
  });
});
