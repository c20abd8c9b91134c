/**
 * Clean-up shared by the parsers. People type on Thai keyboards (Thai digits ๐-๙), on phones that insert
 * zero-width characters, on IMEs that give full-width digits, and end most answers with a polite particle.
 */

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const THAI_DIGIT = /[\u0E50-\u0E59]/g;
// Full-width ASCII (U+FF01-FF5E) only. NFKC is not an option: it decomposes SARA AM (ำ) and would break Thai words.
const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
const ODD_SPACE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;

/** Digits, full-width ASCII, zero-width and odd spaces; trims. Keeps line breaks (free text keeps its shape). */
export function normalizeChars(text: string): string {
  return text
    .replace(ZERO_WIDTH, '')
    .replace(THAI_DIGIT, (c) => String(c.charCodeAt(0) - 0x0e50))
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(ODD_SPACE, ' ')
    .trim();
}

/** Thai digits to ASCII only. */
export function thaiDigitsToAscii(text: string): string {
  return text.replace(THAI_DIGIT, (c) => String(c.charCodeAt(0) - 0x0e50));
}

// Longest first inside the alternation so "ครับผม" is not read as "ครับ" + "ผม".
const PARTICLE = '(?:นะ)?(?:ครับผม|ครับ|คับ|ค่ะ|ค่า|คะ|จ้า|จ้ะ|จ๊ะ|ฮะ)';
const TRAILING_PARTICLES = new RegExp(`(?:\\s*${PARTICLE}(?:\\s*ๆ)*)+$`, 'u');

/** Strips trailing polite particles, with or without a space before them, repeated or combined ("นะคะ ค่ะๆ"). */
export function stripParticles(text: string): string {
  return text.replace(TRAILING_PARTICLES, '').trim();
}

/** Full clean-up for short structured answers: characters, collapsed whitespace, trailing particles. */
export function normalize(text: string): string {
  return stripParticles(normalizeChars(text).replace(/\s+/g, ' '));
}
