import { area } from './area';

/** The case pages' words. */
export const caseTexts = area({
  th: {},
  en: {},
});
