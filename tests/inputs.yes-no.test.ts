import { describe, expect, it } from 'vitest';
import { parseYesNo } from '../flows/inputs';

describe('parseYesNo reads yes', () => {
  it.each([
    ['ใช่', 'ใช่'],
    ['ใช่ครับ', 'ใช่ครับ'],
    ['ใช่ค่ะ', 'ใช่ค่ะ'],
    ['ใช่ with a space before the particle', 'ใช่ ค่ะ'],
    ['ใช่แล้วครับผม', 'ใช่แล้วครับผม'],
    ['repeated ใช่ๆ', 'ใช่ๆ'],
    ['ถูกต้อง', 'ถูกต้อง'],
    ['ถูกต้องนะคะ', 'ถูกต้องนะคะ'],
    ['ถูก', 'ถูก'],
    ['โอเค', 'โอเค'],
    ['โอเคค่ะ', 'โอเคค่ะ'],
    ['OK in capitals', 'OK'],
    ['okay', 'okay'],
    ['Yes with punctuation', 'Yes!'],
    ['y', 'y'],
    ['ได้ครับ', 'ได้ครับ'],
    ['ตกลง', 'ตกลง'],
    ['ยืนยัน', 'ยืนยัน'],
    ['a thumbs-up', '👍'],
    ['a thumbs-up with a skin tone', '👍🏽'],
    ['a bare ครับ', 'ครับ'],
    ['a bare ค่ะ', 'ค่ะ'],
    ['a bare จ้า', 'จ้า'],
    ['ค่ะๆ', 'ค่ะๆ'],
    ['surrounding whitespace and zero-width spaces', '  ใช่\u200B  '],
  ])('%s', (_name, input) => {
    expect(parseYesNo(input)).toEqual({ ok: true, value: true });
  });
});

describe('parseYesNo reads no', () => {
  it.each([
    ['ไม่', 'ไม่'],
    ['ไม่ครับ', 'ไม่ครับ'],
    ['ไม่ใช่', 'ไม่ใช่'],
    ['ไม่ใช่ค่ะ', 'ไม่ใช่ค่ะ'],
    ['ไม่ใช่ with a space before the particle', 'ไม่ใช่ นะคะ'],
    ['ไม่ถูกต้อง', 'ไม่ถูกต้อง'],
    ['ผิด', 'ผิด'],
    ['ผิดครับ', 'ผิดครับ'],
    ['No in capitals', 'NO'],
    ['n', 'n'],
    ['nope', 'nope'],
    ['ไม่ได้ (not the yes-word ได้)', 'ไม่ได้ค่ะ'],
    ['a thumbs-down', '👎'],
  ])('%s', (_name, input) => {
    expect(parseYesNo(input)).toEqual({ ok: true, value: false });
  });
});

describe('parseYesNo refuses', () => {
  it.each([
    ['an empty answer', '', 'empty'],
    ['only whitespace', '  \u200B ', 'empty'],
    ['ยกเลิก, the global cancel command', 'ยกเลิก', 'unclear'],
    ['ยกเลิกค่ะ', 'ยกเลิกค่ะ', 'unclear'],
    ['a bare คะ, which asks "pardon?"', 'คะ', 'unclear'],
    ['a question back', 'หมายความว่าอะไรครับ', 'unclear'],
    ['a maybe', 'ไม่แน่ใจ', 'unclear'],
    ['yes inside a sentence', 'ใช่ แต่ชื่อผิด', 'unclear'],
    ['a national ID instead of an answer', '1101700203451', 'unclear'],
    ['another emoji', '😀', 'unclear'],
  ])('%s', (_name, input, reason) => {
    expect(parseYesNo(input)).toEqual({ ok: false, reason });
  });
});
