/**
 * The FAQ: admin-edited questions and answers (storage/faq.ts, /api/admin/faq), and the matcher the flow engine
 * asks for free text at the menu (FaqMatcher in flows/engine/types.ts).
 */
import type { Locale } from '../flows/engine/state';
import type { FaqMatcher } from '../flows/engine/types';
import { matchFaq, type FaqMatchable } from './match';
import type { Bilingual } from './types';

export { matchFaq, scoreFaq, isGenericKeyword, type FaqMatch, type FaqMatchable } from './match';
export { parseFaqDefaults, FaqDefaultsInvalidError, type FaqDefault } from './defaults';
export { faqEntryInput, issuesOf, type FaqInputError } from './schema';
export type { Bilingual, FaqEntry, FaqEntryInput } from './types';

/**
 * The engine's view of the FAQ: the answer in the chat's language, or null (no entry clearly asked about; the
 * engine then reads the text as a menu choice, and offers an officer when nothing fits). Cheap to call per
 * event: matching indexes are cached per entries array, and FaqStore.active() hands out the same array while
 * its cache is fresh.
 */
export function faqMatcher(entries: ReadonlyArray<FaqMatchable & { answer: Bilingual<string> }>): FaqMatcher {
  return {
    answer(text: string, locale: Locale): string | null {
      return matchFaq(text, entries, locale)?.entry.answer[locale] ?? null;
    },
  };
}
