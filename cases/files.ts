/**
 * A case's whole file as an officer reads it: every column of the case (the citizen's CaseRow carries fewer), its
 * whole timeline with the internal notes, and its attachments' descriptions. Personal numbers stay encrypted
 * here: whether they are shown, and the audit line that goes with it, is the console's decision.
 */
import type { Tx } from '../storage/database';
import { caseByNumber, type CaseRow } from './store';

type Queryable = Pick<Tx, 'query'>;

/** A case's whole row: the officer's file shows more than the citizen's CaseRow carries. */
export type CaseFile = CaseRow & {
  channel: string;
  confidential: boolean | number;
  royal_petition: boolean | number;
  anonymous: boolean | number;
  province_code: string | null;
  district_code: string | null;
  subdistrict_code: string | null;
  occurred_on: string | null;
  location: string | null;
  subject: string | null;
  request: string | null;
  close_reason: string | null;
  forwarded_to: string | null;
  assigned_officer_id: number | string | null;
  complainant_name: string | null;
  address: string | null;
  phone_enc: string | null;
  national_id_enc: string | null;
};

/** One event of a case's timeline, as stored (numbers and booleans as the engine returns them). */
export interface CaseFileEvent {
  id: number | string;
  at: number | string;
  actor_type: string;
  actor_id: string | null;
  kind: string;
  status_from: string | null;
  status_to: string | null;
  note: string | null;
  reason: string | null;
  forwarded_to: string | null;
  public: boolean | number;
}

/** What is known of an attachment without its bytes. */
export interface CaseFileAttachment {
  id: number | string;
  media_type: string;
  content_type: string;
  file_name: string | null;
  size: number | string;
  sha256: string;
  created_at: number | string;
}

export async function caseFileByNumber(q: Queryable, trackingNumber: string): Promise<CaseFile | null> {
  const row = await caseByNumber(q, trackingNumber);
  if (!row) return null;
  const [more] = await q.query<Omit<CaseFile, keyof CaseRow>>(
    `SELECT channel, confidential, royal_petition, anonymous, province_code, district_code, subdistrict_code, occurred_on, location,
            subject, request, close_reason, forwarded_to, assigned_officer_id, complainant_name, address, phone_enc, national_id_enc
       FROM cases WHERE id = $1`,
    [row.id],
  );
  return more ? { ...row, ...more } : null;
}

/** Every event of the case, internal notes too, oldest first. */
export async function caseTimeline(q: Queryable, caseId: number): Promise<CaseFileEvent[]> {
  return q.query<CaseFileEvent>(
    `SELECT id, at, actor_type, actor_id, kind, status_from, status_to, note, reason, forwarded_to, public
         FROM case_event WHERE case_id = $1 ORDER BY id`,
    [caseId],
  );
}

export async function caseAttachments(q: Queryable, caseId: number): Promise<CaseFileAttachment[]> {
  return q.query<CaseFileAttachment>('SELECT id, media_type, content_type, file_name, size, sha256, created_at FROM attachment WHERE case_id = $1 ORDER BY id', [caseId]);
}

/**
 * The agency the case was last forwarded to, read in the caller's transaction: a status change is checked
 * against it (forwarding again to the same agency changes nothing).
 */
export async function forwardedToOf(tx: Queryable, caseId: number): Promise<string | null> {
  const [current] = await tx.query<{ forwarded_to: string | null }>('SELECT forwarded_to FROM cases WHERE id = $1', [caseId]);
  return current?.forwarded_to ?? null;
}
