import { normalize } from './normalize';
import { fail, ok, type ParseResult } from './result';

export type NationalIdReason = 'empty' | 'not_digits' | 'too_short' | 'too_long' | 'checksum';

/** Check digit of the Thai national ID: (11 - sum(d[i] * (13 - i), i = 0..11) mod 11) mod 10. */
export function nationalIdCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}

/** Accepts 13 digits with spaces, dashes or dots between groups (1-2345-67890-12-1), Thai digits, particles. */
export function parseNationalId(text: string): ParseResult<string, NationalIdReason> {
  const cleaned = normalize(text);
  if (cleaned === '') return fail('empty');
  const digits = cleaned.replace(/[\s\-.\u2010-\u2015]/g, '');
  if (!/^\d+$/.test(digits)) return fail('not_digits');
  if (digits.length < 13) return fail('too_short');
  if (digits.length > 13) return fail('too_long');
  if (nationalIdCheckDigit(digits) !== Number(digits[12])) return fail('checksum');
  return ok(digits);
}
