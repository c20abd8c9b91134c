/**
 * The kinds of request a Damrongdhama Center files (its own taxonomy, not a topic) that the language layer's model
 * was trained on: it proposes one of these for a complaint; the person or an officer can change it. These are the
 * model's labels, the built-in categories; the categories in use are the `category` table's (categories/), where
 * admins add their own (which a flow files into explicitly, by a choice) and may retire a built-in one. A proposal
 * the flow does not offer is not offered to the citizen (flows/engine: confirmIfFilled proposes only an option).
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
