/**
 * The case categories' names as the server keeps them (the `category` table, GET /categories): what codeLabel
 * shows for a category, before the shipped names of i18n.ts. Filled once signed in (categories.ts) and again after
 * an admin's change, so a category added today is named on every page, and a retired one still names old cases.
 */
export interface CategoryNames {
  code: string;
  name: { th: string; en: string };
}

const names = new Map<string, { th: string; en: string }>();

export function rememberCategoryNames(list: readonly CategoryNames[]): void {
  for (const c of list) names.set(c.code, c.name);
}

export function categoryNameOf(code: string, lang: 'th' | 'en'): string | null {
  return names.get(code)?.[lang] ?? null;
}
