/**
 * What the linear models see of a message: Thai words (ICU's dictionary segmenter, the one Node ships), word
 * pairs, character n-grams (they survive typos, slang spellings and segmenter mistakes that whole words do not),
 * emoji, and a few shape cues (length, a tracking number, a question mark). Feature strings are prefixed by kind so
 * the kinds never collide.
 */
import { cleanChars, countLetters, normalizeForFeatures, splitEmoji } from './normalize';
import { maskTrackingNumbers } from './facts/tracking';

export interface FeatureConfig {
  charNgrams: number[]; // e.g. [2, 3, 4]
  wordBigrams: boolean;
}

export const DEFAULT_FEATURES: FeatureConfig = { charNgrams: [2, 3, 4], wordBigrams: true };

const SEGMENTER = new Intl.Segmenter('th', { granularity: 'word' });
// Punctuation splits words for the word features ("อบต.ไม่" is one ICU segment otherwise); n-grams keep it.
const PUNCT = /[.,!?;:()[\]{}"'“”‘’<>/\\|*~^=+_#@&%$-]/g;
const TRACKING_TOKEN = ' ⟦tn⟧ ';
const LENGTH_BUCKETS = [0, 1, 4, 9, 16, 25, 40, 70, 120];

function lengthBucket(letters: number): string {
  let b = 0;
  for (let i = 0; i < LENGTH_BUCKETS.length; i++) if (letters >= LENGTH_BUCKETS[i]!) b = i;
  return `s:len${b}`;
}

/** The words of a normalised text, as ICU segments them; punctuation dropped. */
export function segmentWords(normalized: string): string[] {
  const words: string[] = [];
  for (const s of SEGMENTER.segment(normalized.replace(PUNCT, ' '))) {
    if (s.isWordLike) words.push(s.segment);
  }
  return words;
}

/** The distinct feature strings of one message, in first-seen order. */
export function extractFeatures(raw: string, config: FeatureConfig = DEFAULT_FEATURES): string[] {
  const out = new Set<string>();
  const cleaned = cleanChars(raw);
  const masked = maskTrackingNumbers(cleaned, TRACKING_TOKEN);
  if (masked !== cleaned) out.add('s:tn');
  const { text: noEmoji, emoji } = splitEmoji(masked);
  for (const e of emoji) out.add(`e:${e}`);
  if (emoji.length > 0) out.add('s:emoji');
  const norm = normalizeForFeatures(noEmoji.replace(/⟦tn⟧/g, ' '));
  const letters = countLetters(norm);
  out.add(lengthBucket(letters));
  if (letters === 0) out.add(emoji.length > 0 ? 's:emoji-only' : 's:no-letters');
  if (/\?/.test(norm)) out.add('s:q');
  if (/\d/.test(norm)) out.add('s:digit');

  const words = segmentWords(norm);
  let prev = '^';
  for (const w of words) {
    out.add(`w:${w}`);
    if (config.wordBigrams) out.add(`b:${prev} ${w}`);
    prev = w;
  }
  if (config.wordBigrams && words.length > 0) out.add(`b:${prev} $`);

  // N-grams over the text with digits folded: "หมู่ 5" and "หมู่ 12" should look alike.
  const padded = `^${norm.replace(/\d+/g, '0')}$`;
  for (const n of config.charNgrams) {
    for (let i = 0; i + n <= padded.length; i++) out.add(`c:${padded.slice(i, i + n)}`);
  }
  return [...out];
}
