/** The actions of the citizen's case flows: file, list, track, add information, withdraw, rate, reopen. */
import type { ActionContext, ActionResult } from './context';
import { addEvent, attachEvidence, citizenNote, caseByNumber, casesOfUser, caseView, changeStatus, fileCase, isClosed, markReopened, type CaseRow } from '../../cases/store';
import { receiptMessage, caseTimelineMessage, myCasesMessage } from '../../cases/flex';
import { parseTrackingNumber } from '../../flows/inputs/tracking-number';
import { scheduleJob, cancelJob } from '../../scheduler/jobs';
import { PROGRESS_JOB, progressJobKey } from '../../cases/notices';
import type { Attachment } from '../../flows/engine/answers';
import { channelOfCase, countTrackFailure, forgetTrackFailures, lineUserOfCitizen, trackLockedUntil } from '../../cases/citizen-access';
import { notifyNewCase } from '../../cases/new-case-notice';
import { saveSurveyResponse } from '../../cases/surveys';
import { normalizeChars } from '../../flows/inputs/normalize';
import { categoryList, deadlineDaysOf, findCategory } from '../../categories';

const DAY = 86_400_000;
const slot = (ctx: ActionContext, name: string) => ctx.state.slots[name];
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * Whether the case is filed without a name. The flow says so in the action's `anonymous` param, having checked
 * the category allows it (complaint v4: `category.anonymousAllowed`), so a wish for anonymity read from the first
 * message is not honoured in a category that needs a name. Without the param (versions before, still finishing
 * their conversations) the slot decides, as the citizen was told then.
 */
function filedAnonymously(ctx: ActionContext): boolean {
  const asked = slot(ctx, 'anonymous') === 'yes';
  const param = ctx.action.params.anonymous;
  return typeof param === 'boolean' ? param && asked : asked;
}

export async function fileComplaint(ctx: ActionContext): Promise<ActionResult> {
  const { tx, services, now } = ctx;
  const anonymous = filedAnonymously(ctx);
  const filed = await fileCase(tx, services.cipher, {
    lineUserId: ctx.lineUserId,
    locale: ctx.locale,
    displayName: ctx.displayName,
    flow: ctx.action.flow,
    slots: { ...ctx.state.slots, anonymous },
    now,
    prefix: services.cases.prefix,
    dueDays: services.cases.progressNoticeDays,
  });
  await notifyNewCase(tx, { caseId: filed.id, trackingNumber: filed.trackingNumber, centerDistrict: services.centerDistrict, at: now });
  // Nobody to tell how an anonymous tip-off goes: no progress notices and no receipt to track it by. Its number is
  // not handed back either: the chat's state (and whatever a flow says with it) must not tie the chat to the case.
  if (anonymous) return { outcome: 'ok' };
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
  return (await lineUserOfCitizen(ctx.tx, row.citizen_id)) === ctx.lineUserId ? row : null;
}

export async function listMine(ctx: ActionContext): Promise<ActionResult> {
  const rows = await casesOfUser(ctx.tx, ctx.lineUserId, 200);
  if (rows.length === 0) return { outcome: 'none' };
  const views = [];
  for (const row of rows.slice(0, 10)) views.push(await caseView(ctx.tx, row));
  return { outcome: 'some', messages: [myCasesMessage(views, ctx.locale, { total: rows.length })] };
}

export async function track(ctx: ActionContext): Promise<ActionResult> {
  if (await trackLockedUntil(ctx.tx, ctx.lineUserId, ctx.now)) return { outcome: 'locked' };
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
  if (await trackLockedUntil(ctx.tx, ctx.lineUserId, ctx.now)) return { outcome: 'locked' };
  const parsed = parseTrackingNumber(text(slot(ctx, 'number')));
  const row = parsed.ok ? await caseByNumber(ctx.tx, parsed.value.text) : null;
  const digits = lastFourDigits(slot(ctx, 'last4'));
  // Only a case filed another way (walk-in, hotline) is shown by phone digits: a LINE case belongs to its chat.
  const channel = row ? await channelOfCase(ctx.tx, row.id) : null;
  if (row && channel !== 'line' && row.phone_last4 !== null && row.phone_last4 === digits) {
    await forgetTrackFailures(ctx.tx, ctx.lineUserId);
    return { outcome: 'shown', messages: [caseTimelineMessage(await caseView(ctx.tx, row), ctx.locale, { now: ctx.now })] };
  }
  const { trackMaxAttempts, trackLockoutMs } = ctx.services.cases;
  return { outcome: await countTrackFailure(ctx.tx, ctx.lineUserId, ctx.now, { maxAttempts: trackMaxAttempts, lockoutMs: trackLockoutMs }) };
}

export async function addInfo(ctx: ActionContext): Promise<ActionResult> {
  const row = await ownCase(ctx);
  if (!row) return { outcome: 'notFound' };
  if (isClosed(row.status)) return { outcome: 'closed' };
  const info = text(slot(ctx, 'info'));
  const files = (slot(ctx, 'files') ?? []) as Attachment[];
  const eventId = await addEvent(ctx.tx, row.id, { at: ctx.now, actorType: 'citizen', actorId: ctx.lineUserId, kind: 'info_added', ...citizenNote(ctx.services.cipher, info || null), public: true });
  await attachEvidence(ctx.tx, ctx.services.cipher, row.id, eventId, files, ctx.now);
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
  await saveSurveyResponse(ctx.tx, ctx.services.cipher, { caseId: row?.id ?? null, chatId: ctx.chatId, subject: 'case', rating, comment: text(slot(ctx, 'comment')), at: ctx.now });
  if (row) await addEvent(ctx.tx, row.id, { at: ctx.now, actorType: 'citizen', actorId: ctx.lineUserId, kind: 'survey', note: `${rating}/5`, public: false });
  // Not satisfied (1-2): the case may be reopened once, within the window after it ended.
  if (row && rating <= 2 && canReopen(row, ctx)) return { outcome: 'offerReopen' };
  return { outcome: 'thanks' };
}

function canReopen(row: CaseRow, ctx: ActionContext): boolean {
  return row.status === 'ended' && row.reopen_count === 0 && row.closed_at !== null && ctx.now - row.closed_at <= ctx.services.cases.reopenWindowDays * DAY;
}

/**
 * The citizen reopens their case: it is looked at again, and they hear how it goes within its category's deadline
 * (its own, else the center's PROGRESS_NOTICE_DAYS), as when it was filed. A retired category keeps its deadline
 * for its old cases.
 */
export async function reopen(ctx: ActionContext): Promise<ActionResult> {
  const row = await ownCase(ctx);
  if (!row || !canReopen(row, ctx)) return { outcome: 'notAllowed' };
  await changeStatus(ctx.tx, row, { to: 'reviewing', public: true, actorType: 'citizen', actorId: ctx.lineUserId, now: ctx.now });
  const dueDays = deadlineDaysOf(findCategory(await categoryList(ctx.tx), row.category), ctx.services.cases.progressNoticeDays);
  const dueAt = ctx.now + dueDays * DAY;
  await markReopened(ctx.tx, row.id, dueAt);
  await addEvent(ctx.tx, row.id, { at: ctx.now, actorType: 'citizen', actorId: ctx.lineUserId, kind: 'reopened', public: true });
  await scheduleJob(ctx.tx, { kind: PROGRESS_JOB, key: progressJobKey(row.tracking_number), runAt: dueAt, payload: { caseId: row.id } }, { replaceDone: true });
  return { outcome: 'ok', slots: { dueDays } };
}
