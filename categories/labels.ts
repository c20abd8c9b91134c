/**
 * The names of the categories where every message and file looks words up: the `cases` namespace of locales/
 * (`category.<code>`), which receipts, timelines, officers' notices, intake forms and reports read. The JSON files
 * carry the shipped names; the table's names replace them as soon as a process reads the list, so an admin's new
 * category or new name is printed everywhere without each renderer taking the list.
 */
import { i18n, LOCALES } from '../locales/i18n';
import type { CaseCategory } from './types';

export function useCategoryNames(list: readonly Pick<CaseCategory, 'code' | 'name'>[]): void {
  for (const c of list) {
    for (const lng of LOCALES) {
      if (i18n.getResource(lng, 'cases', `category.${c.code}`) !== c.name[lng]) i18n.addResource(lng, 'cases', `category.${c.code}`, c.name[lng]);
    }
  }
}
