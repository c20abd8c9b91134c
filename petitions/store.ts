/**
 * The royal petitions' register (ทะเบียนฎีกา). The bot never files a petition as a complaint: it hands the chat to an
 * officer (flows/engine, reason 'royal_petition'), and that handoff opens an entry here in the same transaction,
 * numbered "1/2569" per Buddhist year without gaps. Officers and supervisors complete it (what kind of petition,
 * its gist, the petitioner, where it was sent, the result) for the province's report through the E-Report.
 * The petitioner's words, name, phone, the gist and the result are personal: encrypted at rest.
 */
import type { Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import { yearBEOf } from '../domain/tracking-number';
import { nextInSequence } from '../cases/tracking-numbers';

type Queryable = Pick<Tx, 'query'>;

/** ขอพระราชทานความเป็นธรรม, ขอพระราชทานความช่วยเหลือ, or another matter (the Privy Council Office's criteria). */
export const PETITION_KINDS = ['justice', 'assistance', 'other'] as const;
export type PetitionKind = (typeof PETITION_KINDS)[number];
export const PETITION_STATUSES = ['received', 'forwarded', 'concluded'] as const;
export type PetitionStatus = (typeof PETITION_STATUSES)[number];

/** The sequence key of the register: lower case, so no center's prefix (2-5 capitals) can share it. */
const SEQUENCE = 'petition';
/** The first words the petitioner wrote, kept for the officer who completes the entry. */
const WORDS_MAX = 1000;

export class PetitionNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`no royal petition ${id}`);
    this.name = 'PetitionNotFoundError';
  }
}

export interface Petition {
  id: number;
  /** "12/2569": the entry's number in its Buddhist year. */
  registerNumber: string;
  handoffId: number | null;
  channel: string;
  districtCode: string | null;
  provinceCode: string | null;
  receivedAt: number;
  kind: PetitionKind | null;
  words: string | null;
  summary: string | null;
  petitionerName: string | null;
  petitionerPhone: string | null;
  status: PetitionStatus;
  forwardedTo: string | null;
  forwardedAt: number | null;
  result: string | null;
  updatedAt: number;
  updatedBy: string | null;
}

export interface NewPetition {
  handoffId: number;
  channel: string;
  districtCode: string | null;
  receivedAt: number;
  /** What the citizen wrote that showed it was a petition. */
  words: string | null;
}

/** Opens the register entry of a royal-petition handoff, once per handoff; returns its number. */
export async function registerPetition(tx: Queryable, cipher: DataCipher, p: NewPetition): Promise<string> {
  const [existing] = await tx.query<{ register_number: string }>('SELECT register_number FROM royal_petition WHERE handoff_id = $1', [p.handoffId]);
  if (existing) return existing.register_number;
  const beYear = yearBEOf(p.receivedAt);
  const seq = await nextInSequence(tx, SEQUENCE, beYear);
  const registerNumber = `${seq}/${beYear}`;
  await tx.query(
    `INSERT INTO royal_petition (register_number, be_year, seq, handoff_id, channel, district_code, province_code, received_at, words_enc,
       status, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'received', $8, NULL)`,
    [registerNumber, beYear, seq, p.handoffId, p.channel, p.districtCode, p.districtCode?.slice(0, 2) ?? null, p.receivedAt, cipher.encryptOptional(p.words?.slice(0, WORDS_MAX))],
  );
  return registerNumber;
}

interface Row {
  id: unknown;
  register_number: string;
  handoff_id: unknown;
  channel: string;
  district_code: string | null;
  province_code: string | null;
  received_at: unknown;
  kind: PetitionKind | null;
  words_enc: string | null;
  summary_enc: string | null;
  petitioner_name_enc: string | null;
  petitioner_phone_enc: string | null;
  status: PetitionStatus;
  forwarded_to: string | null;
  forwarded_at: unknown;
  result_enc: string | null;
  updated_at: unknown;
  updated_by: string | null;
}

const COLUMNS = `id, register_number, handoff_id, channel, district_code, province_code, received_at, kind, words_enc, summary_enc,
  petitioner_name_enc, petitioner_phone_enc, status, forwarded_to, forwarded_at, result_enc, updated_at, updated_by`;
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toPetition(r: Row, cipher: DataCipher): Petition {
  const open = (v: string | null) => (v ? cipher.reveal(v) : null);
  return {
    id: Number(r.id),
    registerNumber: r.register_number,
    handoffId: numOrNull(r.handoff_id),
    channel: r.channel,
    districtCode: r.district_code,
    provinceCode: r.province_code,
    receivedAt: Number(r.received_at),
    kind: r.kind,
    words: open(r.words_enc),
    summary: open(r.summary_enc),
    petitionerName: open(r.petitioner_name_enc),
    petitionerPhone: open(r.petitioner_phone_enc),
    status: r.status,
    forwardedTo: r.forwarded_to,
    forwardedAt: numOrNull(r.forwarded_at),
    result: open(r.result_enc),
    updatedAt: Number(r.updated_at),
    updatedBy: r.updated_by,
  };
}

export interface PetitionFilter {
  /** Only this province's entries; null: every entry (admins). */
  provinceCode: string | null;
  /** Received from (inclusive) and to (exclusive), epoch ms. */
  from?: number;
  to?: number;
}

/** The register in order of its numbers, oldest year first. */
export async function listPetitions(q: Queryable, cipher: DataCipher, f: PetitionFilter): Promise<Petition[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.provinceCode !== null) {
    params.push(f.provinceCode);
    where.push(`province_code = $${params.length}`);
  }
  if (f.from !== undefined) {
    params.push(f.from);
    where.push(`received_at >= $${params.length}`);
  }
  if (f.to !== undefined) {
    params.push(f.to);
    where.push(`received_at < $${params.length}`);
  }
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM royal_petition ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY be_year, seq LIMIT 5000`,
    params,
  );
  return rows.map((r) => toPetition(r, cipher));
}

export async function petitionById(q: Queryable, cipher: DataCipher, id: number): Promise<Petition | null> {
  const [row] = await q.query<Row>(`SELECT ${COLUMNS} FROM royal_petition WHERE id = $1`, [id]);
  return row ? toPetition(row, cipher) : null;
}

export interface PetitionUpdate {
  kind: PetitionKind | null;
  summary: string | null;
  petitionerName: string | null;
  petitionerPhone: string | null;
  status: PetitionStatus;
  forwardedTo: string | null;
  forwardedAt: number | null;
  result: string | null;
}

/** Completes or corrects an entry; who and when are kept on it (and in the audit log, by the caller). */
export async function updatePetition(tx: Queryable, cipher: DataCipher, id: number, u: PetitionUpdate, by: string, at: number): Promise<void> {
  const rows = await tx.query<{ id: unknown }>(
    `UPDATE royal_petition SET kind = $2, summary_enc = $3, petitioner_name_enc = $4, petitioner_phone_enc = $5, status = $6,
       forwarded_to = $7, forwarded_at = $8, result_enc = $9, updated_at = $10, updated_by = $11
     WHERE id = $1 RETURNING id`,
    [
      id,
      u.kind,
      cipher.encryptOptional(u.summary),
      cipher.encryptOptional(u.petitionerName),
      cipher.encryptOptional(u.petitionerPhone),
      u.status,
      u.forwardedTo,
      u.forwardedAt,
      cipher.encryptOptional(u.result),
      at,
      by.slice(0, 64),
    ],
  );
  if (!rows.length) throw new PetitionNotFoundError(id);
}
