import { normalizeChars } from './normalize';
import { fail, ok, type ParseResult } from './result';

export type TextReason = 'empty' | 'too_short' | 'too_long';

export interface TextOptions {
  min?: number;
  max?: number;
}

/**
 * Free text (a complaint, a name). Only invisible characters are removed and the ends trimmed: particles and line
 * breaks are the person's words. Lengths count code points (Array.from), so an emoji counts once.
 */
export function parseText(text: string, options: TextOptions = {}): ParseResult<string, TextReason> {
  const value = normalizeChars(text);
  if (value === '') return fail('empty');
  const length = Array.from(value).length;
  if (options.min !== undefined && length < options.min) return fail('too_short');
  if (options.max !== undefined && length > options.max) return fail('too_long');
  return ok(value);
}
