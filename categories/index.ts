/**
 * The case categories as data: admins add, edit and retire them in the console (console/api/categories.ts); filing,
 * notices, deadlines, the console's labels, reports, open data and the flows' validation read them here.
 */
export type { CaseCategory, CategoryInput, CategoryEdit } from './types';
export {
  DEFAULT_CATEGORY,
  CATEGORY_CODE,
  isRetired,
  findCategory,
  activeCategories,
  forFiling,
  filedUnder,
  isConfidentialCase,
  confidentialCodes,
  deadlineDaysOf,
  categoryName,
  type FilingVerdict,
} from './rules';
export { categoryInput, categoryEditInput, categoryIssues, NAME_MAX, DEADLINE_MAX_DAYS, type CategoryInputError } from './schema';
export {
  CategoryStore,
  CategoryNotFoundError,
  CategoryExistsError,
  DefaultCategoryError,
  categoryList,
  readCategories,
  readCategory,
  expireCategories,
  CATEGORY_CACHE_MS,
} from './store';
export { useCategoryNames } from './labels';
export { SHIPPED_CATEGORIES } from './shipped';
