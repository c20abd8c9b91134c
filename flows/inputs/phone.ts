import { normalize } from './normalize';
import { fail, ok, type ParseResult } from './result';

export type PhoneReason = 'empty' | 'not_a_phone' | 'foreign' | 'unknown_prefix' | 'too_short' | 'too_long';

/**
 * Thai phone numbers to E.164. Mobiles: 10 digits starting 06/08/09. Landlines: 9 digits, 02 (Bangkok) or
 * 03x/04x/05x/07x (provinces). International forms +66, 0066 and 66 drop the leading 0 (a stray "(0)" after the
 * country code, as in "+66 (0)81...", is tolerated).
 */
export function parsePhone(text: string): ParseResult<string, PhoneReason> {
  const cleaned = normalize(text);
  if (cleaned === '') return fail('empty');
  const compact = cleaned.replace(/[\s\-.()\u2010-\u2015]/g, '');
  if (!/^\+?\d+$/.test(compact)) return fail('not_a_phone');

  let national: string;
  const international = /^(?:\+|00)(\d+)$/.exec(compact);
  if (international) {
    const rest = international[1] ?? '';
    if (!rest.startsWith('66')) return fail('foreign');
    national = '0' + rest.slice(2).replace(/^0/, '');
  } else if (compact.startsWith('66') && compact.length >= 10) {
    // No local number starts with 6, so a leading 66 can only be the country code.
    national = '0' + compact.slice(2).replace(/^0/, '');
  } else {
    national = compact;
  }

  let length: number;
  if (/^0[689]/.test(national)) length = 10;
  else if (/^0[23457]/.test(national)) length = 9;
  else return fail('unknown_prefix');
  if (national.length < length) return fail('too_short');
  if (national.length > length) return fail('too_long');
  return ok('+66' + national.slice(1));
}
