/**
 * Keeping the citizen informed: a public status change is pushed at once; while a case is open and nothing was
 * said for PROGRESS_NOTICE_DAYS, a progress notice goes out; when a case ends, the result, then the satisfaction
 * survey. Each is a scheduled job (scheduler/), run once even with several server processes, inside the
 * transaction that also queues the push in the outbox.
 */
import type { Tx } from '../storage/database';
import { queueMessages } from '../storage/outbox';
import { i18n } from '../locales/i18n';
import { formatDate } from '../flows/engine/format';
import type { Locale } from '../flows/engine/state';
import { caseById, caseView, changeStatus, addEvent, isClosed, markReopened, type CaseRow } from './store';
import { caseTimelineMessage } from './flex';
import { isCloseReason } from './reasons';
import type { CaseStatus } from '../domain/cases';
import { categoryList, deadlineDaysOf, findCategory } from '../categories';

export const PROGRESS_JOB = 'case.progress';
export const SURVEY_JOB = 'case.survey';
export const progressJobKey = (trackingNumber: string) => `progress:${trackingNumber}`;
export const surveyJobKey = (trackingNumber: string) => `survey:${trackingNumber}`;

const DAY = 86_400_000;
const t = (locale: Locale, key: string, vars: Record<string, unknown> = {}) => i18n.t(key, { ...vars, lng: locale, ns: 'notices' }) as string;

/** The LINE chat and language of a case's citizen, or null (filed at the counter, anonymous without LINE). */
export async function citizenChat(tx: Pick<Tx, 'query'>, row: CaseRow): Promise<{ chatId: string; locale: Locale } | null> {
  if (row.citizen_id === null) return null;
  const [c] = await tx.query<{ line_user_id: string; locale: string }>('SELECT line_user_id, locale FROM citizen WHERE id = $1', [row.citizen_id]);
  return c ? { chatId: c.line_user_id, locale: c.locale === 'en' ? 'en' : 'th' } : null;
}

export interface ScheduleFn {
  (job: { kind: string; key: string; runAt: number; payload: Record<string, unknown> }): Promise<void>;
}

export interface StatusChangeNotice {
  to: CaseStatus;
  note?: string | null;
  public: boolean;
  actorId: string;
  /** Why it ended or was not accepted (cases/reasons.ts): named to the citizen in their language. */
  reason?: string | null;
  /** The agency a forwarded case went to: named to the citizen. */
  forwardedTo?: string | null;
  now: number;
  /** When the push is due by the outbox sender's clock (default `now`); see runProgressNotice. */
  sendAt?: number;
}

/**
 * What the citizen reads under the new status: where the case was forwarded, why it ended or was not accepted,
 * that it was reopened. Pure; null when there is nothing to add.
 */
export function statusDetail(locale: Locale, c: { to: CaseStatus; reason?: string | null; forwardedTo?: string | null; reopened?: boolean }): string | null {
  const cases = (key: string, vars: Record<string, unknown> = {}) => i18n.t(key, { ...vars, lng: locale, ns: 'cases' }) as string;
  const lines: string[] = [];
  if (c.reopened) lines.push(cases('notice.reopened'));
  if (c.to === 'forwarded' && c.forwardedTo) lines.push(cases('notice.forwardedTo', { agency: c.forwardedTo }));
  if (isClosed(c.to) && isCloseReason(c.reason)) lines.push(cases('notice.reason', { reason: cases(`closeReason.${c.reason}`) }));
  return lines.length ? lines.join('\n') : null;
}

/**
 * An officer (or the system) changes a case's status. A public change is pushed to the citizen with the case's
 * timeline, naming the agency or the reason; an ending schedules the survey; a continuing case keeps its
 * progress clock (reopenCase restarts it).
 */
export async function changeCaseStatus(tx: Tx, row: CaseRow, c: StatusChangeNotice, schedule: ScheduleFn, o: { reopened?: boolean } = {}): Promise<void> {
  const eventId = await changeStatus(tx, row, { ...c, actorType: 'officer' });
  const updated = (await caseById(tx, row.id))!;
  if (c.public) {
    const chat = await citizenChat(tx, updated);
    if (chat) {
      const view = await caseView(tx, updated);
      const detail = statusDetail(chat.locale, { ...c, reopened: !!o.reopened });
      const statusWords = i18n.t(`status.${c.to}`, { lng: chat.locale, ns: 'cases' }) as string;
      const words = detail ? `${statusWords}\n${detail}` : statusWords;
      const text = c.note
        ? t(chat.locale, 'statusChangedNote', { number: updated.tracking_number, status: words, note: c.note })
        : t(chat.locale, 'statusChanged', { number: updated.tracking_number, status: words });
      await queueMessages(tx, { chatId: chat.chatId, messages: [{ type: 'text', text }, caseTimelineMessage(view, chat.locale)] }, c.sendAt ?? c.now);
      await tx.query('UPDATE case_event SET notified_at = $2 WHERE id = $1', [eventId, c.now]);
    }
  }
  if (isClosed(c.to)) {
    if (c.to !== 'withdrawn') await schedule({ kind: SURVEY_JOB, key: surveyJobKey(updated.tracking_number), runAt: c.now, payload: { caseId: updated.id } });
  }
}

