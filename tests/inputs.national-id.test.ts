import { describe, expect, it } from 'vitest';
import { parseNationalId } from '../flows/inputs';

// Independent of the parser's own helper: the published rule, written out again.
function withCheckDigit(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return first12 + String((11 - (sum % 11)) % 10);
}
const THAI = '๐๑๒๓๔๕๖๗๘๙';
const toThai = (s: string) => s.replace(/\d/g, (d) => THAI[Number(d)] ?? d);
const dashed = (id: string) => `${id[0]}-${id.slice(1, 5)}-${id.slice(5, 10)}-${id.slice(10, 12)}-${id[12]}`;

const A = withCheckDigit('110170020345');
const B = withCheckDigit('349900123456');
const C = withCheckDigit('123456789012');
const D = withCheckDigit('000000000000'); // check digit 1
const wrongCheck = (id: string) => id.slice(0, 12) + String((Number(id[12]) + 1) % 10);

describe('parseNationalId accepts', () => {
  it.each([
    ['plain 13 digits', A, A],
    ['another valid ID', B, B],
    ['a third valid ID', C, C],
    ['an all-zero body (check digit 1)', D, D],
    ['the card layout with dashes', dashed(A), A],
    ['spaces between the card groups', dashed(B).replace(/-/g, ' '), B],
    ['dots between groups', dashed(C).replace(/-/g, '.'), C],
    ['space-dash-space separators', dashed(A).replace(/-/g, ' - '), A],
    ['Thai digits', toThai(A), A],
    ['Thai digits with dashes', toThai(dashed(B)), B],
    ['mixed Thai and Arabic digits', toThai(A.slice(0, 6)) + A.slice(6), A],
    ['full-width digits', A.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))), A],
    ['leading and trailing whitespace', `  ${A}\n`, A],
    ['a trailing ครับ', `${A}ครับ`, A],
    ['a trailing ค่ะ after a space', `${A} ค่ะ`, A],
    ['a trailing นะคะ', `${dashed(C)} นะคะ`, C],
    ['zero-width spaces pasted from another app', A.split('').join('\u200B'), A],
    ['irregular grouping', `${B.slice(0, 3)} ${B.slice(3, 9)} ${B.slice(9)}`, B],
    ['en-dashes from a phone keyboard', dashed(C).replace(/-/g, '–'), C],
    ['non-breaking spaces', dashed(A).replace(/-/g, '\u00A0'), A],
  ])('%s', (_name, input, expected) => {
    expect(parseNationalId(input)).toEqual({ ok: true, value: expected });
  });
});

describe('parseNationalId refuses', () => {
  it.each([
    ['an empty answer', '', 'empty'],
    ['only whitespace', '   ', 'empty'],
    ['only a particle', 'ครับ', 'empty'],
    ['a wrong check digit', wrongCheck(A), 'checksum'],
    ['a wrong check digit in Thai digits', toThai(wrongCheck(B)), 'checksum'],
    ['two swapped digits', A.slice(0, 2) + A[3] + A[2] + A.slice(4), 'checksum'],
    ['12 digits', A.slice(0, 12), 'too_short'],
    ['a phone number', '0812345678', 'too_short'],
    ['14 digits', A + '0', 'too_long'],
    ['letters mixed in', `${A.slice(0, 5)}A${A.slice(6)}`, 'not_digits'],
    ['a Thai word', 'ไม่มีบัตร', 'not_digits'],
    ['a label before the number', `เลขบัตร ${A}`, 'not_digits'],
    ['slashes as separators', dashed(A).replace(/-/g, '/'), 'not_digits'],
  ])('%s', (_name, input, reason) => {
    expect(parseNationalId(input)).toEqual({ ok: false, reason });
  });

  // The final "mod 10" folds remainders 10 and 0 together, so a few single-digit typos pass the checksum: the
  // parser is only as strong as the published rule, and the rule (not a stricter one) is what real cards follow.
  it('refuses every single-digit typo except those the mod-10 fold cannot see', () => {
    let refused = 0;
    for (let i = 0; i < 12; i++) {
      const typo = A.slice(0, i) + String((Number(A[i]) + 1) % 10) + A.slice(i + 1);
      const undetectable = withCheckDigit(typo.slice(0, 12)) === typo;
      expect(parseNationalId(typo).ok).toBe(undetectable);
      if (!undetectable) refused++;
    }
    expect(refused).toBeGreaterThanOrEqual(10);
  });
});
