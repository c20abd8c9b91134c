/**
 * The case categories from the server (GET /categories): the same list for every page, read once signed in and
 * again after an admin changes it. Pages read it with useCategories(); names go to codeLabel (category-names.ts).
 */
import { useEffect, useState } from 'react';
import { api } from './api';
import { rememberCategoryNames } from './category-names';
import type { CaseCategory } from '../../../categories/types';

/** A category as the server sends it: categories/types.ts's, which is plain JSON already (times in epoch ms). */
export type ConsoleCategory = CaseCategory;

export interface CategoryList {
  categories: ConsoleCategory[];
  canEdit: boolean;
}

let current: CategoryList | null = null;
let loading: Promise<CategoryList> | null = null;
const listeners = new Set<(l: CategoryList) => void>();

/** Reads the list again (after a change, or the first time) and tells every page that shows it. */
export function reloadCategories(): Promise<CategoryList> {
  loading = api<CategoryList>('GET', '/categories').then((l) => {
    current = l;
    rememberCategoryNames(l.categories);
    for (const f of listeners) f(l);
    return l;
  });
  loading.catch(() => undefined).finally(() => (loading = null));
  return loading;
}

/** The list as last read; read now when it never was. */
export function useCategories(): CategoryList | null {
  const [list, setList] = useState<CategoryList | null>(current);
  useEffect(() => {
    listeners.add(setList);
    if (!current && !loading) void reloadCategories().catch(() => undefined);
    else if (current) setList(current);
    return () => void listeners.delete(setList);
  }, []);
  return list;
}

export const inUse = (c: ConsoleCategory): boolean => c.retiredAt === null;
