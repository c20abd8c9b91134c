/**
 * A case's tracking number: `MDH-2569-000123-4`, the center's prefix, the Buddhist year the case was filed
 * (Bangkok time), its sequence within that prefix and year (6 digits, wider only past 999,999) and a check digit.
 * Pure: allocation lives in storage/tracking-numbers.ts.
 *
 * The check digit is Damm's (H. Michael Damm, 2004), computed over the digits of year + sequence. Like Verhoeff's
 * it catches every single wrong digit and every swap of two adjacent digits, the two mistakes people make most
 * when they copy a number off a phone screen or read it out over the phone. Damm wins on simplicity: one 10 x 10
 * table and no permutation or inverse tables, and the number with its check digit appended checks to 0. Luhn
 * misses 09 <-> 90; mod 11 (the national ID's rule) either needs an eleventh symbol (X) or, as the national ID
 * does, folds 10 onto 0 and then misses some errors.
 */
import { normalize } from '../flows/inputs/normalize';
import { fail, ok, type ParseResult } from '../flows/inputs/result';

export interface TrackingNumberParts {
  /** The center's prefix, 2-5 capital letters (setting CENTER_PREFIX). */
  prefix: string;
  /** Buddhist-Era year the case was filed, Bangkok time: C.E. + 543. */
  yearBE: number;
  /** 1, 2, 3 ... within the prefix and year. */
  seq: number;
}

export interface TrackingNumber extends TrackingNumberParts {
  /** The canonical way to write it, e.g. MDH-2569-000123-4. */
  text: string;
}

export type TrackingNumberReason = 'empty' | 'format' | 'check_digit';

/** Parts that cannot make a tracking number: a programming or configuration error, never a citizen's typo. */
export class TrackingNumberPartsError extends Error {
  constructor(
    readonly parts: TrackingNumberParts,
    reason: string,
  ) {
    super(`cannot make a tracking number from ${JSON.stringify(parts)}: ${reason}`);
    this.name = 'TrackingNumberPartsError';
  }
}

const PREFIX = /^[A-Z]{2,5}$/;
const SEQ_WIDTH = 6;
const BANGKOK_OFFSET_MS = 7 * 60 * 60 * 1000;
const BE_OFFSET = 543;

// Damm's weakly totally anti-symmetric quasigroup of order 10 (the table of his thesis, as usually published).
// Every row and column is a permutation (so a single wrong digit always changes the result) and
// (c*a)*b = (c*b)*a only when a = b (so a swap of two adjacent unequal digits always changes it).
const DAMM: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/** Exported for the test that checks the table's two properties for every possible number, not just samples. */
export const DAMM_TABLE = DAMM;

/** The Damm check digit of a string of ASCII digits. A string that already ends in its check digit gives 0. */
export function checkDigit(digits: string): number {
  if (!/^\d*$/.test(digits)) throw new TypeError(`checkDigit takes ASCII digits only, got ${JSON.stringify(digits)}`);
  let interim = 0;
  for (let i = 0; i < digits.length; i++) interim = DAMM[interim]![digits.charCodeAt(i) - 48]!;
  return interim;
}

/** The Buddhist-Era year at this instant in Bangkok (UTC+7 all year: Thailand has no daylight saving). */
export function yearBEOf(epochMs: number): number {
  return new Date(epochMs + BANGKOK_OFFSET_MS).getUTCFullYear() + BE_OFFSET;
}

/** MDH-2569-000123-4. Throws TrackingNumberPartsError on parts no allocator should produce. */
export function formatTrackingNumber(parts: TrackingNumberParts): string {
  const { prefix, yearBE, seq } = parts;
  if (!PREFIX.test(prefix)) throw new TrackingNumberPartsError(parts, 'the prefix must be 2-5 capital letters');
  if (!Number.isInteger(yearBE) || yearBE < 1000 || yearBE > 9999) {
    throw new TrackingNumberPartsError(parts, 'the year must have 4 digits');
  }
  if (!Number.isSafeInteger(seq) || seq < 1) throw new TrackingNumberPartsError(parts, 'the sequence starts at 1');
  const seqText = String(seq).padStart(SEQ_WIDTH, '0');
  return `${prefix}-${yearBE}-${seqText}-${checkDigit(`${yearBE}${seqText}`)}`;
}

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
