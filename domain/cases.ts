/**
 * A case as the domain knows it (docs: ../shared/domain/damrongdhama.md). Statuses and categories are codes;
 * the words a citizen reads live in locales/<lng>/cases.json.
 */
export const CASE_STATUSES = ['received', 'reviewing', 'in_progress', 'forwarded', 'ended', 'not_accepted', 'withdrawn'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** A case in one of these is closed: no more progress notices; the citizen may be asked to rate it. */
export const CLOSED_STATUSES: readonly CaseStatus[] = ['ended', 'not_accepted', 'withdrawn'];

export const CATEGORIES = [
  'complaint',
  'assistance',
  'justice',
  'official_conduct',
  'tip_off',
  'information',
  'consultation',
  'suggestion',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Complaints about officials are for supervisors only. */
export const CONFIDENTIAL_CATEGORIES: readonly Category[] = ['official_conduct'];

/**
 * Whether a case is for supervisors only: its category is confidential, or its row was marked so when it was
 * filed (`cases.confidential`). Its notices then go to the province's supervisors, never to its district.
 */
export function isConfidential(c: { category?: string | null; confidential?: boolean | number | null }): boolean {
  return c.confidential === true || c.confidential === 1 || (CONFIDENTIAL_CATEGORIES as readonly string[]).includes(String(c.category));
}

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
