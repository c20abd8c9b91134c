/**
 * The few structural rules around the classifier: things a character-level look decides better than a model
 * trained on a few thousand lines. They look at the shape of a message, never at a word list of topics.
 */
import { countLetters, countThaiLetters, normalizeForFeatures, splitEmoji } from './normalize';
import { segmentWords } from './features';

// Laughter that is the whole message, with stray punctuation: "555+", "ฮ่าๆ", "ถถถ", "lol", "5555 !!".
const LAUGH = /^[\s.!~+^_\-:;()ๆ]*(?:(?:555\+*|(?:ฮ่า|ฮา|ฮิ|อิ|คิ|ถถ)+|(?:ha){2,}|(?:he){2,}|lol|lmao|xd)[\s.!~+^_\-:;()ๆ]*)+$/u;

/**
 * Emoji (with or without punctuation) or laughter alone: small talk; stickers arrive as text like this too.
 * Punctuation alone is not: "..." and "??" are stray keys (gibberish), which the classifier learns.
 */
export function isSmalltalkShape(raw: string): boolean {
  const { text, emoji } = splitEmoji(raw);
  const norm = normalizeForFeatures(text);
  if (emoji.length > 0 && countLetters(norm) === 0 && /^[\s\p{P}\p{S}\d]*$/u.test(norm) && !/\d{2,}/.test(norm.replace(/555/g, ''))) return true;
  return LAUGH.test(norm);
}

// Thai vowel signs above/below and tone marks must follow a consonant; leading vowels must precede one.
const MISPLACED_MARK = /(?:^|[^\u0E01-\u0E2E\u0E31\u0E34-\u0E3A\u0E47-\u0E4E])[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E]|[\u0E40-\u0E44](?:[^\u0E01-\u0E2E]|$)/u;
const LATIN_WORD = /[a-z]+/g;
const LATIN_VOWEL = /[aeiouy]/;
// Keyboard rows, Latin and Thai Kedmanee: five or more keys from one row and no known word is a hand on the keys.
const ROWS = ['qwertyuiop', 'asdfghjkl;', 'zxcvbnm,./', 'ๆไำพะัีรนยบลฃ', 'ฟหกดเ้่าสวง', 'ผปแอิืทมใฝ'];
const ON_ONE_ROW = ROWS.map((r) => new RegExp(`^[${r.replace(/[\]\\^-]/g, '\\$&')}]{5,}$`, 'u'));

export type GibberishShape = 'sure' | 'maybe' | false;

/**
 * Key mashing and stray characters. 'sure': no letter or digit at all (".", "??", "ๆๆ"), impossible Thai
 * spelling, one keyboard row, or Latin runs with no vowel ("qwrt"), and no word of the lexicon (the corpus's
 * words) covering half of it. 'maybe': very short with no known word; the classifier decides those. Long texts
 * are never gibberish by shape: a story in words the corpus lacks is still a story.
 */
export function gibberishShape(raw: string, lexicon: ReadonlySet<string>): GibberishShape {
  const { text, emoji } = splitEmoji(raw);
  const norm = normalizeForFeatures(text);
  const letters = countLetters(norm);
  if (letters === 0) return emoji.length === 0 && !/\d/.test(norm) ? 'sure' : false;
  if (letters > 30) return false;
  const words = segmentWords(norm);
  const known = words.filter((w) => lexicon.has(w) || /^\d+$/.test(w));
  const knownLetters = known.reduce((a, w) => a + countLetters(w), 0);
  if (knownLetters / letters >= 0.5) return false;
  const compact = norm.replace(/\s+/g, '');
  if (MISPLACED_MARK.test(compact)) return 'sure';
  if (norm.split(' ').some((w) => !lexicon.has(w) && ON_ONE_ROW.some((re) => re.test(w)))) return 'sure';
  const latin = norm.match(LATIN_WORD) ?? [];
  if (latin.length > 0 && latin.every((w) => w.length >= 3 && !LATIN_VOWEL.test(w))) return 'sure';
  return knownLetters === 0 && letters <= 6 ? 'maybe' : false;
}

/** Enough real words for the story rule: ≥ 25 Thai letters (or 40 Latin) with most of its words known. */
export function hasSubstance(raw: string, lexicon: ReadonlySet<string>): boolean {
  const norm = normalizeForFeatures(splitEmoji(raw).text);
  const thai = countThaiLetters(norm);
  const letters = countLetters(norm);
  if (thai < 25 && letters < 40) return false;
  const words = segmentWords(norm);
  const known = words.filter((w) => lexicon.has(w)).length;
  return words.length > 0 && known / words.length >= 0.3;
}
