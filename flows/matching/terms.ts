/**
 * Which of a set of terms a text contains: an option's label and synonyms in a typed answer ("ร้องทุกข์ครับ" is
 * the option ร้องเรียน/ร้องทุกข์), an FAQ entry's terms in a question. Not what a message means: that is the
 * language layer's (language/), which replaced the flows' keyword lists. Pure; no I/O.
 */
import { normalize } from '../inputs/normalize';
import { segmentWords } from './segment';

export interface IntentKeywords {
  id: string;
  /** Thai or English words or phrases; a keyword may contain several words. */
  keywords: string[];
}

export interface IntentMatch {
  id: string;
  score: number;
}

const THAI = /[\u0E00-\u0E7F]/;

/** True when `needle` appears as a consecutive run inside `haystack`. */
function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return true;
  }
  return false;
}

interface PreparedKeyword {
  words: string[];
  /** Set for Thai keywords only: see keywordMatches. */
  compact: string | null;
}

/** Keywords come from flows and are matched against every message: segment each once, not once per message. */
const preparedKeywords = new Map<string, PreparedKeyword>();

function prepareKeyword(keyword: string): PreparedKeyword {
  let p = preparedKeywords.get(keyword);
  if (!p) {
    const kwNorm = normalize(keyword).toLowerCase();
    const kwCompact = kwNorm.replace(/\s+/g, '');
    p = { words: segmentWords(kwNorm), compact: kwCompact.length > 0 && THAI.test(kwCompact) ? kwCompact : null };
    if (preparedKeywords.size > 20_000) preparedKeywords.clear();
    preparedKeywords.set(keyword, p);
  }
  return p;
}

/**
 * Whether one keyword occurs in the prepared text. Every matched keyword counts 1, however many segments
 * the segmenter happens to cut it into ("ร้องเรียน" is two segments, "ติดตาม" one).
 */
function keywordMatches(keyword: string, words: readonly string[], compact: string): boolean {
  const k = prepareKeyword(keyword);
  if (containsRun(words, k.words)) return true;
  // Substring fallback only for Thai keywords: Thai segmentation is imperfect, while for Latin words
  // a substring would be a false positive ("help" in "helpful", "track" in "racetrack").
  return k.compact !== null && compact.includes(k.compact);
}

/** Every intent with at least one keyword in `text`, best first (ties keep the order given). */
export function scoreIntents(text: string, intents: readonly IntentKeywords[]): IntentMatch[] {
  const normalized = normalize(text).toLowerCase();
  if (normalized === '') return [];
  const words = segmentWords(normalized);
  const compact = normalized.replace(/\s+/g, '');
  const scored: IntentMatch[] = [];
  for (const intent of intents) {
    let score = 0;
    for (const keyword of new Set(intent.keywords)) if (keywordMatches(keyword, words, compact)) score += 1;
    if (score > 0) scored.push({ id: intent.id, score });
  }
  return scored.sort((a, b) => b.score - a.score);
}
