/**
 * An officer's status change as both case APIs take it (the console's, console/api/case-files.ts, and the
 * token-protected one for other systems, console/api/cases.ts): the body, and each broken rule of
 * cases/reasons.ts checkStatusChange as the 4xx a caller reads.
 */
import { z } from 'zod';
import { AGENCY_MAX_LENGTH, type StatusChangeProblem } from '../../cases/reasons';
import { CASE_STATUSES } from '../../cases/types';
import { HttpError } from './auth';

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
