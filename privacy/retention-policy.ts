/**
 * What the retention purge erases, and when: pure, from the settings and a clock. Each kind of data has its own
 * period (config/settings.ts RETENTION_*); a run measures every age from one instant (`asOf`), so a run carried out
 * in many small transactions, or resumed after a restart, draws the same lines.
 *
 * The kinds are disjoint, so that a dry run's "would erase" is what the run then erases: an inbox event or a photo
 * inside a chat with an officer belongs to the chat (kept while the chat is), never to its own kind; a photo that
 * is a case's evidence goes with the case. They run in this order because a later one reads what an earlier one
 * left: a citizen is unlinked only once the cases and chats that kept them are gone, and the rows of who wrote when
 * are deleted last.
 */
import type { RetentionSettings } from '../config/settings';
import type { ErasedCounts } from './erase';

export const RETENTION_KINDS = [
  'inboxPayloads',
  'outboxBodies',
  'notifications',
  'languageSamples',
  'media',
  'sessions',
  'cases',
  'petitions',
  'chats',
  'citizens',
  'inboxRows',
  'outboxRows',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export type KindCounts = Record<RetentionKind, number>;

/** What a run erased: how many of each kind (rows, or cases, chats, citizens), and the rows erase.ts touched. */
export interface RunCounts {
  purged: KindCounts;
  rows: ErasedCounts;
}

export const zeroCounts = (): KindCounts => Object.fromEntries(RETENTION_KINDS.map((k) => [k, 0])) as KindCounts;

const DAY = 86_400_000;
const BANGKOK = 7 * 3_600_000;

/**
 * Rows of the inbox (unique by LINE's webhookEventId, which is how a redelivered event is recognised) are never
 * deleted younger than this, whatever the settings say: LINE redelivers within hours, a week is far beyond it.
 */
export const REDELIVERY_GUARD_DAYS = 7;

/** Each kind's line: what is older than it (or, for cases, closed at or before it) is erased. */
export interface RetentionCutoffs {
  asOf: number;
  /** Handled bot conversation received before this. */
  inbox: number;
  /** Bodies of messages parked as failed, queued before this. */
  outbox: number;
  /** Photos and files of no case and no kept chat, fetched before this. */
  media: number;
  /** Conversations idle since before this. */
  sessions: number;
  /** Chats with officers that ended before this; citizens silent since before this; rows of who wrote when. */
  chats: number;
  /** The inbox's and outbox's own rows, received or queued before this (the chat period, never under the guard). */
  rows: number;
  /** Closed cases whose closing (or last change, for an old import without one) is at or before this; royal
   * petitions forwarded or concluded, last changed at or before this. */
  cases: number;
  /** Officers' notices queued before this. */
  notifications: number;
  /** Messages the language layer found hard, kept before this. */
  languageSamples: number;
}

/** The language samples' period for a run recorded before it was a setting (its policy has none). */
export const LANGUAGE_SAMPLE_DAYS_DEFAULT = 90;

/** `years` calendar years before `at`, as cases/my-data.ts retainedUntil counts them forward (UTC). */
export function yearsBefore(at: number, years: number): number {
  const d = new Date(at);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.getTime();
}

export function cutoffsOf(s: RetentionSettings, asOf: number): RetentionCutoffs {
  const daysBefore = (days: number) => asOf - days * DAY;
  return {
    asOf,
    inbox: daysBefore(s.inboxDays),
    outbox: daysBefore(s.outboxDays),
    media: daysBefore(s.mediaDays),
    sessions: daysBefore(s.sessionDays),
    chats: daysBefore(s.chatDays),
    rows: daysBefore(Math.max(s.chatDays, REDELIVERY_GUARD_DAYS)),
    cases: yearsBefore(asOf, s.years),
    notifications: daysBefore(s.notificationDays),
    languageSamples: daysBefore(s.languageSampleDays ?? LANGUAGE_SAMPLE_DAYS_DEFAULT),
  };
}

/** The period of each kind as the console and the command show it: days, or years for cases. */
export function periodOf(s: RetentionSettings, kind: RetentionKind): { days: number } | { years: number } {
  switch (kind) {
    case 'inboxPayloads':
      return { days: s.inboxDays };
    case 'outboxBodies':
      return { days: s.outboxDays };
    case 'notifications':
      return { days: s.notificationDays };
    case 'languageSamples':
      return { days: s.languageSampleDays ?? LANGUAGE_SAMPLE_DAYS_DEFAULT };
    case 'media':
      return { days: s.mediaDays };
    case 'sessions':
      return { days: s.sessionDays };
    case 'cases':
    case 'petitions':
      return { years: s.years };
    case 'chats':
    case 'citizens':
      return { days: s.chatDays };
    case 'inboxRows':
    case 'outboxRows':
      return { days: Math.max(s.chatDays, REDELIVERY_GUARD_DAYS) };
  }
}

/** The daily run after `now`: at `runAt` (HH:MM) in Thailand, later today if it is still ahead, else tomorrow. */
export function nextRunAt(now: number, runAt: string): number {
  const [h, m] = runAt.split(':').map(Number) as [number, number];
  const local = new Date(now + BANGKOK);
  const today = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), h, m) - BANGKOK;
  return today > now ? today : today + DAY;
}

/**
 * How far back a chat is erased: everything before the chat period, but never into a handoff of the same chat that
 * is still kept (open, or ended within the period), which would lose the start of a conversation an officer reads.
 */
export function chatEraseBefore(cutoff: number, keptHandoffsRequestedAt: readonly number[]): number {
  return Math.min(cutoff, ...keptHandoffsRequestedAt);
}

/** The kind after `kind` in a run, or null after the last. */
export function kindAfter(kind: RetentionKind): RetentionKind | null {
  return RETENTION_KINDS[RETENTION_KINDS.indexOf(kind) + 1] ?? null;
}
