import { describe, expect, it } from 'vitest';
import { checkDigit, DAMM_TABLE, formatTrackingNumber, TrackingNumberPartsError, yearBEOf, type TrackingNumberParts } from '../domain/tracking-number';
import { parseTrackingNumber } from '../flows/inputs/tracking-number';

const THAI = '๐๑๒๓๔๕๖๗๘๙';
const toThai = (s: string) => s.replace(/\d/g, (d) => THAI[Number(d)] ?? d);
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

// The brief's own example; its check digit happens to be 4.
const N = 'MDH-2569-000123-4';

describe('formatTrackingNumber', () => {
  it('writes prefix, Buddhist year, a 6-digit sequence and the check digit', () => {
    expect(formatTrackingNumber({ prefix: 'MDH', yearBE: 2569, seq: 123 })).toBe(N);
    expect(formatTrackingNumber({ prefix: 'MDH', yearBE: 2569, seq: 1 })).toMatch(/^MDH-2569-000001-\d$/);
  });

  it('widens the sequence only past 999,999', () => {
    expect(formatTrackingNumber({ prefix: 'BKK', yearBE: 2570, seq: 999_999 })).toMatch(/^BKK-2570-999999-\d$/);
    expect(formatTrackingNumber({ prefix: 'BKK', yearBE: 2570, seq: 1_000_000 })).toMatch(/^BKK-2570-1000000-\d$/);
    expect(formatTrackingNumber({ prefix: 'BKK', yearBE: 2570, seq: 12_345_678 })).toMatch(/^BKK-2570-12345678-\d$/);
  });

  it.each<[string, TrackingNumberParts]>([
    ['a lower-case prefix', { prefix: 'mdh', yearBE: 2569, seq: 1 }],
    ['a one-letter prefix', { prefix: 'M', yearBE: 2569, seq: 1 }],
    ['a six-letter prefix', { prefix: 'MUKDAH', yearBE: 2569, seq: 1 }],
    ['a five-digit year', { prefix: 'MDH', yearBE: 25690, seq: 1 }],
    ['sequence 0', { prefix: 'MDH', yearBE: 2569, seq: 0 }],
    ['a fractional sequence', { prefix: 'MDH', yearBE: 2569, seq: 1.5 }],
  ])('refuses %s with a TrackingNumberPartsError naming the parts', (_name, parts) => {
    expect(() => formatTrackingNumber(parts)).toThrow(TrackingNumberPartsError);
    expect(() => formatTrackingNumber(parts)).toThrow(JSON.stringify(parts));
  });
});

describe('checkDigit (Damm)', () => {
  it("gives Damm's published example: 572 -> 4, and 5724 checks to 0", () => {
    expect(checkDigit('572')).toBe(4);
    expect(checkDigit('5724')).toBe(0);
  });

  it('refuses anything but ASCII digits', () => {
    expect(() => checkDigit('25a9')).toThrow(TypeError);
    expect(() => checkDigit('๒๕๖๙')).toThrow(TypeError);
  });

  // These two properties of the table are what make the guarantee hold for every number, not just the samples below.
  it('has a table whose rows and columns are permutations: any single wrong digit changes the result', () => {
    for (let i = 0; i < 10; i++) {
      expect(new Set(DAMM_TABLE[i]).size).toBe(10);
      expect(new Set(DAMM_TABLE.map((row) => row[i])).size).toBe(10);
    }
  });

  it('has a weakly totally anti-symmetric table: any swap of two adjacent unequal digits changes the result', () => {
    const op = (a: number, b: number) => DAMM_TABLE[a]![b]!;
    let pairs = 0;
    for (let c = 0; c < 10; c++) {
      for (let a = 0; a < 10; a++) {
        for (let b = 0; b < 10; b++) {
          if (a === b) continue;
          expect(op(op(c, a), b)).not.toBe(op(op(c, b), a));
          pairs++;
        }
      }
      expect(op(c, c)).toBe(0); // so a swap of the last digit with the check digit is caught too
    }
    expect(pairs).toBe(900);
  });
});

describe('yearBEOf', () => {
  it('is the Buddhist year in Bangkok, which turns at midnight UTC+7', () => {
    expect(yearBEOf(Date.parse('2026-12-31T16:59:59.999Z'))).toBe(2569);
    expect(yearBEOf(Date.parse('2026-12-31T17:00:00.000Z'))).toBe(2570);
    expect(yearBEOf(Date.parse('2026-01-01T00:00:00.000Z'))).toBe(2569);
    expect(yearBEOf(Date.parse('2025-12-31T16:59:59.999Z'))).toBe(2568);
  });
});

