/** The actions of the citizen's case flows: file, list, track, add information, withdraw, rate, reopen. */
import type { ActionContext, ActionResult } from './context';
import { addEvent, attachEvidence, citizenNote, caseByNumber, casesOfUser, caseView, changeStatus, fileCase, isClosed, markReopened, type CaseRow } from '../../cases/store';
import { receiptMessage, caseTimelineMessage, myCasesMessage } from '../../cases/flex';
import { parseTrackingNumber } from '../../cases/tracking-number';
import { scheduleJob, cancelJob } from '../../scheduler/jobs';
import { PROGRESS_JOB, progressJobKey } from '../../cases/notices';
import type { Attachment } from '../../flows/engine/answers';
import { maskNumbersInText } from '../../flows/engine/format';
import { queueNotification } from '../../notify/queue';
import type { Category } from '../../cases/types';
import { normalizeChars } from '../../flows/inputs/normalize';

const DAY = 86_400_000;
const slot = (ctx: ActionContext, name: string) => ctx.state.slots[name];
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export async function fileComplaint(ctx: ActionContext): Promise<ActionResult> {
  const { tx, services, now } = ctx;
  const filed = await fileCase(tx, services.cipher, {
    lineUserId: ctx.lineUserId,
    locale: ctx.locale,
    displayName: ctx.displayName,
    flow: ctx.action.flow,
    slots: { ...ctx.state.slots, anonymous: slot(ctx, 'anonymous') === 'yes' },
    now,
    prefix: services.cases.prefix,
    dueDays: services.cases.progressNoticeDays,
  });
  const anonymous = slot(ctx, 'anonymous') === 'yes';
  await notifyNewCase(ctx, filed.id, filed.trackingNumber);
  // Nobody to tell how an anonymous tip-off goes: no progress notices and no receipt to track it by.
  if (anonymous) return { outcome: 'ok', slots: { trackingNumber: filed.trackingNumber } };
  await scheduleJob(tx, { kind: PROGRESS_JOB, key: progressJobKey(filed.trackingNumber), runAt: filed.dueAt, payload: { caseId: filed.id } }, { now });
  const row = (await caseByNumber(tx, filed.trackingNumber))!;
  const view = await caseView(tx, row);
  return { outcome: 'ok', slots: { trackingNumber: filed.trackingNumber }, messages: [receiptMessage(view, ctx.locale, { progressNoticeDays: services.cases.progressNoticeDays })] };
}

/** The citizen's own case by the number in the slot, or null: another person's case is as good as none. */
async function ownCase(ctx: ActionContext, name = 'number'): Promise<CaseRow | null> {
  const parsed = parseTrackingNumber(text(slot(ctx, name)));
  if (!parsed.ok) return null;
  const row = await caseByNumber(ctx.tx, parsed.value.text);
  if (!row) return null;
  const [owner] = await ctx.tx.query<{ line_user_id: string }>('SELECT line_user_id FROM citizen WHERE id = $1', [row.citizen_id ?? -1]);
  return owner?.line_user_id === ctx.lineUserId ? row : null;
}

export async function listMine(ctx: ActionContext): Promise<ActionResult> {
  const rows = await casesOfUser(ctx.tx, ctx.lineUserId, 200);
  if (rows.length === 0) return { outcome: 'none' };
  const views = [];
  for (const row of rows.slice(0, 10)) views.push(await caseView(ctx.tx, row));
  return { outcome: 'some', messages: [myCasesMessage(views, ctx.locale, { total: rows.length })] };
}

/** Failed phone checks per LINE user; past the limit the user waits. Never says whether a number exists. */
async function lockedUntil(ctx: ActionContext): Promise<number | null> {
  const [row] = await ctx.tx.query<{ locked_until: number | null }>('SELECT locked_until FROM track_attempt WHERE line_user_id = $1', [ctx.lineUserId]);
  const until = row?.locked_until === null || row?.locked_until === undefined ? null : Number(row.locked_until);
  return until !== null && until > ctx.now ? until : null;
}

export async function track(ctx: ActionContext): Promise<ActionResult> {
  if (await lockedUntil(ctx)) return { outcome: 'locked' };
  const own = await ownCase(ctx);
  if (own) return { outcome: 'shown', messages: [caseTimelineMessage(await caseView(ctx.tx, own), ctx.locale, { now: ctx.now })] };
  // Someone else's, unknown, or filed another way: the same question in every case, so nothing is revealed.
  return { outcome: 'verify' };
}

/**
 * The four digits as the citizen typed them. The flow reads them with a number input, so the slot holds a number
 * and "0123" arrives as 123: put the leading zeros back. (Read as a string, a number was never equal to the stored
 * digits, and no case filed at the counter could be tracked.)
 */
function lastFourDigits(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 9999 ? String(v).padStart(4, '0') : '';
  return normalizeChars(text(v)).replace(/\D/g, '');
}

