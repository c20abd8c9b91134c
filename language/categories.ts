/**
 * The kinds of request a Damrongdhama Center files (its own taxonomy, not a topic): the language layer proposes
 * one for a complaint; the person or an officer can change it.
 */
export const CATEGORIES = [
  'complaint', // a grievance against someone
  'assistance', // asking for help
  'justice', // asking for fair treatment
  'official_conduct', // an official's conduct
  'tip_off', // a tip-off (gambling den, drugs, ...)
  'information', // asking for information
  'consultation', // asking for advice
  'suggestion', // a suggestion
] as const;
export type Category = (typeof CATEGORIES)[number];
