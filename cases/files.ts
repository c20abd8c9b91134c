/**
 * A case's whole file as an officer reads it: every column of the case (the citizen's CaseRow carries fewer), its
 * whole timeline with the internal notes, and its attachments' descriptions. Personal numbers stay encrypted
 * here: whether they are shown, and the audit line that goes with it, is the console's decision. The name, address
 * and place are decrypted (they are stored encrypted, storage/crypto.ts), as are an attachment's bytes.
 */
import type { Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
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

export async function caseFileByNumber(q: Queryable, cipher: DataCipher, trackingNumber: string): Promise<CaseFile | null> {
  const row = await caseByNumber(q, trackingNumber);
  if (!row) return null;
  const [more] = await q.query<Omit<CaseFile, keyof CaseRow>>(
    `SELECT channel, confidential, royal_petition, anonymous, province_code, district_code, subdistrict_code, occurred_on, location,
            subject, request, close_reason, forwarded_to, assigned_officer_id, complainant_name, address, phone_enc, national_id_enc
       FROM cases WHERE id = $1`,
    [row.id],
  );
  if (!more) return null;
  return { ...row, ...more, complainant_name: cipher.reveal(more.complainant_name), address: cipher.reveal(more.address), location: cipher.reveal(more.location) };
}

/**
 * Every event of the case, internal notes too, oldest first. A citizen's events on an anonymous case name no one:
 * filing stores none (cases/store.ts), and an actor kept from before that is not read out.
 */
export async function caseTimeline(q: Queryable, caseId: number): Promise<CaseFileEvent[]> {
  return q.query<CaseFileEvent>(
    `SELECT e.id, e.at, e.actor_type,
            CASE WHEN e.actor_type = 'citizen' AND c.anonymous = TRUE THEN NULL ELSE e.actor_id END AS actor_id,
            e.kind, e.status_from, e.status_to, e.note, e.reason, e.forwarded_to, e.public
       FROM case_event e JOIN cases c ON c.id = e.case_id WHERE e.case_id = $1 ORDER BY e.id`,
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

/** A case a photo or file the citizen sent is evidence of, with what decides who may see it (district, confidentiality). */
export interface EvidenceHolder {
  attachmentId: number;
  caseId: number;
  trackingNumber: string;
  districtCode: string | null;
  provinceCode: string | null;
  confidential: boolean;
}

/** The cases holding the citizen's message `messageId` as evidence (attachment.line_message_id), oldest first. */
export async function evidenceHoldersOf(q: Queryable, messageId: string): Promise<EvidenceHolder[]> {
  const rows = await q.query<{ id: number | string; case_id: number | string; tracking_number: string; district_code: string | null; province_code: string | null; confidential: boolean | number }>(
    `SELECT a.id, a.case_id, k.tracking_number, k.district_code, k.province_code, k.confidential
       FROM attachment a JOIN cases k ON k.id = a.case_id WHERE a.line_message_id = $1 ORDER BY a.id`,
    [messageId],
  );
  return rows.map((r) => ({
    attachmentId: Number(r.id),
    caseId: Number(r.case_id),
    trackingNumber: r.tracking_number,
    districtCode: r.district_code,
    provinceCode: r.province_code,
    confidential: Boolean(r.confidential),
  }));
}

/** An attachment's bytes, only as one of the case `caseId`: an id of another case's attachment is none. */
export async function attachmentOfCase(
  q: Queryable,
  cipher: DataCipher,
  caseId: number,
  attachmentId: number,
): Promise<{ id: number; contentType: string; fileName: string | null; bytes: Buffer; lineMessageId: string | null } | null> {
  if (!Number.isSafeInteger(attachmentId) || attachmentId <= 0) return null;
  const [a] = await q.query<{ id: number | string; content_type: string; file_name: string | null; bytes: Buffer | Uint8Array; line_message_id: string | null }>(
    'SELECT id, content_type, file_name, bytes, line_message_id FROM attachment WHERE id = $1 AND case_id = $2',
    [attachmentId, caseId],
  );
  return a
    ? { id: Number(a.id), contentType: a.content_type, fileName: a.file_name, bytes: cipher.decryptBytes(a.bytes), lineMessageId: a.line_message_id }
    : null;
}
