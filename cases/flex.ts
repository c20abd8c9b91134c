/**
 * The Flex messages a citizen reads about cases: the receipt when a case is filed, one case's timeline, and the
 * carousel of "my cases". Pure: a CaseView and a locale in (and, for the deadline, the clock), a LINE message out.
 *
 * Every size is bounded here, so a long story or a busy case can never make LINE answer 400: the citizen's own
 * words and officers' notes are cut, the timeline shows at most 8 entries, the carousel at most 10 cases plus one
 * "more" bubble. The altText is what a phone shows on its lock screen and in the chat list, so it carries the
 * number, the category, the status and the dates, never the story.
 */
import { i18n, type Locale } from '../locales/i18n';
import { clip, formatCaseDate, formatCaseDateTime } from '../locales/dates';
import type { OutMessage } from '../flows/engine/types';
import { isCloseReason } from './reasons';
import { CLOSED_STATUSES, type CaseEventView, type CaseStatus, type CaseView } from '../domain/cases';

export const FLEX_LIMITS = {
  /** Cases in the "my cases" carousel; one more bubble says how many are left (LINE allows 12). */
  carouselCases: 10,
  timelineEntries: 8,
  /** The first line of the story, as shown back to the citizen. */
  summaryChars: 100,
  /** An officer's public note in the timeline. */
  noteChars: 240,
  altText: 1500,
} as const;

/** The badge of each status: white bold text on these, each at least 4.5:1 contrast. */
export const STATUS_COLORS: Readonly<Record<CaseStatus, string>> = {
  received: '#1565C0',
  reviewing: '#8A5300',
  in_progress: '#5E35B1',
  forwarded: '#00697A',
  ended: '#2E7D32',
  not_accepted: '#C62828',
  withdrawn: '#616161',
};

const BRAND = '#0B6E4F';
const MUTED = '#6B7280';
const INK = '#1F2937';
const FAINT = '#C4CAD3';
const DAY = 86_400_000;

function t(locale: Locale, key: string, vars: Record<string, unknown> = {}): string {
  return i18n.t(key, { lng: locale, ns: 'cases', ...vars }) as string;
}
/** `flow=track&number=...`: the postback that starts a flow with its first answer already given. */
export function flowPostback(flow: string, number?: string): string {
  return new URLSearchParams(number === undefined ? { flow } : { flow, number }).toString();
}

const isOpen = (status: CaseStatus) => !CLOSED_STATUSES.includes(status);

// ---- building blocks ------------------------------------------------------------------------------------------

type Component = Record<string, unknown>;

/** LINE refuses an empty text component, so an empty value reads as a dash. */
function text(value: string, props: Component = {}): Component {
  return { type: 'text', text: value.trim() === '' ? '-' : value, wrap: true, ...props };
}

function box(layout: 'vertical' | 'horizontal' | 'baseline', contents: Component[], props: Component = {}): Component {
  return { type: 'box', layout, contents, ...props };
}

/** A label and its value side by side. */
function row(label: string, value: string, valueProps: Component = {}): Component {
  return box('baseline', [
    text(label, { size: 'sm', color: MUTED, flex: 3 }),
    text(value, { size: 'sm', color: INK, flex: 7, ...valueProps }),
  ], { spacing: 'sm' });
}

/** The status in the citizen's words, white on the status's colour, as wide as its words. */
function badge(status: CaseStatus, locale: Locale): Component {
  return box('horizontal', [
    box('vertical', [text(t(locale, `status.${status}`), { size: 'sm', weight: 'bold', color: '#FFFFFF' })], {
      flex: 0,
      backgroundColor: STATUS_COLORS[status],
      cornerRadius: 'md',
      paddingStart: 'md',
      paddingEnd: 'md',
      paddingTop: 'xs',
      paddingBottom: 'xs',
    }),
  ]);
}

function postbackButton(label: string, data: string, displayText: string, style: 'primary' | 'secondary' | 'link' = 'primary'): Component {
  return {
    type: 'button',
    style,
    height: 'sm',
    ...(style === 'primary' ? { color: BRAND } : {}),
    action: { type: 'postback', label, data, displayText },
  };
}

