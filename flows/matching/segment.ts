/**
 * Word segmentation for matching. Thai is written without spaces between words, so we lean on ICU's
 * dictionary-based segmenter. It is imperfect (compounds are often split: "ร้องเรียน" → "ร้อง" | "เรียน"),
 * which is why keyword matching also falls back to substring checks.
 */

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

/** Word-like segments only (no spaces or punctuation), lower-cased (affects Latin only). */
export function segmentWords(text: string): string[] {
  const words: string[] = [];
  for (const s of segmenter.segment(text)) {
    if (s.isWordLike) words.push(s.segment.toLowerCase());
  }
  return words;
}