/** Deterministic sample: edge sequences and years, then pseudo-random ones (a fixed-seed LCG). */
function sample(): TrackingNumberParts[] {
  const fixed: TrackingNumberParts[] = [1, 2, 9, 10, 11, 100, 123, 4567, 10_000, 99_999, 100_000, 909_090, 999_999, 1_000_000, 1_234_567]
    .flatMap((seq) => [2568, 2569, 2570, 2599].map((yearBE) => ({ prefix: 'MDH', yearBE, seq })));
  let s = 20_261_126;
  const next = () => (s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0);
  const random = Array.from({ length: 200 }, () => ({
    prefix: 'KKN',
    yearBE: 2560 + (next() % 40),
    seq: 1 + (next() % (next() % 2 ? 999_999 : 9_999_999)),
  }));
  return [...fixed, ...random];
}

/** The guarded digits of a canonical number (year + sequence + check digit) and the number written from them. */
const digitsOf = (text: string) => text.split('-').slice(1).join('');
const written = (prefix: string, d: string) => `${prefix}-${d.slice(0, 4)}-${d.slice(4, -1)}-${d.slice(-1)}`;
// A sequence is written one way only: a mutation that breaks that is refused as 'format', not 'check_digit'.
const canonicalSeq = (seq: string) => !/^0+$/.test(seq) && (seq.length === 6 || (seq.length > 6 && seq[0] !== '0'));

describe('parseTrackingNumber refuses every typo the check digit is meant to catch', () => {
  const numbers = sample().map((p) => ({ prefix: p.prefix, text: formatTrackingNumber(p) }));

  it('reads back every sampled number unchanged', () => {
    for (const n of numbers) expect(parseTrackingNumber(n.text)).toMatchObject({ ok: true, value: { text: n.text } });
  });

  it('refuses every single-digit substitution at every position, check digit included', () => {
    let expected = 0;
    let refused = 0;
    for (const { prefix, text } of numbers) {
      const d = digitsOf(text);
      expected += d.length * 9;
      for (let i = 0; i < d.length; i++) {
        for (let v = 0; v < 10; v++) {
          if (String(v) === d[i]) continue;
          const typo = d.slice(0, i) + v + d.slice(i + 1);
          const result = parseTrackingNumber(written(prefix, typo));
          const reason = canonicalSeq(typo.slice(4, -1)) ? 'check_digit' : 'format';
          expect(result, `${text} typed as ${written(prefix, typo)}`).toEqual({ ok: false, reason });
          refused++;
        }
      }
    }
    expect(numbers.length).toBe(260);
    expect(refused).toBe(expected);
    expect(refused).toBeGreaterThan(25_000);
    console.info(`tracking numbers: ${refused} single-digit substitutions over ${numbers.length} numbers, all refused`);
  });

  it('refuses every swap of two adjacent unequal digits, across the dashes and with the check digit', () => {
    let expected = 0;
    let refused = 0;
    for (const { prefix, text } of numbers) {
      const d = digitsOf(text);
      for (let i = 0; i + 1 < d.length; i++) {
        if (d[i] === d[i + 1]) continue;
        expected++;
        const typo = d.slice(0, i) + d[i + 1] + d[i] + d.slice(i + 2);
        const result = parseTrackingNumber(written(prefix, typo));
        const reason = canonicalSeq(typo.slice(4, -1)) ? 'check_digit' : 'format';
        expect(result, `${text} typed as ${written(prefix, typo)}`).toEqual({ ok: false, reason });
        refused++;
      }
    }
    expect(refused).toBe(expected);
    expect(refused).toBeGreaterThan(1_500);
    console.info(`tracking numbers: ${refused} adjacent transpositions over ${numbers.length} numbers, all refused`);
  });
});

