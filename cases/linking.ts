/**
 * A case filed another way (the counter, 1567, a letter) followed on LINE. The person proves it is theirs with the
 * last four digits of its phone (the track flow, cases/citizen-access.ts), and may then link it to their LINE
 * account: the case's citizen becomes them, so every notice from then on (a status change, the 15-day notice, the
 * survey: cases/notices.ts, cases/jobs.ts) reaches their chat, and the case is among "my cases". It can be undone
 * by the citizen in the chat and by an officer in the console; both are events on the case's timeline (internal:
 * they change nothing the citizen is waiting for, and must not restart the 15-day clock, which a public event does).
 * A case filed on LINE belongs to its chat already, and an anonymous one to nobody: neither can be linked.
 */
import type { Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import { addEvent, ensureCitizen } from './store';

type Q = Pick<Tx, 'query'>;

export const LINKED_EVENT = 'line_linked';
export const UNLINKED_EVENT = 'line_unlinked';

/** Whose LINE chat a case's notices go to, if anyone's, and whether it may be linked at all. */
export interface LineLink {
  /** Filed another way and not anonymous: it may be linked to a LINE account. */
  linkable: boolean;
  /** The LINE user it is linked to (or, for a case filed on LINE, its filer); null: nobody's chat. */
  lineUserId: string | null;
  locale: 'th' | 'en';
}

export async function lineLinkOf(tx: Q, caseId: number): Promise<LineLink | null> {
  const [row] = await tx.query<{ channel: string; anonymous: boolean | number; line_user_id: string | null; locale: string | null }>(
    `SELECT c.channel, c.anonymous, z.line_user_id, z.locale FROM cases c LEFT JOIN citizen z ON z.id = c.citizen_id WHERE c.id = $1`,
    [caseId],
  );
  if (!row) return null;
  return { linkable: row.channel !== 'line' && !row.anonymous, lineUserId: row.line_user_id, locale: row.locale === 'en' ? 'en' : 'th' };
}

export type LinkOutcome = 'linked' | 'already' | 'taken' | 'not_linkable';

/**
 * Links the case to the LINE user: the caller has checked that they proved it theirs. A case already linked to
 * someone else stays theirs ('taken': an officer can undo that link when the complainant asks).
 */
export async function linkCase(
  tx: Tx,
  cipher: DataCipher,
  c: { caseId: number; lineUserId: string; locale: string; displayName?: string | null; now: number },
): Promise<LinkOutcome> {
  const link = await lineLinkOf(tx, c.caseId);
  if (!link?.linkable) return 'not_linkable';
  if (link.lineUserId !== null) return link.lineUserId === c.lineUserId ? 'already' : 'taken';
  const citizenId = await ensureCitizen(tx, cipher, { lineUserId: c.lineUserId, locale: c.locale, displayName: c.displayName ?? null, now: c.now });
  // Only while nobody holds it: two chats linking at once cannot both win.
  const updated = await tx.query<{ id: number }>('UPDATE cases SET citizen_id = $2 WHERE id = $1 AND citizen_id IS NULL RETURNING id', [c.caseId, citizenId]);
  if (!updated.length) return 'taken';
  await addEvent(tx, c.caseId, { at: c.now, actorType: 'citizen', actorId: c.lineUserId, kind: LINKED_EVENT, public: false });
  return 'linked';
}

export type UnlinkActor = { type: 'citizen'; lineUserId: string } | { type: 'officer'; officerId: number };

/**
 * Undoes the link: the case has no citizen again, and its notices go to no chat. The citizen may undo only their
 * own link. Returns the chat that was linked (to tell it), or null when there was no link to undo.
 */
export async function unlinkCase(
  tx: Tx,
  c: { caseId: number; by: UnlinkActor; note?: string | null; now: number },
): Promise<{ lineUserId: string; locale: 'th' | 'en' } | null> {
  const link = await lineLinkOf(tx, c.caseId);
  if (!link?.linkable || link.lineUserId === null) return null;
  if (c.by.type === 'citizen' && c.by.lineUserId !== link.lineUserId) return null;
  await tx.query('UPDATE cases SET citizen_id = NULL WHERE id = $1', [c.caseId]);
  await addEvent(tx, c.caseId, {
    at: c.now,
    actorType: c.by.type,
    actorId: c.by.type === 'citizen' ? c.by.lineUserId : String(c.by.officerId),
    kind: UNLINKED_EVENT,
    note: c.note ?? null,
    public: false,
  });
  return { lineUserId: link.lineUserId, locale: link.locale };
}
