import { area } from './area';

/** The admin pages' words. */
export const adminTexts = area({
  th: {},
  en: {},
});