function flex(altText: string, contents: Component): OutMessage {
  return { type: 'flex', altText: clip(altText, FLEX_LIMITS.altText), contents };
}

function dueLine(view: CaseView, locale: Locale, now: number | undefined): string {
  const date = formatCaseDate(view.dueAt, locale);
  return now !== undefined && now > view.dueAt ? t(locale, 'timeline.overdue', { date }) : t(locale, 'timeline.due', { date });
}

// ---- the receipt ----------------------------------------------------------------------------------------------

export interface ReceiptOptions {
  /**
   * The days the center promises (PROGRESS_NOTICE_DAYS), for a case whose category sets none of its own
   * (CaseView.deadlineDays); by default the days between filing and the due date.
   */
  progressNoticeDays?: number;
}

/** What a citizen gets the moment a case is filed: the number to keep, what happens next, and by when. */
export function receiptMessage(view: CaseView, locale: Locale, opts: ReceiptOptions = {}): OutMessage {
  const number = view.trackingNumber;
  const category = t(locale, `category.${view.category}`);
  const filedAt = formatCaseDateTime(view.createdAt, locale);
  const due = formatCaseDate(view.dueAt, locale);
  const days = view.deadlineDays ?? opts.progressNoticeDays ?? Math.round((view.dueAt - view.createdAt) / DAY);
  const summary = clip(view.summary, FLEX_LIMITS.summaryChars);

  const bubble = {
    type: 'bubble',
    size: 'mega',
    // The header block itself is coloured (a coloured box inside it would leave a white frame).
    styles: { header: { backgroundColor: BRAND } },
    header: box('vertical', [
      text(t(locale, 'receipt.title'), { size: 'lg', weight: 'bold', color: '#FFFFFF' }),
      text(t(locale, 'center'), { size: 'xs', color: '#E6F4EE' }),
    ], { spacing: 'xs' }),
    body: box('vertical', [
      text(t(locale, 'label.number'), { size: 'sm', color: MUTED }),
      // Big, boxed and tappable: a tap copies the number (LINE 14+), so it can be pasted when tracking. Large
      // rather than extra large: 17 bold characters must fit a phone's bubble on one line without shrinking.
      box('vertical', [text(number, { size: 'lg', weight: 'bold', color: INK, align: 'center', wrap: false, adjustMode: 'shrink-to-fit' })], {
        backgroundColor: '#F3F4F6',
        borderColor: FAINT,
        borderWidth: '1px',
        cornerRadius: 'md',
        paddingAll: 'md',
        action: { type: 'clipboard', label: t(locale, 'receipt.copy'), clipboardText: number },
      }),
      text(t(locale, 'receipt.copyHint'), { size: 'xs', color: MUTED }),
      { type: 'separator', margin: 'lg' },
      box('vertical', [
        row(t(locale, 'label.category'), category),
        ...(summary ? [row(t(locale, 'label.subject'), summary, { maxLines: 3 })] : []),
        row(t(locale, 'label.filedAt'), filedAt),
        row(t(locale, 'label.status'), t(locale, `status.${view.status}`)),
      ], { margin: 'lg', spacing: 'sm' }),
      { type: 'separator', margin: 'lg' },
      box('vertical', [
        text(t(locale, 'receipt.nextTitle'), { size: 'sm', weight: 'bold', color: INK }),
        text(days >= 1 ? t(locale, 'receipt.next', { days }) : t(locale, 'receipt.nextNoDays'), { size: 'sm', color: INK }),
        text(t(locale, 'receipt.by', { date: due }), { size: 'md', weight: 'bold', color: BRAND }),
      ], { margin: 'lg', spacing: 'xs' }),
    ], { spacing: 'sm' }),
    footer: box('vertical', [
      postbackButton(t(locale, 'receipt.track'), flowPostback('track', number), t(locale, 'receipt.trackDisplay', { number })),
      { type: 'button', style: 'secondary', height: 'sm', action: { type: 'clipboard', label: t(locale, 'receipt.copy'), clipboardText: number } },
    ], { spacing: 'sm' }),
  };
  return flex(t(locale, 'receipt.altText', { number, category, filedAt, due }), bubble);
}

