/**
 * The Ministry's reasons for closing a case (../shared/domain/damrongdhama.md): why a case is ended (ยุติเรื่อง)
 * and why it is not accepted (ไม่รับเรื่อง), as codes. The words a citizen reads live in locales/<lng>/cases.json
 * (`closeReason.<code>`), an officer's in console/web/src/texts/case.ts. Pure: also the rules an officer's status
 * change must follow (checkStatusChange), which the console's API turns into 4xx answers.
 */
import { CLOSED_STATUSES, type CaseStatus } from '../domain/cases';

/** Reasons for ending a case (ยุติเรื่อง), in the guide's order. */
export const END_REASONS = [
  /** The problem was solved. */
  'resolved',
  /** The complainant is satisfied, or asked to withdraw. */
  'satisfied_or_withdrawn',
  /** Outside the center's authority: forwarded to the competent agency, the complainant told. */
  'outside_authority_forwarded',
  /** Already before a court or in a legal process. */
  'before_court',
  /** Already decided earlier: a repeat complaint. */
  'already_decided',
  /** The facts are insufficient and the complainant cannot be reached. */
  'insufficient_facts',
  /** A matter of government policy. */
  'government_policy',
] as const;
export type EndReason = (typeof END_REASONS)[number];

/** Reasons for not accepting a case (ไม่รับเรื่อง). */
export const NOT_ACCEPTED_REASONS = [
  /** The same matter was already decided by a court or an agency. */
  'decided_by_court_or_agency',
  /** It concerns the monarchy: routed as a royal petition, never handled as an ordinary complaint. */
  'monarchy',
  /** Anonymous, without specific facts to act on. */
  'anonymous_without_facts',
] as const;
export type NotAcceptedReason = (typeof NOT_ACCEPTED_REASONS)[number];

export type CloseReason = EndReason | NotAcceptedReason;
export const CLOSE_REASONS: readonly CloseReason[] = [...END_REASONS, ...NOT_ACCEPTED_REASONS];

/** The agency a case is forwarded to is named in the citizen's LINE message: a name, not a letter. */
export const AGENCY_MAX_LENGTH = 200;

/** The reasons a status needs, or null when it takes none. */
export function reasonsFor(status: CaseStatus): readonly CloseReason[] | null {
  if (status === 'ended') return END_REASONS;
  if (status === 'not_accepted') return NOT_ACCEPTED_REASONS;
  return null;
}

export function isCloseReason(code: string | null | undefined): code is CloseReason {
  return typeof code === 'string' && (CLOSE_REASONS as readonly string[]).includes(code);
}

/** What is wrong with an officer's status change, if anything. */
export type StatusChangeProblem =
  | { kind: 'closed' }
  | { kind: 'same_status' }
  | { kind: 'reason_required'; allowed: readonly CloseReason[] }
  | { kind: 'reason_not_expected' }
  | { kind: 'agency_required' }
  | { kind: 'agency_not_expected' };

export interface StatusChange {
  to: CaseStatus;
  reason?: string | null;
  /** The agency's name, already trimmed. */
  agency?: string | null;
}

/**
 * The rules of an officer's status change:
 * - a closed case changes only by being reopened (its progress clock and reopen count go with it);
 * - a change to the status the case already has is refused (a 409: nothing would happen, and the citizen would
 *   be told it twice), except forwarding again to another agency;
 * - ended and not_accepted need a reason from their own list, and no other status takes one;
 * - forwarded needs the agency's name (1-200 characters), and no other status takes one.
 */
export function checkStatusChange(current: { status: CaseStatus; forwardedTo: string | null }, change: StatusChange): StatusChangeProblem | null {
  if (CLOSED_STATUSES.includes(current.status)) return { kind: 'closed' };
  const allowed = reasonsFor(change.to);
  if (allowed) {
    if (!change.reason || !(allowed as readonly string[]).includes(change.reason)) return { kind: 'reason_required', allowed };
  } else if (change.reason) return { kind: 'reason_not_expected' };
  const agency = change.agency ?? '';
  if (change.to === 'forwarded') {
    if (agency.length < 1 || Array.from(agency).length > AGENCY_MAX_LENGTH) return { kind: 'agency_required' };
  } else if (agency) return { kind: 'agency_not_expected' };
  if (change.to === current.status && !(change.to === 'forwarded' && agency !== current.forwardedTo)) return { kind: 'same_status' };
  return null;
}