export async function verifyPhone(ctx: ActionContext): Promise<ActionResult> {
  if (await lockedUntil(ctx)) return { outcome: 'locked' };
  const parsed = parseTrackingNumber(text(slot(ctx, 'number')));
  const row = parsed.ok ? await caseByNumber(ctx.tx, parsed.value.text) : null;
  const digits = lastFourDigits(slot(ctx, 'last4'));
  // Only a case filed another way (walk-in, hotline) is shown by phone digits: a LINE case belongs to its chat.
  const [channel] = row ? await ctx.tx.query<{ channel: string }>('SELECT channel FROM cases WHERE id = $1', [row.id]) : [];
  if (row && channel?.channel !== 'line' && row.phone_last4 !== null && row.phone_last4 === digits) {
    await ctx.tx.query('DELETE FROM track_attempt WHERE line_user_id = $1', [ctx.lineUserId]);
    return { outcome: 'shown', messages: [caseTimelineMessage(await caseView(ctx.tx, row), ctx.locale, { now: ctx.now })] };
  }
  const { trackMaxAttempts, trackLockoutMs } = ctx.services.cases;
  const [attempt] = await ctx.tx.query<{ failures: number }>(
    `INSERT INTO track_attempt (line_user_id, failures, locked_until, updated_at) VALUES ($1, 1, NULL, $2)
     ON CONFLICT (line_user_id) DO UPDATE SET failures = track_attempt.failures + 1, updated_at = $2 RETURNING failures`,
    [ctx.lineUserId, ctx.now],
  );
  if (Number(attempt!.failures) >= trackMaxAttempts) {
    await ctx.tx.query('UPDATE track_attempt SET failures = 0, locked_until = $2 WHERE line_user_id = $1', [ctx.lineUserId, ctx.now + trackLockoutMs]);
    return { outcome: 'locked' };
  }
  return { outcome: 'wrong' };
}

export async function addInfo(ctx: ActionContext): Promise<ActionResult> {
  const row = await ownCase(ctx);
  if (!row) return { outcome: 'notFound' };
  if (isClosed(row.status)) return { outcome: 'closed' };
  const info = text(slot(ctx, 'info'));
  const files = (slot(ctx, 'files') ?? []) as Attachment[];
  const eventId = await addEvent(ctx.tx, row.id, { at: ctx.now, actorType: 'citizen', actorId: ctx.lineUserId, kind: 'info_added', ...citizenNote(ctx.services.cipher, info || null), public: true });
  await attachEvidence(ctx.tx, row.id, eventId, files, ctx.now);
  return { outcome: 'ok', slots: { number: row.tracking_number } };
}

export async function withdraw(ctx: ActionContext): Promise<ActionResult> {
  const row = await ownCase(ctx);
  if (!row) return { outcome: 'notFound' };
  if (isClosed(row.status)) return { outcome: 'closed' };
  await changeStatus(ctx.tx, row, { to: 'withdrawn', public: true, actorType: 'citizen', actorId: ctx.lineUserId, reason: 'withdrawn', now: ctx.now });
  await cancelJob(ctx.tx, progressJobKey(row.tracking_number));
  return { outcome: 'ok', slots: { number: row.tracking_number } };
}

export async function survey(ctx: ActionContext): Promise<ActionResult> {
  const row = await ownCase(ctx);
  const rating = Number(slot(ctx, 'rating'));
  await ctx.tx.query(
    'INSERT INTO survey_response (case_id, chat_id, subject, rating, comment, at) VALUES ($1, $2, $3, $4, $5, $6)',
    [row?.id ?? null, ctx.chatId, 'case', Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : 0, maskNumbersInText(text(slot(ctx, 'comment'))) || null, ctx.now],
  );
  if (row) await addEvent(ctx.tx, row.id, { at: ctx.now, actorType: 'citizen', actorId: ctx.lineUserId, kind: 'survey', note: `${rating}/5`, public: false });
  // Not satisfied (1-2): the case may be reopened once, within the window after it ended.
  if (row && rating <= 2 && canReopen(row, ctx)) return { outcome: 'offerReopen' };
  return { outcome: 'thanks' };
}

function canReopen(row: CaseRow, ctx: ActionContext): boolean {
  return row.status === 'ended' && row.reopen_count === 0 && row.closed_at !== null && ctx.now - row.closed_at <= ctx.services.cases.reopenWindowDays * DAY;
}

export async function reopen(ctx: ActionContext): Promise<ActionResult> {
  const row = await ownCase(ctx);
  if (!row || !canReopen(row, ctx)) return { outcome: 'notAllowed' };
  await changeStatus(ctx.tx, row, { to: 'reviewing', public: true, actorType: 'citizen', actorId: ctx.lineUserId, now: ctx.now });
  const dueAt = ctx.now + ctx.services.cases.progressNoticeDays * DAY;
  await markReopened(ctx.tx, row.id, dueAt);
  await addEvent(ctx.tx, row.id, { at: ctx.now, actorType: 'citizen', actorId: ctx.lineUserId, kind: 'reopened', public: true });
  await scheduleJob(ctx.tx, { kind: PROGRESS_JOB, key: progressJobKey(row.tracking_number), runAt: dueAt, payload: { caseId: row.id } }, { replaceDone: true });
  return { outcome: 'ok' };
}

/** The district's officers hear of a new case (LINE group, e-mail, webhook), in the filing transaction. */
async function notifyNewCase(ctx: ActionContext, caseId: number, trackingNumber: string): Promise<void> {
  const [row] = await ctx.tx.query<{ district_code: string | null; category: Category; story: string }>(
    'SELECT district_code, category, story FROM cases WHERE id = $1',
    [caseId],
  );
  const district = row?.district_code ?? ctx.services.centerDistrict;
  if (!row || !district) return;
  await queueNotification(
    ctx.tx,
    {
      districtCode: district,
      event: 'case.new',
      subjectKey: trackingNumber,
      payload: { trackingNumber, category: row.category, status: 'received', summary: row.story.split('\n')[0]!.slice(0, 200), at: ctx.now },
    },
    Date.now(),
  );
}