// ---- one case's timeline --------------------------------------------------------------------------------------

const EVENT_KINDS = new Set(['created', 'status', 'note', 'info_added', 'attachment', 'withdrawn', 'reopened', 'progress_notice', 'survey']);

function eventLabel(e: CaseEventView, locale: Locale): string {
  if (e.kind === 'status' && e.status) return t(locale, 'event.status', { status: t(locale, `status.${e.status}`) });
  return t(locale, `event.${EVENT_KINDS.has(e.kind) ? e.kind : 'other'}`);
}

/** Where a forwarded case went, why a case ended or was not accepted: the same words as the pushed update. */
function eventDetail(e: CaseEventView, locale: Locale): string[] {
  const lines: string[] = [];
  if (e.forwardedTo) lines.push(t(locale, 'notice.forwardedTo', { agency: clip(e.forwardedTo, FLEX_LIMITS.noteChars) }));
  if (e.reason && isCloseReason(e.reason)) lines.push(t(locale, 'notice.reason', { reason: t(locale, `closeReason.${e.reason}`) }));
  return lines;
}

/** The public timeline, newest first, at most FLEX_LIMITS.timelineEntries; a case with none shows its filing. */
function timelineEntries(view: CaseView, locale: Locale): Component[] {
  const all: CaseEventView[] = view.events.length ? view.events : [{ at: view.createdAt, kind: 'created' }];
  // Oldest first in the view; ties keep their recorded order (reversed), so the newest of a second comes first.
  const newest = all.map((e, i) => ({ e, i })).sort((a, b) => b.e.at - a.e.at || b.i - a.i).map((x) => x.e);
  const shown = newest.slice(0, FLEX_LIMITS.timelineEntries);
  const entries = shown.map((e, i) =>
    box('horizontal', [
      // A dot: flex 0, or a horizontal box would stretch it across the row.
      box('vertical', [], {
        flex: 0,
        width: '10px',
        height: '10px',
        cornerRadius: '5px',
        offsetTop: '4px',
        backgroundColor: i === 0 ? STATUS_COLORS[view.status] : FAINT,
      }),
      box('vertical', [
        text(formatCaseDateTime(e.at, locale), { size: 'xs', color: MUTED }),
        text(eventLabel(e, locale), { size: 'sm', color: INK, weight: i === 0 ? 'bold' : 'regular' }),
        ...eventDetail(e, locale).map((line) => text(line, { size: 'sm', color: '#374151' })),
        ...(e.note ? [text(clip(e.note, FLEX_LIMITS.noteChars), { size: 'sm', color: '#374151' })] : []),
      ], { flex: 1 }),
    ], { spacing: 'md', margin: 'md' }),
  );
  const earlier = newest.length - shown.length;
  if (earlier > 0) entries.push(text(t(locale, 'timeline.earlier', { count: earlier }), { size: 'xs', color: MUTED, margin: 'md' }));
  return entries;
}

export interface TimelineOptions {
  /** The clock, so a due date already past reads as such; without it the due date is shown as ahead. */
  now?: number;
}

