/**
 * Which FAQ entry a citizen's free text asks about, if any. Pure; no I/O.
 *
 * Every keyword of an entry (Thai and English: people mix them) and every content word of its question in the
 * chat's language is a term (the other language's question words would only be noise: English in a Thai chat is
 * a loanword or a name, which the keywords carry). The text's terms are found by scoreIntents (flows/matching/keywords.ts: Thai
 * segmentation with a substring fallback, keywords segmented once and cached there). A found term adds
 *
 *     (2 for a keyword, 1 for a question word) / (the number of entries that have the term)
 *
 * to each entry that has it, so a word every entry shares proves little, and words like "ศูนย์", "อำเภอ" or
 * "ไหม", which any question to the center contains, count nothing at all. An entry answers when its score
 * reaches MIN_SCORE (one keyword of its own, or two question words) and no other entry scores as much: a tie
 * is a question we cannot tell apart, and an officer answers it better than a guess.
 *
 * Text that is neither short nor phrased as a question is more likely a story ("โดนโกงเสียเงินไป 5,000 บาท"),
 * which must reach the complaint flow or an officer, not a canned answer about fees: it needs STORY_MIN_SCORE.
 */
import type { Locale } from '../flows/engine/state';
import { normalize, normalizeChars } from '../flows/inputs/normalize';
import { scoreIntents, type IntentKeywords } from '../flows/matching/terms';
import { segmentWords } from '../flows/matching/segment';
import type { Bilingual } from './types';

/** What matching needs of an entry; FaqEntry has it. */
export interface FaqMatchable {
  question: Bilingual<string>;
  keywords: Bilingual<readonly string[]>;
}

export interface FaqMatch<T> {
  entry: T;
  score: number;
}

export const KEYWORD_WEIGHT = 2;
export const QUESTION_WORD_WEIGHT = 1;
export const MIN_SCORE = 2;
export const STORY_MIN_SCORE = 4;
/** Up to this many words of content a text counts as short ("เวลาทำการ", "เอกสารที่ต้องใช้", "documents needed"). */
export const SHORT_TEXT_WORDS = 3;

/** The center's own name: in nearly every question to it, so it tells no question from another. */
const NAME_WORDS = new Set([
  'ศูนย์', 'ศูนย์ฯ', 'ดำรง', 'ธรรม', 'ดำรงธรรม', 'ศูนย์ดำรงธรรม', 'อำเภอ', 'จังหวัด', 'ฯ',
  'center', 'centre', 'damrongdhama', 'district',
]);

/**
 * Particles, question words, pronouns, glue: no meaning of their own. Matched as whole segments, never as
 * substrings. A phrase of them can still mean something ("ถึงไหนแล้ว": where has my case got to), so a keyword
 * is refused only when it is one of these words or one of the GENERIC_PHRASES.
 */
