/**
 * Reads a tracking number the way people type it (the format and check digit: domain/tracking-number.ts).
 */
import { checkDigit, formatTrackingNumber, PREFIX, SEQ_WIDTH, type TrackingNumber } from '../../domain/tracking-number';
import { normalize } from './normalize';
import { fail, ok, type ParseResult } from './result';

export type TrackingNumberReason = 'empty' | 'format' | 'check_digit';

// What people put between the groups: any dash a phone keyboard offers, spaces, dots, slashes, underscores, colons,
// hash signs, and quotes or brackets when they paste the number from the bot's own message.
const SEPARATORS = /[\s\-_.,:;/\\#|\u2010-\u2015\u2212\u30FC"'`\u201C\u201D\u2018\u2019\u00AB\u00BB()[\]{}<>]+/g;
// Thai script is never part of a number: a label in front ("เลขที่", "เลขติดตามเรื่อง") or words after it go.
const LEADING_THAI = /^[\u0E00-\u0E7F\s]+/u;
const TRAILING_THAI = /[\u0E00-\u0E7F\s]+$/u;
// English labels, tried only when the text as typed does not read: "No. NOK-2569-..." is the prefix NOK.
const ENGLISH_LABEL = /^(?:(?:tracking|case|complaint|ref(?:erence)?)\s*)?(?:no\.?|number|num\.?|id|#)?\s*[.:#]?\s*/i;
// The letter O for zero and I or l for one are the usual slips on a phone keyboard; the check digit still guards.
const LOOKALIKE: Record<string, string> = { O: '0', I: '1', L: '1' };

export interface ParseTrackingNumberOptions {
  /** Taken as the prefix when the person typed only the digits (the prefix of this center). */
  defaultPrefix?: string;
}

/**
 * Reads a tracking number the way people type it: Thai or full-width digits, lower case, spaces, missing or extra
 * dashes, a label in front ("เลขที่ MDH 2569 000123 4", "No. MDH-..."), ครับ/ค่ะ after it, a sequence whose leading
 * zeros were left out while its groups are still separated ("MDH-2569-123-4"). Refuses a wrong check digit.
 */
export function parseTrackingNumber(
  text: string,
  opts: ParseTrackingNumberOptions = {},
): ParseResult<TrackingNumber, TrackingNumberReason> {
  const typed = normalize(normalize(text).replace(/[.?!]+$/, ''));
  if (typed === '') return fail('empty');
  const cleaned = typed.toUpperCase().replace(LEADING_THAI, '').replace(TRAILING_THAI, '');
  const first = readNumber(cleaned, opts);
  if (first.ok || first.reason === 'check_digit') return first;
  const unlabelled = cleaned.replace(ENGLISH_LABEL, '');
  return unlabelled === cleaned ? first : readNumber(unlabelled, opts);
}

/** A prefix, then digit groups. */
function readNumber(text: string, opts: ParseTrackingNumberOptions): ParseResult<TrackingNumber, TrackingNumberReason> {
  const firstDigit = text.search(/\d/);
  if (firstDigit < 0) return fail('format');
  // Letters side by side: "NO. MDH" is a label and a prefix, not the prefix NOMDH.
  const head = text.slice(0, firstDigit).replace(/^[^A-Z]+/, '').replace(/[^A-Z]+$/, '');
  const prefix = head === '' ? opts.defaultPrefix : head;
  if (!prefix || !PREFIX.test(prefix)) return fail('format');
  const groups = text
    .slice(firstDigit)
    .replace(/[OIL]/g, (c) => LOOKALIKE[c]!)
    .split(SEPARATORS)
    .filter((g) => g !== '');
  if (!groups.every((g) => /^\d+$/.test(g))) return fail('format');
  const digits = splitDigits(groups);
  if (!digits) return fail('format');
  const { year, seq, check } = digits;
  if (checkDigit(year + seq + check) !== 0) return fail('check_digit');
  const parts = { prefix, yearBE: Number(year), seq: Number(seq) };
  return ok({ ...parts, text: formatTrackingNumber(parts) });
}

/**
 * Year (4 digits), sequence and check digit (1). Separators may fall anywhere, so the digits are read joined;
 * only when exactly three groups were typed and the middle one is short is it taken as a sequence without its
 * leading zeros. A sequence is written in one way only (6 digits, or more without a leading zero), so that the
 * digits the check digit guards are the digits the canonical number shows.
 */
function splitDigits(groups: string[]): { year: string; seq: string; check: string } | null {
  if (groups.length === 3 && groups[0]!.length === 4 && groups[1]!.length < SEQ_WIDTH && groups[2]!.length === 1) {
    return { year: groups[0]!, seq: groups[1]!.padStart(SEQ_WIDTH, '0'), check: groups[2]! };
  }
  const all = groups.join('');
  if (all.length < 4 + SEQ_WIDTH + 1) return null;
  const seq = all.slice(4, -1);
  if (seq.length > SEQ_WIDTH && seq.startsWith('0')) return null;
  if (/^0+$/.test(seq)) return null;
  return { year: all.slice(0, 4), seq, check: all.slice(-1) };
}
