import { normalize } from './normalize';
import { fail, ok, type ParseResult } from './result';

export type NumberReason = 'empty' | 'not_a_number' | 'not_integer' | 'too_small' | 'too_large';

export interface NumberOptions {
  min?: number;
  max?: number;
  integer?: boolean;
}

// Commas only as thousands separators ("1,500,000"), so "1,5" is refused rather than misread.
const NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/** Thai digits, full-width digits and thousands separators accepted. */
export function parseNumber(text: string, options: NumberOptions = {}): ParseResult<number, NumberReason> {
  const cleaned = normalize(text).replace(/\s+/g, '');
  if (cleaned === '') return fail('empty');
  if (!NUMBER.test(cleaned)) return fail('not_a_number');
  const value = Number(cleaned.replace(/,/g, ''));
  if (!Number.isFinite(value)) return fail('not_a_number');
  if (options.integer && !Number.isInteger(value)) return fail('not_integer');
  if (options.min !== undefined && value < options.min) return fail('too_small');
  if (options.max !== undefined && value > options.max) return fail('too_large');
  return ok(value);
}