describe('parseTrackingNumber accepts what people type', () => {
  it.each([
    ['the canonical form', N],
    ['lower case', 'mdh-2569-000123-4'],
    ['mixed case', 'Mdh-2569-000123-4'],
    ['spaces instead of dashes', 'MDH 2569 000123 4'],
    ['no dashes at all', 'MDH25690001234'],
    ['some dashes missing', 'MDH-2569000123-4'],
    ['doubled dashes', 'MDH--2569--000123--4'],
    ['space-dash-space', 'MDH - 2569 - 000123 - 4'],
    ['en dashes from a phone keyboard', 'MDH–2569–000123–4'],
    ['dots', 'MDH.2569.000123.4'],
    ['slashes', 'MDH/2569/000123/4'],
    ['a space inside the sequence', 'MDH-2569-000 123-4'],
    ['Thai digits', toThai(N)],
    ['Thai and Arabic digits mixed', 'MDH-๒๕๖๙-000123-๔'],
    ['full-width characters', fullWidth(N)],
    ['a trailing ครับ', `${N} ครับ`],
    ['a trailing ค่ะ without a space', `${N}ค่ะ`],
    ['a trailing นะคะ and a full stop', `${N} นะคะ.`],
    ['the label เลขที่, spaced', 'เลขที่ MDH 2569 000123 4'],
    ['the label เลขที่ and ค่ะ', 'เลขที่ MDH 2569 000123 4 ค่ะ'],
    ['a Thai label with a colon', 'เลขติดตามเรื่อง: MDH-2569-000123-4'],
    ['Thai words after the number', `${N} ช่วยดูให้หน่อยครับ`],
    ['the English label No.', `No. ${N}`],
    ['the English label Tracking number:', `Tracking number: ${N}`],
    ['quotes pasted with it', `"${N}"`],
    ['surrounding whitespace and a line break', `  ${N}\n`],
    ['a zero-width space pasted from another app', 'MDH-2569\u200B-000123-4'],
    ['the letter O for zero', 'MDH-2569-OOO123-4'],
    ['the leading zeros of the sequence left out', 'MDH-2569-123-4'],
    ['everything at once', 'เลขที่ ｍｄｈ ๒๕๖๙ ๐๐๐ ๑๒๓ ๔ ครับผม'],
  ])('%s: %j', (_name, typed) => {
    expect(parseTrackingNumber(typed)).toEqual({ ok: true, value: { prefix: 'MDH', yearBE: 2569, seq: 123, text: N } });
  });

  it('reads a 7-digit sequence', () => {
    const wide = formatTrackingNumber({ prefix: 'MDH', yearBE: 2570, seq: 1_234_567 });
    expect(parseTrackingNumber(wide.toLowerCase().replace(/-/g, ' '))).toMatchObject({ ok: true, value: { seq: 1_234_567, text: wide } });
  });

  it('keeps a prefix that begins like an English label (NOK is not "No." + K)', () => {
    const nok = formatTrackingNumber({ prefix: 'NOK', yearBE: 2569, seq: 7 });
    expect(parseTrackingNumber(nok)).toMatchObject({ ok: true, value: { prefix: 'NOK', text: nok } });
    expect(parseTrackingNumber(`No. ${nok}`)).toMatchObject({ ok: true, value: { prefix: 'NOK', text: nok } });
  });

  it("takes the center's prefix for the digits alone only when it is given one", () => {
    expect(parseTrackingNumber('2569-000123-4', { defaultPrefix: 'MDH' })).toMatchObject({ ok: true, value: { text: N } });
    expect(parseTrackingNumber('๒๕๖๙ ๐๐๐๑๒๓ ๔ ค่ะ', { defaultPrefix: 'MDH' })).toMatchObject({ ok: true, value: { text: N } });
    expect(parseTrackingNumber('2569-000123-4')).toEqual({ ok: false, reason: 'format' });
  });
});

describe('parseTrackingNumber refuses', () => {
  it.each([
    ['nothing', '', 'empty'],
    ['only spaces', '   \n ', 'empty'],
    ['only a polite particle', 'ครับ', 'empty'],
    ['a greeting', 'สวัสดีครับ', 'format'],
    ['a wrong check digit', 'MDH-2569-000123-5', 'check_digit'],
    ['a wrong check digit in Thai digits', 'MDH-๒๕๖๙-๐๐๐๑๒๓-๕', 'check_digit'],
    ['a swapped pair', 'MDH-2569-000213-4', 'check_digit'],
    ['the number without its check digit', 'MDH-2569-000123', 'format'],
    ['a five-digit sequence run together', 'MDH2569001234', 'format'],
    ['a seven-digit sequence with a leading zero', 'MDH-2569-0000123-4', 'format'],
    ['sequence zero', `MDH-2569-000000-${checkDigit('2569000000')}`, 'format'],
    ['a one-letter prefix', 'M-2569-000123-4', 'format'],
    ['a six-letter prefix', 'MUKDAH-2569-000123-4', 'format'],
    ['two words run into the prefix', 'NO. MDH X-2569-000123-4', 'format'],
    ['letters among the digits', 'MDH-2569-00A123-4', 'format'],
    ['a phone number', '081 234 5678', 'format'],
  ])('%s: %j', (_name, typed, reason) => {
    expect(parseTrackingNumber(typed)).toEqual({ ok: false, reason });
  });
});
