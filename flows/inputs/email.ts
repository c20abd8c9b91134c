import { normalize } from './normalize';
import { fail, ok, type ParseResult } from './result';

export type EmailReason = 'empty' | 'not_an_email';

// Deliberately plain: one @, a dotted domain with a 2+ letter TLD. Delivery is the real test.
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/i;

/** value keeps the local part as typed (it may be case-sensitive) and lower-cases the domain. */
export function parseEmail(text: string): ParseResult<string, EmailReason> {
  const cleaned = normalize(text);
  if (cleaned === '') return fail('empty');
  if (!EMAIL.test(cleaned) || cleaned.includes('..')) return fail('not_an_email');
  const at = cleaned.lastIndexOf('@');
  return ok(cleaned.slice(0, at) + '@' + cleaned.slice(at + 1).toLowerCase());
}
