import { normalizeChars, stripParticles } from './normalize';
import { fail, ok, type ParseResult } from './result';

export type YesNoReason = 'empty' | 'unclear';

// A bare polite particle is an answer on its own: "ครับ" / "ค่ะ" after "Is this right?" means yes.
// "คะ" is left out on purpose: alone it is a question ("pardon?"), not agreement.
const BARE_PARTICLE_YES = new Set(['ครับ', 'ครับผม', 'คับ', 'ค่ะ', 'ค่า', 'จ้า', 'จ้ะ', 'จ๊ะ']);

const YES = new Set([
  'ใช่', 'ใช่แล้ว', 'ถูกต้อง', 'ถูก', 'ถูกแล้ว', 'โอเค', 'ok', 'okay', 'yes', 'y', 'yep', 'yeah', 'sure', 'ได้',
  'ตกลง', 'ยืนยัน', '👍',
]);
const NO = new Set([
  'ไม่', 'ไม่ใช่', 'ไม่ถูกต้อง', 'ไม่ถูก', 'ผิด', 'no', 'n', 'nope', 'ไม่ได้', 'ไม่เอา', 'ไม่ต้อง', '👎',
]);
// "ยกเลิก" (cancel) is deliberately neither: it is the global cancel command, handled above the flow.

/** Confirmation answers. Case-insensitive; particles, "ๆ", emoji skin tones and trailing punctuation ignored. */
export function parseYesNo(text: string): ParseResult<boolean, YesNoReason> {
  const base = normalizeChars(text)
    .toLowerCase()
    .replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '')
    .replace(/[\s!.?~]+$/u, '')
    .replace(/\s+/g, ' ');
  if (base === '') return fail('empty');
  const bare = base.replace(/(?:\s*ๆ)+$/u, '');
  if (BARE_PARTICLE_YES.has(bare)) return ok(true);
  const word = stripParticles(base).replace(/(?:\s*ๆ)+$/u, '').replace(/[\s!.?~]+$/u, '');
  if (YES.has(word)) return ok(true);
  if (NO.has(word)) return ok(false);
  return fail('unclear');
}
