/**
 * A case as the domain knows it (docs: ../shared/domain/damrongdhama.md). Statuses and categories are codes;
 * the words a citizen reads live in locales/<lng>/cases.json, a category's in the `category` table (categories/).
 */
export const CASE_STATUSES = ['received', 'reviewing', 'in_progress', 'forwarded', 'ended', 'not_accepted', 'withdrawn'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** A case in one of these is closed: no more progress notices; the citizen may be asked to rate it. */
export const CLOSED_STATUSES: readonly CaseStatus[] = ['ended', 'not_accepted', 'withdrawn'];

/**
 * The categories the center ships with: the migration that made the `category` table seeded these, and the
 * language layer's model proposes one of them (language/categories.ts). The categories in use are the table's
 * (categories/): admins add their own, edit names and rules, retire them; a case keeps its code whatever happens to
 * its category. Only the code is here: names and rules are data.
 */
export const BUILT_IN_CATEGORIES = [
  'complaint',
  'assistance',
  'justice',
  'official_conduct',
  'tip_off',
  'information',
  'consultation',
  'suggestion',
] as const;
export type BuiltInCategory = (typeof BUILT_IN_CATEGORIES)[number];

/** A category's code (the `category` table's): a built-in one or one an admin added. */
export type Category = string;

/**
 * How a case came in: the bot, or one of the ways an officer records in the console (cases/counter.ts): the
 * counter, the 1567 hotline, a letter, a field visit, e-mail, the website, another agency. One register and one
 * tracking-number sequence for all of them.
 */
export const CHANNELS = ['line', 'walk_in', 'hotline', 'letter', 'field', 'email', 'website', 'agency'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The channels an officer records a case from; 'line' is only the bot's. */
export const COUNTER_CHANNELS = ['walk_in', 'hotline', 'letter', 'field', 'email', 'website', 'agency'] as const satisfies readonly Exclude<Channel, 'line'>[];
export type CounterChannel = (typeof COUNTER_CHANNELS)[number];

/** What a citizen may see of a case: never an officer's internal note, never another person's data. */
export interface CaseView {
  trackingNumber: string;
  category: Category;
  status: CaseStatus;
  /** The first line of the story, shortened: enough to recognise one's own case. */
  summary: string;
  createdAt: number;
  updatedAt: number;
  /** When the center will have answered or reported progress by (the 15-day clock). */
  dueAt: number;
  /** The days the case's category promises, when it sets its own (else the center's PROGRESS_NOTICE_DAYS). */
  deadlineDays?: number;
  /** The public timeline, oldest first. */
  events: CaseEventView[];
}

export interface CaseEventView {
  at: number;
  kind: string;
  status?: CaseStatus;
  /** A note the officer marked public, in the officer's words. */
  note?: string;
  /** Why the case ended or was not accepted: a code of cases/reasons.ts. */
  reason?: string;
  /** The agency a forwarded case went to. */
  forwardedTo?: string;
}