export class CaseNotClosedError extends Error {
  constructor(readonly status: CaseStatus) {
    super(`the case is ${status}, not closed`);
    this.name = 'CaseNotClosedError';
  }
}

/**
 * An officer opens a closed case again (the citizen's own reopen, after a poor rating, is bot/actions/cases.ts):
 * it goes back to in_progress with the officer's note, closed_at and close_reason are cleared, reopen_count
 * counts it, and the progress clock starts over: due in `progressNoticeDays`, its job scheduled again. The
 * timeline gets a 'reopened' event, then the status change, which tells the citizen when public.
 */
export async function reopenCase(
  tx: Tx,
  row: CaseRow,
  c: { note: string; public: boolean; actorId: string; now: number; sendAt?: number; progressNoticeDays: number },
  schedule: ScheduleFn,
): Promise<{ dueAt: number }> {
  if (!isClosed(row.status)) throw new CaseNotClosedError(row.status);
  const dueAt = c.now + (await deadlineOf(tx, row.category, c.progressNoticeDays)) * DAY;
  await markReopened(tx, row.id, dueAt);
  await addEvent(tx, row.id, { at: c.now, actorType: 'officer', actorId: c.actorId, kind: 'reopened', public: c.public });
  await changeCaseStatus(
    tx,
    row,
    { to: 'in_progress', note: c.note, public: c.public, actorId: c.actorId, now: c.now, ...(c.sendAt !== undefined ? { sendAt: c.sendAt } : {}) },
    schedule,
    { reopened: true },
  );
  await schedule({ kind: PROGRESS_JOB, key: progressJobKey(row.tracking_number), runAt: dueAt, payload: { caseId: row.id } });
  return { dueAt };
}

/**
 * The progress notice: when nothing public was said for the interval, tell the citizen where the case stands;
 * otherwise wait until the interval has passed since the last public word. Stops when the case is closed. The
 * interval is the case's category's own deadline when it sets one, else `intervalDays` (PROGRESS_NOTICE_DAYS).
 *
 * `now` is the scheduler's clock, the case's time; `sendAt` is when the message is due by the outbox sender's
 * clock. They are one clock in production, but a test moves the scheduler's days ahead while the sender keeps the
 * wall clock, and a message queued at the case's time would wait those days in the outbox.
 */
export async function runProgressNotice(
  tx: Tx,
  caseId: number,
  now: number,
  intervalDays: number,
  schedule: ScheduleFn,
  sendAt: number = now,
): Promise<'sent' | 'waiting' | 'closed'> {
  const row = await caseById(tx, caseId);
  if (!row || isClosed(row.status)) return 'closed';
  const days = await deadlineOf(tx, row.category, intervalDays);
  const due = row.last_public_update_at + days * DAY;
  if (due > now) {
    await schedule({ kind: PROGRESS_JOB, key: progressJobKey(row.tracking_number), runAt: due, payload: { caseId } });
    return 'waiting';
  }
  const chat = await citizenChat(tx, row);
  await addEvent(tx, row.id, { at: now, actorType: 'system', kind: 'progress_notice', public: true });
  if (chat) {
    const words = i18n.t(`status.${row.status}`, { lng: chat.locale, ns: 'cases' }) as string;
    const text = t(chat.locale, 'progress', { number: row.tracking_number, status: words, since: formatDate(new Date(row.created_at + 7 * 3_600_000).toISOString().slice(0, 10), chat.locale) });
    await queueMessages(tx, { chatId: chat.chatId, messages: [{ type: 'text', text }] }, sendAt);
  }
  await tx.query('UPDATE cases SET due_at = $2 WHERE id = $1', [row.id, now + days * DAY]);
  await schedule({ kind: PROGRESS_JOB, key: progressJobKey(row.tracking_number), runAt: now + days * DAY, payload: { caseId } });
  return 'sent';
}

/** The days a case's citizen may wait to hear: its category's own deadline, else the center's. */
async function deadlineOf(tx: Pick<Tx, 'query'>, category: string, centerDays: number): Promise<number> {
  return deadlineDaysOf(findCategory(await categoryList(tx), category), centerDays);
}
