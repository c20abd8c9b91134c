import { area } from './area';

/** The settings pages' words. */
export const settingsTexts = area({
  th: {},
  en: {},
});
