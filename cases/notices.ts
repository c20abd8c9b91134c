/**
 * Keeping the citizen informed: a public status change is pushed at once; while a case is open and nothing was
 * said for PROGRESS_NOTICE_DAYS, a progress notice goes out; when a case ends, the result, then the satisfaction
 * survey. Each is a scheduled job (scheduler/), run once even with several server processes, inside the
 * transaction that also queues the push in the outbox.
 */
import type { Tx } from '../storage/database';
import { queueMessages } from '../storage/outbox';
import { i18n } from '../bot/i18n';
import { formatDate } from '../flows/engine/format';
import type { Locale } from '../flows/engine/state';
import { caseById, caseView, changeStatus, addEvent, isClosed, type CaseRow } from './store';
import { caseTimelineMessage } from './flex';
import type { CaseStatus } from './types';

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

/**
 * An officer (or the system) changes a case's status. A public change is pushed to the citizen with the case's
 * timeline; an ending schedules the survey; a reopened or continuing case keeps its progress clock.
 */
export async function changeCaseStatus(
  tx: Tx,
  row: CaseRow,
  c: {
    to: CaseStatus;
    note?: string | null;
    public: boolean;
    actorId: string;
    reason?: string | null;
    now: number;
    /** When the push is due by the outbox sender's clock (default `now`); see runProgressNotice. */
    sendAt?: number;
  },
  schedule: ScheduleFn,
): Promise<void> {
  const eventId = await changeStatus(tx, row, { ...c, actorType: 'officer' });
  const updated = (await caseById(tx, row.id))!;
  if (c.public) {
    const chat = await citizenChat(tx, updated);
    if (chat) {
      const view = await caseView(tx, updated);
      const words = i18n.t(`status.${c.to}`, { lng: chat.locale, ns: 'cases' }) as string;
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

/**
 * The progress notice: when nothing public was said for the interval, tell the citizen where the case stands;
 * otherwise wait until the interval has passed since the last public word. Stops when the case is closed.
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
  const due = row.last_public_update_at + intervalDays * DAY;
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
  await tx.query('UPDATE cases SET due_at = $2 WHERE id = $1', [row.id, now + intervalDays * DAY]);
  await schedule({ kind: PROGRESS_JOB, key: progressJobKey(row.tracking_number), runAt: now + intervalDays * DAY, payload: { caseId } });
  return 'sent';
}
