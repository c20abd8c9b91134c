import { area } from './area';

/** The queue pages' words. */
export const queueTexts = area({
  th: {},
  en: {},
});
