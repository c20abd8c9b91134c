import { describe, expect, it } from 'vitest';
import { normalize, parseEmail, parseNumber, parseText, stripParticles } from '../flows/inputs';

describe('normalize', () => {
  it.each([
    ['Thai digits to ASCII', '๐๑๒๓๔๕๖๗๘๙', '0123456789'],
    ['full-width digits to ASCII', '１２３', '123'],
    ['trims and collapses spaces', '  a   b \n c  ', 'a b c'],
    ['removes zero-width characters', 'a\u200Bb\uFEFFc\u200D', 'abc'],
    ['strips ครับ', 'ได้ครับ', 'ได้'],
    ['strips ครับผม without leaving ผม', 'ได้ครับผม', 'ได้'],
    ['strips ค่ะ after a space', 'ได้ ค่ะ', 'ได้'],
    ['strips นะคะ', 'ได้นะคะ', 'ได้'],
    ['strips นะครับ', 'ได้นะครับ', 'ได้'],
    ['strips จ้า and จ้ะ', 'ได้จ้า', 'ได้'],
    ['strips ค่ะๆ', 'ได้ค่ะๆ', 'ได้'],
    ['strips combinations', 'ได้ นะคะ ค่ะ', 'ได้'],
    ['leaves particles in the middle', 'ครับ ได้', 'ครับ ได้'],
    ['keeps SARA AM (no NFKC)', 'ทำ', 'ทำ'],
  ])('%s', (_name, input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it('stripParticles leaves a word that merely contains a particle alone', () => {
    expect(stripParticles('ครับผมไม่ทราบ')).toBe('ครับผมไม่ทราบ');
  });
});

describe('parseEmail', () => {
  it.each([
    ['a plain address', 'somchai@example.com', 'somchai@example.com'],
    ['a subdomain and plus tag', 'som.chai+line@mail.go.th', 'som.chai+line@mail.go.th'],
    ['an upper-case domain lower-cased, local part kept', 'Somchai@Example.CO.TH', 'Somchai@example.co.th'],
    ['a trailing particle', 'somchai@example.com ครับ', 'somchai@example.com'],
    ['full-width characters', 'ｓｏｍ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'som@example.com'],
  ])('accepts %s', (_name, input, expected) => {
    expect(parseEmail(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['an empty answer', '', 'empty'],
    ['no @', 'somchai.example.com', 'not_an_email'],
    ['no domain dot', 'somchai@example', 'not_an_email'],
    ['two @', 'a@b@example.com', 'not_an_email'],
    ['spaces inside', 'som chai@example.com', 'not_an_email'],
    ['double dots', 'som..chai@example.com', 'not_an_email'],
    ['Thai text', 'ไม่มีอีเมล', 'not_an_email'],
  ])('refuses %s', (_name, input, reason) => {
    expect(parseEmail(input)).toEqual({ ok: false, reason });
  });
});

describe('parseNumber', () => {
  it.each([
    ['an integer', '42', {}, 42],
    ['Thai digits', '๔๒', {}, 42],
    ['thousands separators', '1,500,000', {}, 1500000],
    ['a decimal', '12.5', {}, 12.5],
    ['a negative number', '-3', {}, -3],
    ['a trailing particle', '3 ครับ', {}, 3],
    ['spaces inside', '1 500', {}, 1500],
    ['within bounds', '5', { min: 1, max: 10, integer: true }, 5],
    ['at the bounds', '10', { min: 1, max: 10 }, 10],
  ])('accepts %s', (_name, input, options, expected) => {
    expect(parseNumber(input, options)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['an empty answer', '', {}, 'empty'],
    ['a word', 'สิบ', {}, 'not_a_number'],
    ['a misplaced comma', '1,5', {}, 'not_a_number'],
    ['a unit', '5 บาท', {}, 'not_a_number'],
    ['below min', '0', { min: 1 }, 'too_small'],
    ['above max', '๑๑', { max: 10 }, 'too_large'],
    ['a decimal where an integer is wanted', '2.5', { integer: true }, 'not_integer'],
  ])('refuses %s', (_name, input, options, reason) => {
    expect(parseNumber(input, options)).toEqual({ ok: false, reason });
  });
});

describe('parseText', () => {
  it.each([
    ['trims the ends', '  ถนนชำรุด  ', {}, 'ถนนชำรุด'],
    ['keeps line breaks and particles', 'ถนนชำรุด\nอันตรายมากครับ', {}, 'ถนนชำรุด\nอันตรายมากครับ'],
    ['counts an emoji as one character', '👍👍', { max: 2 }, '👍👍'],
    ['at exactly min', 'abc', { min: 3 }, 'abc'],
  ])('accepts: %s', (_name, input, options, expected) => {
    expect(parseText(input, options)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['an empty answer', '   ', {}, 'empty'],
    ['only zero-width characters', '\u200B\u200B', {}, 'empty'],
    ['shorter than min', 'ab', { min: 3 }, 'too_short'],
    ['longer than max in code points', '👍👍👍', { max: 2 }, 'too_long'],
  ])('refuses %s', (_name, input, options, reason) => {
    expect(parseText(input, options)).toEqual({ ok: false, reason });
  });
});