const FUNCTION_WORDS = new Set([
  'ๆ', 'ครับ', 'ครับผม', 'คับ', 'ค่ะ', 'คะ', 'ค่า', 'จ้า', 'จ้ะ', 'นะ', 'ฮะ', 'หน่อย', 'สวัสดี', 'ขอบคุณ',
  'ไหม', 'มั้ย', 'มั๊ย', 'ไม๊', 'มัย', 'หรือเปล่า', 'รึเปล่า', 'เปล่า', 'ป่าว', 'อะไร', 'ยังไง', 'อย่างไร', 'ไง',
  'บ้าง', 'ใคร', 'ไหน', 'เมื่อไร', 'เมื่อไหร่', 'หรอ', 'เหรอ', 'ได้', 'ไม่', 'ต้อง', 'การ', 'ความ', 'ของ', 'และ',
  'หรือ', 'จะ', 'ให้', 'มี', 'เป็น', 'คือ', 'อยาก', 'ขอ', 'ถาม', 'สอบถาม', 'ทราบ', 'เรื่อง', 'ใน', 'กับ', 'จาก',
  'แล้ว', 'ยัง', 'ท่าน', 'คุณ', 'ผม', 'ฉัน', 'ดิฉัน', 'หนู', 'เรา', 'ทำ', 'ไป', 'มา', 'ต่อ', 'นี้', 'นั้น', 'ว่า',
  'ก็', 'ด้วย', 'แค่', 'ถึง', 'เพื่อ', 'โดย', 'ซึ่ง', 'ใช้', 'แบบ', 'คน', 'ที่', 'ตอน', 'เลย', 'อีก', 'กัน',
  'the', 'a', 'an', 'is', 'are', 'am', 'was', 'be', 'do', 'does', 'did', 'can', 'could', 'would', 'should', 'will',
  'may', 'i', 'you', 'he', 'she', 'we', 'they', 'my', 'your', 'our', 'me', 'it', 'its', 'this', 'that', 'what',
  'how', 'when', 'where', 'which', 'who', 'why', 'to', 'of', 'for', 'in', 'on', 'at', 'by', 'and', 'or', 'but',
  'if', 'please', 'any', 'with', 'about', 'have', 'has', 'need', 'get', 'there', 'much', 'many', 'hello', 'hi',
  'thanks', 'thank', 'some', 'not', 'no', 'yes',
]);

/** Phrases of function words that nearly every question ends with (compared without spaces). */
const GENERIC_PHRASES = new Set([
  'ได้ไหม', 'ได้มั้ย', 'ได้ไม๊', 'ได้หรือไม่', 'ได้หรือเปล่า', 'ได้รึเปล่า', 'ได้ป่าว', 'หรือไม่', 'อะไรบ้าง', 'ได้บ้าง',
  'ยังไงบ้าง', 'ทำยังไง', 'ทำอย่างไร', 'ต้องทำยังไง', 'ต้องทำอย่างไร', 'อย่างไรบ้าง', 'ขอสอบถาม', 'สอบถามหน่อย',
  'howdoi', 'whatis', 'cani', 'canyou', 'doyou', 'isit', 'howcani', 'whatarethe', 'whatisthe',
]);

const isGenericWord = (w: string) => NAME_WORDS.has(w) || FUNCTION_WORDS.has(w);

const THAI = /[\u0E00-\u0E7F]/;

/** Questions carry a mark; a story usually does not. Thai marks are looked for anywhere (no spaces). */
const THAI_QUESTION_MARKS = ['ไหม', 'มั้ย', 'มั๊ย', 'ไม๊', 'หรือเปล่า', 'รึเปล่า', 'ป่าว', 'อะไร', 'ยังไง', 'อย่างไร',
  'เท่าไร', 'เท่าไหร่', 'กี่', 'ที่ไหน', 'อยู่ไหน', 'บ้าง', 'เมื่อไร', 'เมื่อไหร่', 'หรอ', 'เหรอ', 'ได้ป่ะ'];
const ENGLISH_QUESTION = /\?|^\s*(what|how|when|where|which|who|can|could|do|does|is|are|should|may|will)\b/i;

/** The form a term is compared in: the same clean-up scoreIntents applies to the text. */
function termOf(text: string): string {
  return normalize(text).toLowerCase();
}

/** True when a keyword would count for nothing: only words any question to the center contains ("ศูนย์"). */
export function isGenericKeyword(keyword: string): boolean {
  const term = termOf(keyword);
  const words = segmentWords(term);
  if (words.length === 0 || GENERIC_PHRASES.has(term.replace(/\s+/g, ''))) return true;
  return words.every((w) => NAME_WORDS.has(w)) || (words.length === 1 && isGenericWord(words[0]!));
}

function questionWords(question: string): string[] {
  return segmentWords(termOf(question)).filter((w) => {
    if (isGenericWord(w) || /^\d+$/.test(w)) return false;
    // A one- or two-letter Latin word or a single Thai syllable fragment matches too much as a substring.
    return THAI.test(w) ? w.length >= 2 : w.length >= 3;
  });
}

