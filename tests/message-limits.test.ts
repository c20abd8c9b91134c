import { describe, expect, it } from 'vitest';
import { MessageLimitError, prepareMessages, splitText } from '../line/message-limits';

const text = (t: string, extra = {}) => ({ type: 'text', text: t, ...extra });

describe('messages are made to fit LINE before they leave', () => {
  it('groups messages five to a request, in order', () => {
    const batches = prepareMessages(Array.from({ length: 12 }, (_, i) => text(`ข้อความ ${i}`)));
    expect(batches.map((b) => b.length)).toEqual([5, 5, 2]);
    expect(batches[2]![1]).toMatchObject({ text: 'ข้อความ 11' });
  });

  it('splits a text over 5,000 characters at a line break, keeping the quick reply on the last piece', () => {
    const long = ('ก'.repeat(99) + '\n').repeat(80);
    const [batch] = prepareMessages([text(long, { quickReply: { items: [{ type: 'action', action: { type: 'message', label: 'ok', text: 'ok' } }] } })]);
    expect(batch!.length).toBe(2);
    expect(Array.from(batch![0]!.text as string).length).toBeLessThanOrEqual(5000);
    expect(batch![0]!.quickReply).toBeUndefined();
    expect(batch![1]!.quickReply).toBeDefined();
    expect(batch!.map((m) => m.text).join('')).toBe(long);
  });

  it('counts characters, not UTF-16 units: emoji are one character each', () => {
    expect(splitText('😀'.repeat(5000))).toHaveLength(1);
    expect(splitText('😀'.repeat(5001))).toHaveLength(2);
  });

  it('keeps at most 13 quick-reply items and shortens labels to 20 characters', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ type: 'action', action: { type: 'message', label: `ตัวเลือกที่ยาวมากมากมากมาก ${i}`, text: `${i}` } }));
    const [[m]] = prepareMessages([text('เลือก', { quickReply: { items } })]) as unknown as [[{ quickReply: { items: Array<{ action: { label: string } }> } }]];
    expect(m.quickReply.items).toHaveLength(13);
    for (const it of m.quickReply.items) expect(Array.from(it.action.label).length).toBeLessThanOrEqual(20);
  });

  it('refuses postback data over 300 characters, in quick replies and deep inside Flex', () => {
    const data = 'x'.repeat(301);
    expect(() => prepareMessages([text('a', { quickReply: { items: [{ type: 'action', action: { type: 'postback', label: 'a', data } }] } })])).toThrow(MessageLimitError);
    const flex = { type: 'flex', altText: 'a', contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'button', action: { type: 'postback', label: 'a', data } }] } } };
    expect(() => prepareMessages([flex])).toThrow(/body\.contents\[0\]\.action\.data/);
  });

  it('refuses empty text and carousels over 12 bubbles', () => {
    expect(() => prepareMessages([text('')])).toThrow(MessageLimitError);
    const bubble = { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'x' }] } };
    expect(() => prepareMessages([{ type: 'flex', altText: 'a', contents: { type: 'carousel', contents: Array(13).fill(bubble) } }])).toThrow(/12 bubbles/);
  });
});
