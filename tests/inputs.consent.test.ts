import { describe, expect, it } from 'vitest';
import { parseConsent } from '../flows/inputs';

describe('parseConsent reads consent given', () => {
  it.each([
    ['ยินยอม', 'ยินยอม'],
    ['ยินยอมค่ะ', 'ยินยอมค่ะ'],
    ['ยินยอม with a space before the particle', 'ยินยอม ครับ'],
    ['ให้ความยินยอม', 'ให้ความยินยอม'],
    ['ยอมรับ', 'ยอมรับ'],
    ['ยอมรับครับผม', 'ยอมรับครับผม'],
    ['อนุญาต', 'อนุญาตค่ะ'],
    ['agree', 'agree'],
    ['I agree', 'I agree'],
    ['I Agree with a full stop', 'I Agree.'],
    ['accept', 'Accept'],
    ['I accept', 'I accept'],
    ['consent', 'consent'],
    ['a plain yes (parseYesNo)', 'ใช่'],
    ['ตกลง (parseYesNo)', 'ตกลงค่ะ'],
    ['ok (parseYesNo)', 'OK'],
    ['yes (parseYesNo)', 'yes'],
    ['a bare ครับ (parseYesNo)', 'ครับ'],
    ['a thumbs-up (parseYesNo)', '👍'],
    ['Thai repetition mark', 'ยินยอมๆ'],
  ])('%s', (_name, input) => {
    expect(parseConsent(input)).toEqual({ ok: true, value: true });
  });
});

describe('parseConsent reads consent refused', () => {
  it.each([
    ['ไม่ยินยอม', 'ไม่ยินยอม'],
    ['ไม่ยินยอมค่ะ', 'ไม่ยินยอมค่ะ'],
    ['ไม่ให้ความยินยอม', 'ไม่ให้ความยินยอม'],
    ['ไม่ยอมรับ', 'ไม่ยอมรับ'],
    ['ไม่ยอมรับนะคะ', 'ไม่ยอมรับนะคะ'],
    ['ไม่อนุญาต', 'ไม่อนุญาต'],
    ['disagree', 'disagree'],
    ['I disagree', 'I disagree'],
    ['decline', 'Decline'],
    ['I decline', 'I decline'],
    ["I don't agree", "I don't agree"],
    ['a curly apostrophe', 'I don’t agree'],
    ['do not agree', 'do not agree'],
    ['a plain no (parseYesNo)', 'ไม่'],
    ['ไม่ใช่ (parseYesNo)', 'ไม่ใช่ค่ะ'],
    ['no (parseYesNo)', 'No'],
    ['a thumbs-down (parseYesNo)', '👎'],
  ])('%s', (_name, input) => {
    expect(parseConsent(input)).toEqual({ ok: true, value: false });
  });
});

describe('parseConsent refuses', () => {
  it.each([
    ['an empty answer', '', 'empty'],
    ['only whitespace', ' \u200B ', 'empty'],
    ['ยกเลิก, the global cancel command', 'ยกเลิก', 'unclear'],
    ['a bare คะ, which asks "pardon?"', 'คะ', 'unclear'],
    ['a question about the notice', 'ยินยอมเรื่องอะไรครับ', 'unclear'],
    ['a maybe', 'ขอคิดดูก่อน', 'unclear'],
    ['maybe in English', 'maybe', 'unclear'],
    ['consent inside a sentence', 'ยินยอม แต่ไม่ให้ส่งต่อ', 'unclear'],
    ['a phone number', '0812345678', 'unclear'],
    ['another emoji', '😀', 'unclear'],
  ])('%s', (_name, input, reason) => {
    expect(parseConsent(input)).toEqual({ ok: false, reason });
  });
});
