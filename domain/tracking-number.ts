/**
 * A case's tracking number: `MDH-2569-000123-4`, the center's prefix, the Buddhist year the case was filed
 * (Bangkok time), its sequence within that prefix and year (6 digits, wider only past 999,999) and a check digit.
 * Pure, and on the ground floor: the engine, the database and the console all write and check numbers. Allocation
 * lives in cases/tracking-numbers.ts; reading a number as people type it in flows/inputs/tracking-number.ts.
 *
 * The check digit is Damm's (H. Michael Damm, 2004), computed over the digits of year + sequence. Like Verhoeff's
 * it catches every single wrong digit and every swap of two adjacent digits, the two mistakes people make most
 * when they copy a number off a phone screen or read it out over the phone. Damm wins on simplicity: one 10 x 10
 * table and no permutation or inverse tables, and the number with its check digit appended checks to 0. Luhn
 * misses 09 <-> 90; mod 11 (the national ID's rule) either needs an eleventh symbol (X) or, as the national ID
 * does, folds 10 onto 0 and then misses some errors.
 */

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

export const PREFIX = /^[A-Z]{2,5}$/;
export const SEQ_WIDTH = 6;
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