/** One case as the citizen may see it: status in plain words, last update, the public timeline, the next date. */
export function caseTimelineMessage(view: CaseView, locale: Locale, opts: TimelineOptions = {}): OutMessage {
  const number = view.trackingNumber;
  const category = t(locale, `category.${view.category}`);
  const status = t(locale, `status.${view.status}`);
  const updatedAt = formatCaseDateTime(view.updatedAt, locale);
  const summary = clip(view.summary, FLEX_LIMITS.summaryChars);
  const open = isOpen(view.status);

  const bubble = {
    type: 'bubble',
    size: 'mega',
    header: box('vertical', [
      text(t(locale, 'label.number'), { size: 'xs', color: MUTED }),
      text(number, { size: 'lg', weight: 'bold', color: INK, wrap: false, adjustMode: 'shrink-to-fit' }),
      text(category, { size: 'sm', color: MUTED }),
    ], { paddingBottom: 'sm' }),
    body: box('vertical', [
      badge(view.status, locale),
      text(t(locale, `statusMeaning.${view.status}`), { size: 'sm', color: INK, margin: 'sm' }),
      ...(summary ? [text(summary, { size: 'sm', color: MUTED, maxLines: 2, margin: 'sm' })] : []),
      text(`${t(locale, 'label.updatedAt')} ${updatedAt}`, { size: 'xs', color: MUTED, margin: 'sm' }),
      { type: 'separator', margin: 'lg' },
      text(t(locale, 'timeline.title'), { size: 'sm', weight: 'bold', color: INK, margin: 'lg' }),
      ...timelineEntries(view, locale),
      ...(open
        ? [box('vertical', [text(dueLine(view, locale, opts.now), { size: 'sm', weight: 'bold', color: BRAND })], {
            margin: 'lg',
            paddingAll: 'md',
            cornerRadius: 'md',
            backgroundColor: '#EAF5F0',
          })]
        : []),
    ]),
    // Only an open case can take more information or be withdrawn (the followup flow).
    ...(open
      ? {
          footer: box('vertical', [
            postbackButton(t(locale, 'timeline.followup'), flowPostback('followup', number), t(locale, 'timeline.followupDisplay', { number }), 'secondary'),
          ]),
        }
      : {}),
  };
  return flex(t(locale, 'timeline.altText', { number, category, status, updatedAt }), bubble);
}

// ---- "my cases" -----------------------------------------------------------------------------------------------

export interface MyCasesOptions {
  /** How many cases the person has in all, when more were counted than passed; by default views.length. */
  total?: number;
}

function caseBubble(view: CaseView, locale: Locale): Component {
  const number = view.trackingNumber;
  const summary = clip(view.summary, FLEX_LIMITS.summaryChars);
  return {
    type: 'bubble',
    size: 'kilo',
    body: box('vertical', [
      text(number, { size: 'md', weight: 'bold', color: INK, wrap: false, adjustMode: 'shrink-to-fit' }),
      text(t(locale, `category.${view.category}`), { size: 'xs', color: MUTED }),
      box('vertical', [badge(view.status, locale)], { margin: 'md' }),
      ...(summary ? [text(summary, { size: 'sm', color: INK, maxLines: 2, margin: 'md' })] : []),
      text(`${t(locale, 'label.updatedAt')} ${formatCaseDateTime(view.updatedAt, locale)}`, { size: 'xs', color: MUTED, margin: 'md' }),
    ], { spacing: 'xs' }),
    footer: box('vertical', [
      postbackButton(t(locale, 'myCases.open'), flowPostback('track', number), t(locale, 'myCases.openDisplay', { number })),
    ]),
  };
}

function moreBubble(count: number, locale: Locale): Component {
  return {
    type: 'bubble',
    size: 'kilo',
    body: box('vertical', [
      text(t(locale, 'myCases.more', { count }), { size: 'md', weight: 'bold', color: INK }),
      text(t(locale, 'myCases.moreHow', { shown: FLEX_LIMITS.carouselCases }), { size: 'sm', color: INK }),
    ], { spacing: 'md', justifyContent: 'center' }),
    footer: box('vertical', [
      postbackButton(t(locale, 'myCases.moreButton'), flowPostback('track'), t(locale, 'myCases.moreDisplay'), 'secondary'),
    ]),
  };
}

/** The person's cases, newest first, each with its status and last update and a button to its timeline. */
export function myCasesMessage(views: readonly CaseView[], locale: Locale, opts: MyCasesOptions = {}): OutMessage {
  const newest = [...views].sort((a, b) => b.createdAt - a.createdAt);
  const shown = newest.slice(0, FLEX_LIMITS.carouselCases);
  const total = Math.max(opts.total ?? views.length, views.length);
  const more = total - shown.length;
  const bubbles = shown.map((v) => caseBubble(v, locale));
  if (more > 0) bubbles.push(moreBubble(more, locale));
  const list = shown.map((v) => `${v.trackingNumber} ${t(locale, `status.${v.status}`)}`).join(', ');
  return flex(t(locale, 'myCases.altText', { count: total, list }), { type: 'carousel', contents: bubbles });
}
