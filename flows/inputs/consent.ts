import { normalizeChars, stripParticles } from './normalize';
import { fail, ok, type ParseResult } from './result';
import { parseYesNo } from './yes-no';

export type ConsentReason = 'empty' | 'unclear';

// Consent words first, then every yes/no answer: "ใช่" or "ได้ครับ" to "Do you agree?" is consent too.
const GIVE = new Set([
  'ยินยอม', 'ให้ความยินยอม', 'ยินยอมให้', 'ยอมรับ', 'ยอม', 'รับทราบและยินยอม', 'ยินดี', 'อนุญาต', 'ตกลงยินยอม',
  'agree', 'i agree', 'agreed', 'accept', 'i accept', 'accepted', 'consent', 'i consent', 'allow',
]);
const REFUSE = new Set([
  'ไม่ยินยอม', 'ไม่ให้ความยินยอม', 'ไม่ยอมรับ', 'ไม่ยอม', 'ไม่ยินดี', 'ไม่อนุญาต',
  'disagree', 'i disagree', 'do not agree', "don't agree", 'dont agree', 'i do not agree', "i don't agree",
  'decline', 'i decline', 'declined', 'reject', 'refuse', 'no consent', 'i do not consent', "i don't consent",
  'do not consent', "don't consent", 'not agree',
]);

/** A consent answer (PDPA s.26 explicit consent): true given, false refused. Case-insensitive; particles ignored. */
export function parseConsent(text: string): ParseResult<boolean, ConsentReason> {
  const base = normalizeChars(text)
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\s!.?~]+$/u, '')
    .replace(/\s+/g, ' ');
  if (base === '') return fail('empty');
  const word = stripParticles(base).replace(/(?:\s*ๆ)+$/u, '').replace(/[\s!.?~]+$/u, '');
  if (GIVE.has(word)) return ok(true);
  if (REFUSE.has(word)) return ok(false);
  const answer = parseYesNo(text);
  return answer.ok ? answer : fail(answer.reason);
}
