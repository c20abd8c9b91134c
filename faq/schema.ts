/**
 * What an FAQ entry must be, for the admin API and for the shipped defaults alike. Bounds come from the screen
 * it is read on (a LINE text bubble on a phone) and from matching: too many keywords, and an entry starts
 * answering questions it was not written for.
 */
import { z } from 'zod';
import { normalizeChars, stripParticles } from '../flows/inputs/normalize';
import { isGenericKeyword } from './match';

export const QUESTION_MAX = 300;
export const ANSWER_MAX = 1500;
export const KEYWORD_MAX = 60;
export const KEYWORDS_MAX = 40;
export const KEY_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

const text = (max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));

const keyword = z
  .string()
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(KEYWORD_MAX, `must be at most ${KEYWORD_MAX} characters`)
      .refine((k) => stripParticles(normalizeChars(k)) === normalizeChars(k), {
        message: 'ends in a polite particle (ค่ะ, คะ, ค่า, ครับ, นะ...), which matching drops from what people type; write the keyword without it, or a longer word ("ค่าใช้จ่าย", not "เสียค่า")',
      })
      .refine((k) => !isGenericKeyword(k), {
        message: 'is a word nearly every question contains (like "ศูนย์" or "ไหม"), so it would match nothing on its own; use a word that tells this question apart',
      }),
  );

/** Same keyword twice (in any case) counts once in matching: kept once. */
const keywords = z
  .array(keyword)
  .min(1, 'give at least one keyword')
  .max(KEYWORDS_MAX, `give at most ${KEYWORDS_MAX} keywords`)
  .transform((ks) => [...new Map(ks.map((k) => [k.toLowerCase(), k])).values()]);

const bilingual = <T extends z.ZodType>(value: T) => z.strictObject({ th: value, en: value });

export const faqEntryInput = z.strictObject({
  question: bilingual(text(QUESTION_MAX)),
  answer: bilingual(text(ANSWER_MAX)),
  keywords: bilingual(keywords),
  sortOrder: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  active: z.boolean().optional(),
});

export const faqDefaults = z.strictObject({
  entries: z
    .array(faqEntryInput.extend({ key: z.string().regex(KEY_PATTERN, 'must be a-z, 0-9, _ or -, starting with a letter') }))
    .min(1)
    .max(200)
    .superRefine((entries, ctx) => {
      const seen = new Set<string>();
      entries.forEach((e, i) => {
        if (seen.has(e.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `key "${e.key}" is used twice` });
        seen.add(e.key);
      });
    }),
});

export interface FaqInputError {
  path: string;
  message: string;
}

export function issuesOf(error: z.ZodError): FaqInputError[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
