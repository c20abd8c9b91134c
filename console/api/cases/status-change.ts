/**
 * An officer's status change as both case APIs take it (the console's, status.ts, and the token-protected one for
 * other systems, admin.ts): the body, each broken rule of cases/reasons.ts checkStatusChange as the 4xx a caller
 * reads, and the change itself, checked and applied in one transaction.
 */
import { z } from 'zod';
import type { Tx } from '../../../storage/database';
import { AGENCY_MAX_LENGTH, checkStatusChange, type StatusChangeProblem } from '../../../cases/reasons';
import { caseByNumber } from '../../../cases/store';
import { forwardedToOf } from '../../../cases/files';
import { changeCaseStatus } from '../../../cases/notices';
import { scheduleJob } from '../../../scheduler/jobs';
import { CASE_STATUSES } from '../../../domain/cases';
import { HttpError } from '../auth';

const oneLine = /^[^\p{Cc}]*$/u;

export const statusChangeBody = z.strictObject({
  status: z.enum(CASE_STATUSES),
  note: z.string().trim().max(2000).optional(),
  public: z.boolean(),
  reason: z.string().trim().max(64).optional(),
  agency: z.string().trim().max(AGENCY_MAX_LENGTH).regex(oneLine, 'one line, no control characters').optional(),
});

/** A refused status change: what is wrong, and what would be accepted. */
export function statusChangeRefusal(p: StatusChangeProblem, status: string): HttpError {
  switch (p.kind) {
    case 'closed':
      return new HttpError(409, 'The case is closed; reopen it first', { problem: p.kind });
    case 'same_status':
      return new HttpError(409, `The case is already ${status}`, { problem: p.kind });
    case 'reason_required':
      return new HttpError(400, `A reason is required for ${status}, one of: ${p.allowed.join(', ')}`, { problem: p.kind, allowed: p.allowed });
    case 'reason_not_expected':
      return new HttpError(400, 'A reason is given only when a case is ended or not accepted', { problem: p.kind });
    case 'agency_required':
      return new HttpError(400, `The agency's name (1-${AGENCY_MAX_LENGTH} characters) is required to forward a case`, { problem: p.kind });
    case 'agency_not_expected':
      return new HttpError(400, 'An agency is named only when a case is forwarded', { problem: p.kind });
  }
}

export interface StatusChangeRequest {
  body: z.infer<typeof statusChangeBody>;
  /** Who changes it, as the timeline names them: an officer's id, or the X-Actor of a system. */
  actorId: string;
  at: number;
  /** When the citizen's notice is due on the outbox's clock. */
  sendAt: number;
}

/**
 * Changes the case's status in the caller's transaction: false when there is no such case, a refusal
 * (statusChangeRefusal) when a rule is broken. A public change is pushed to the citizen; an ending schedules
 * the case's jobs (the satisfaction survey).
 */
export async function applyStatusChange(tx: Tx, trackingNumber: string, r: StatusChangeRequest): Promise<boolean> {
  const row = await caseByNumber(tx, trackingNumber);
  if (!row) return false;
  const change = { to: r.body.status, reason: r.body.reason || null, agency: r.body.agency || null };
  // Checked against the row in the transaction: two officers changing the case at once cannot both pass.
  const problem = checkStatusChange({ status: row.status, forwardedTo: await forwardedToOf(tx, row.id) }, change);
  if (problem) throw statusChangeRefusal(problem, change.to);
  const notice = {
    to: change.to,
    note: r.body.note || null,
    public: r.body.public,
    actorId: r.actorId,
    reason: change.reason,
    forwardedTo: change.agency,
    now: r.at,
    sendAt: r.sendAt,
  };
  await changeCaseStatus(tx, row, notice, async (job) => {
    await scheduleJob(tx, job, { replaceDone: true, now: r.at });
  });
  return true;
}
