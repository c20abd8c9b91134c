/**
 * What an admin may write for a category: the console's form and the API check the same. Names are what a citizen
 * reads on a receipt and a quick-reply button, so they stay short.
 */
import { z } from 'zod';
import { CATEGORY_CODE } from './rules';

export const NAME_MAX = 80;
export const DEADLINE_MAX_DAYS = 365;

const name = z
  .string()
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, 'must not be empty').max(NAME_MAX, `must be at most ${NAME_MAX} characters`));

const edit = {
  name: z.strictObject({ th: name, en: name }),
  confidential: z.boolean(),
  consentRequired: z.boolean(),
  nationalIdRequired: z.boolean(),
  anonymousAllowed: z.boolean(),
  deadlineDays: z.int().min(1, 'must be at least 1 day').max(DEADLINE_MAX_DAYS, `must be at most ${DEADLINE_MAX_DAYS} days`).nullable(),
  sortOrder: z.int().min(-1_000_000).max(1_000_000).optional(),
};

export const categoryEditInput = z.strictObject(edit);

export const categoryInput = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(CATEGORY_CODE, 'a code is 2 to 32 of a-z, 0-9 and _, starting with a letter (e.g. land_dispute)'),
  ...edit,
});

export interface CategoryInputError {
  path: string;
  message: string;
}

export function categoryIssues(error: z.ZodError): CategoryInputError[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
