/**
 * The track flow's offer to follow a case filed another way on LINE (cases/linking.ts): after the phone check, the
 * person may link the case to their LINE account and receive its notices; the one it is linked to may undo it.
 * Each action checks again what it relies on, in its own transaction: a slot says which case, never that the
 * person passed the check.
 */
import type { ActionContext, ActionResult } from './context';
import { caseByNumber, type CaseRow } from '../../cases/store';
import { lineLinkOf, linkCase, unlinkCase } from '../../cases/linking';
import { trackLockedUntil } from '../../cases/citizen-access';
import { parseTrackingNumber } from '../../flows/inputs/tracking-number';
import { normalizeChars } from '../../flows/inputs/normalize';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

async function caseOfSlot(ctx: ActionContext): Promise<CaseRow | null> {
  const parsed = parseTrackingNumber(text(ctx.state.slots.number));
  return parsed.ok ? caseByNumber(ctx.tx, parsed.value.text) : null;
}

/** The four digits as typed (the flow reads them as a number: "0123" arrives as 123). */
function lastFour(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 9999 ? String(v).padStart(4, '0') : '';
  return normalizeChars(text(v)).replace(/\D/g, '');
}

/** Whether this chat proved the case its own: the phone's last four digits, and no lock-out since. */
async function provedByPhone(ctx: ActionContext, row: CaseRow): Promise<boolean> {
  if (await trackLockedUntil(ctx.tx, ctx.lineUserId, ctx.now)) return false;
  return row.phone_last4 !== null && row.phone_last4 === lastFour(ctx.state.slots.last4);
}

/**
 * After a case was shown: 'offer' to link one filed another way that nobody follows on LINE yet (and whose phone
 * this chat has just matched), 'linked' when it is linked to this chat (it may be undone), else 'none'.
 */
export async function linkOptions(ctx: ActionContext): Promise<ActionResult> {
  const row = await caseOfSlot(ctx);
  const link = row ? await lineLinkOf(ctx.tx, row.id) : null;
  if (!row || !link?.linkable) return { outcome: 'none' };
  if (link.lineUserId === ctx.lineUserId) return { outcome: 'linked', slots: { number: row.tracking_number } };
  if (link.lineUserId === null && (await provedByPhone(ctx, row))) return { outcome: 'offer', slots: { number: row.tracking_number } };
  return { outcome: 'none' };
}

export async function link(ctx: ActionContext): Promise<ActionResult> {
  const row = await caseOfSlot(ctx);
  if (!row || !(await provedByPhone(ctx, row))) return { outcome: 'notAllowed' };
  const done = await linkCase(ctx.tx, ctx.services.cipher, { caseId: row.id, lineUserId: ctx.lineUserId, locale: ctx.locale, displayName: ctx.displayName, now: ctx.now });
  return { outcome: done === 'linked' || done === 'already' ? 'linked' : 'notAllowed', slots: { number: row.tracking_number } };
}

export async function unlink(ctx: ActionContext): Promise<ActionResult> {
  const row = await caseOfSlot(ctx);
  const was = row ? await unlinkCase(ctx.tx, { caseId: row.id, by: { type: 'citizen', lineUserId: ctx.lineUserId }, now: ctx.now }) : null;
  return { outcome: was ? 'unlinked' : 'notLinked', ...(row ? { slots: { number: row.tracking_number } } : {}) };
}
