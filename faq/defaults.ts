import { parse } from 'yaml';
import { faqDefaults, issuesOf, type FaqInputError } from './schema';
import type { FaqEntryInput } from './types';

/** The shipped defaults file does not pass validation: the server must not start with it. */
export class FaqDefaultsInvalidError extends Error {
  constructor(
    readonly file: string,
    readonly errors: FaqInputError[],
  ) {
    super(`${file}: the FAQ defaults are invalid:\n${errors.map((e) => `  ${e.path || '(file)'}: ${e.message}`).join('\n')}`);
    this.name = 'FaqDefaultsInvalidError';
  }
}

export type FaqDefault = FaqEntryInput & { key: string };

/** Parses and validates the defaults file's text (faq/defaults.yaml). */
export function parseFaqDefaults(text: string, file: string): FaqDefault[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new FaqDefaultsInvalidError(file, [{ path: '', message: `not valid YAML: ${(err as Error).message}` }]);
  }
  const parsed = faqDefaults.safeParse(doc);
  if (!parsed.success) throw new FaqDefaultsInvalidError(file, issuesOf(parsed.error));
  return parsed.data.entries;
}
