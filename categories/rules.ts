/**
 * The rules that go with a case's category, as pure functions of the list (categories/store.ts reads it): which
 * codes a new case may be filed under, whether a case is for supervisors only, its deadline, its name.
 */
import type { CaseCategory } from './types';

/** What a case is filed under when nothing says otherwise. It cannot be retired. */
export const DEFAULT_CATEGORY = 'complaint';

/** A category's code: what cases.category (VARCHAR(32)) keeps and flows name. */
export const CATEGORY_CODE = /^[a-z][a-z0-9_]{1,31}$/;

export const isRetired = (c: Pick<CaseCategory, 'retiredAt'>): boolean => c.retiredAt !== null;

export function findCategory(list: readonly CaseCategory[], code: string | null | undefined): CaseCategory | undefined {
  return code == null ? undefined : list.find((c) => c.code === code);
}

/** The categories a new case may be filed under, in display order. */
export function activeCategories(list: readonly CaseCategory[]): CaseCategory[] {
  return list.filter((c) => !isRetired(c));
}

export type FilingVerdict = { ok: true; category: CaseCategory } | { ok: false; code: string; reason: 'unknown' | 'retired' };

/** Whether a new case may be filed under `code`: a known category still in use. */
export function forFiling(list: readonly CaseCategory[], code: string): FilingVerdict {
  const found = findCategory(list, code);
  if (!found) return { ok: false, code, reason: 'unknown' };
  if (isRetired(found)) return { ok: false, code, reason: 'retired' };
  return { ok: true, category: found };
}

/**
 * Whether a case is for supervisors only: its row was marked so when it was filed (`cases.confidential`, from its
 * category then), or its category is confidential now. A category made confidential later covers its old cases
 * too; one no longer confidential leaves the cases filed while it was.
 */
export function isConfidentialCase(c: { category?: string | null; confidential?: boolean | number | null }, list: readonly CaseCategory[]): boolean {
  return c.confidential === true || c.confidential === 1 || findCategory(list, c.category)?.confidential === true;
}

/** The codes of the confidential categories, retired ones included: what open data and lists leave out. */
export function confidentialCodes(list: readonly CaseCategory[]): string[] {
  return list.filter((c) => c.confidential).map((c) => c.code);
}

/**
 * The category a case that names `code` is filed under, and whose rules its conversation follows: the one named,
 * while in use; an unknown, retired or missing code goes under the default category, as filing does
 * (cases/store.ts). Undefined only when the list lacks the default category too.
 */
export function filedUnder(list: readonly CaseCategory[], code: string | null | undefined): CaseCategory | undefined {
  const found = findCategory(list, code);
  return found && !isRetired(found) ? found : findCategory(list, DEFAULT_CATEGORY);
}

/** The days a case of this category has until the complainant must have heard: its own, else the center's. */
export function deadlineDaysOf(category: Pick<CaseCategory, 'deadlineDays'> | undefined, centerDays: number): number {
  return category?.deadlineDays ?? centerDays;
}

/** A category's name in a language; an unknown code is shown as it is (a case never loses its label). */
export function categoryName(list: readonly CaseCategory[], code: string, locale: 'th' | 'en'): string {
  return findCategory(list, code)?.name[locale] ?? code;
}
