/**
 * Tracking numbers as people type them: `MDH-2569-000123-4`, `mdh 2569 000123 4`, `MDH25690001234`, in Thai
 * digits, with odd dashes. Shape only (prefix of 2–5 Latin letters, Buddhist year 25xx, 6-digit sequence, one
 * check digit): the engine owns the prefix setting and verifies the Damm check digit, so a typo still reaches it
 * and gets a precise "check the number" answer instead of being read as a story.
 */
import { cleanChars } from '../normalize';

const SEP = '[\\s\\-–—_./]*';
// The lookbehind keeps "ABCMDH-..." from matching inside a longer word; the lookahead keeps a longer digit run out.
const TRACKING = new RegExp(`(?<![A-Za-z])([A-Za-z]{2,5})${SEP}(25\\d{2})${SEP}(\\d{6})${SEP}(\\d)(?!\\d)`, 'g');

export interface TrackingMatch {
  canonical: string; // PFX-YYYY-NNNNNN-C
  index: number; // in the cleaned text
  length: number;
}

/** All tracking-number shapes in the text, in order. */
export function findTrackingNumbers(text: string): TrackingMatch[] {
  const cleaned = cleanChars(text);
  const found: TrackingMatch[] = [];
  for (const m of cleaned.matchAll(TRACKING)) {
    const [whole, prefix, year, seq, check] = m;
    found.push({
      canonical: `${prefix!.toUpperCase()}-${year}-${seq}-${check}`,
      index: m.index,
      length: whole.length,
    });
  }
  return found;
}

/** The text with tracking numbers replaced by `replacement` (for features: the number itself means nothing). */
export function maskTrackingNumbers(cleaned: string, replacement: string): string {
  return cleaned.replace(TRACKING, replacement);
}
