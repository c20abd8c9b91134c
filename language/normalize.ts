/**
 * Text clean-up before anything reads a message. People type on Thai keyboards (Thai digits), on phones that
 * insert zero-width characters, stretch words for feeling ("มาาาาา", "!!!!"), and laugh in digits ("55555").
 * The classifier should see one spelling for all of these, or every stretch would be a new, unseen word.
 */

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const THAI_DIGIT = /[\u0E50-\u0E59]/g;
// Full-width ASCII only. NFKC is not an option: it decomposes SARA AM (ำ) and breaks Thai words.
const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
const ODD_SPACE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\t\r\n]/g;

/** Characters only: zero-width out, Thai and full-width digits to ASCII, odd spaces to a space. Keeps case. */
export function cleanChars(text: string): string {
  return text
    .normalize('NFC')
    .replace(ZERO_WIDTH, '')
    .replace(THAI_DIGIT, (c) => String(c.charCodeAt(0) - 0x0e50))
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(ODD_SPACE, ' ');
}

// Thai vowels and tone marks never legitimately double, so two or more collapse ("มาา" → "มา").
const THAI_MARK_RUN = /([\u0E30-\u0E3A\u0E40-\u0E45\u0E47-\u0E4E])\1+/g;
// Any other non-digit character three or more times collapses ("ดีจ้าาา", "sooo", "!!!!"). Digits are kept:
// "000123" is part of a tracking number, and laughter is handled before this.
const LONG_RUN = /([^\d])\1{2,}/gu;
const LAUGHTER = /(?<![\d])5{3,}\+*(?![\d])/g;
const MAI_YAMOK = /\s*ๆ(?:\s*ๆ)*/g;
const SPACES = /\s+/g;

/** One spelling for the classifier: cleanChars, lower case, laughter to "555", stretches collapsed, ๆ spaced. */
export function normalizeForFeatures(text: string): string {
  return cleanChars(text)
    .toLowerCase()
    .replace(LAUGHTER, ' 555 ')
    .replace(THAI_MARK_RUN, '$1')
    .replace(LONG_RUN, '$1')
    .replace(MAI_YAMOK, ' ๆ ')
    .replace(SPACES, ' ')
    .trim();
}

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const EMOJI_ALL = /(?:\p{Extended_Pictographic}|\p{Regional_Indicator})(?:\uFE0F|\u200D|\p{Emoji_Modifier})*/gu;

export function hasEmoji(text: string): boolean {
  return EMOJI.test(text);
}

/** Splits emoji out of the text: the text without them, and the list of emoji in order. */
export function splitEmoji(text: string): { text: string; emoji: string[] } {
  const emoji: string[] = [];
  const rest = text.replace(EMOJI_ALL, (e) => {
    emoji.push(e.replace(/[\uFE0F\u200D]|\p{Emoji_Modifier}/gu, ''));
    return ' ';
  });
  return { text: rest, emoji };
}

const THAI_LETTER = /[\u0E01-\u0E2E]/g;
const LATIN_LETTER = /[a-zA-Z]/g;

export function countThaiLetters(text: string): number {
  return text.match(THAI_LETTER)?.length ?? 0;
}

export function countLetters(text: string): number {
  return countThaiLetters(text) + (text.match(LATIN_LETTER)?.length ?? 0);
}