interface Index {
  /** One intent per distinct term: scoreIntents then says which terms the text contains, in one pass. */
  terms: IntentKeywords[];
  /** term → [entry index, weight] */
  weights: Map<string, Array<[number, number]>>;
}

function buildIndex(entries: readonly FaqMatchable[], locale: Locale): Index {
  const perEntry = entries.map((e) => {
    const base = new Map<string, number>();
    for (const w of questionWords(e.question[locale])) base.set(w, QUESTION_WORD_WEIGHT);
    for (const k of [...e.keywords.th, ...e.keywords.en]) {
      if (!isGenericKeyword(k)) base.set(termOf(k), KEYWORD_WEIGHT);
    }
    return base;
  });
  const df = new Map<string, number>();
  for (const base of perEntry) for (const term of base.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const weights = new Map<string, Array<[number, number]>>();
  perEntry.forEach((base, i) => {
    for (const [term, w] of base) {
      let list = weights.get(term);
      if (!list) weights.set(term, (list = []));
      list.push([i, w / df.get(term)!]);
    }
  });
  return { terms: [...weights.keys()].map((t) => ({ id: t, keywords: [t] })), weights };
}

/**
 * Entries change rarely and are matched against every message at the menu: the index is built once per entries
 * array (the store hands out the same array while its cache is fresh) and per chat language.
 */
const indexes = new WeakMap<readonly FaqMatchable[], Partial<Record<Locale, Index>>>();

function indexFor(entries: readonly FaqMatchable[], locale: Locale): Index {
  let byLocale = indexes.get(entries);
  if (!byLocale) indexes.set(entries, (byLocale = {}));
  return (byLocale[locale] ??= buildIndex(entries, locale));
}

function looksLikeQuestion(normalized: string): boolean {
  const compact = normalized.replace(/\s+/g, '');
  return ENGLISH_QUESTION.test(normalized) || THAI_QUESTION_MARKS.some((m) => compact.includes(m));
}

/**
 * ICU glues digits and Latin letters to the Thai word beside them ("โทร1567ได้ไหม" is segmented "โทร1567ได้" |
 * "ไหม"), so "1567" or "ID" typed without spaces would never be a word of its own: a space goes between scripts.
 */
function separateScripts(text: string): string {
  return normalizeChars(text)
    .replace(/([\u0E00-\u0E7F])(?=[A-Za-z0-9])/g, '$1 ')
    .replace(/([A-Za-z0-9])(?=[\u0E00-\u0E7F])/g, '$1 ');
}

/** Scores of every entry the text touches, best first (for tests and for tuning keywords). */
export function scoreFaq<T extends FaqMatchable>(text: string, entries: readonly T[], locale: Locale): Array<FaqMatch<T>> {
  if (entries.length === 0) return [];
  const index = indexFor(entries, locale);
  const scores = new Map<number, number>();
  for (const hit of scoreIntents(separateScripts(text), index.terms)) {
    for (const [i, w] of index.weights.get(hit.id) ?? []) scores.set(i, (scores.get(i) ?? 0) + w);
  }
  return [...scores]
    .map(([i, score]) => ({ entry: entries[i]!, score: Math.round(score * 1000) / 1000 }))
    .sort((a, b) => b.score - a.score);
}

/** The one entry the text asks about, or null: nothing strong enough, or two entries equally likely. */
export function matchFaq<T extends FaqMatchable>(text: string, entries: readonly T[], locale: Locale): FaqMatch<T> | null {
  const [best, second] = scoreFaq(text, entries, locale);
  if (!best) return null;
  if (best.score < MIN_SCORE || (second && second.score >= best.score)) return null;
  if (best.score >= STORY_MIN_SCORE) return best;
  // Segmenting costs as much as the scoring itself (ICU): only done when the answer depends on it.
  const normalized = termOf(separateScripts(text));
  if (looksLikeQuestion(normalized)) return best;
  return segmentWords(normalized).filter((w) => !isGenericWord(w)).length <= SHORT_TEXT_WORDS ? best : null;
}
