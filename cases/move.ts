/**
 * Moving a case to another district (a pin on the wrong side of a border, a place typed wrong, a case filed before
 * pins were placed): the case's district changes, its timeline gets a 'moved' event with the reason and both
 * districts, and both districts' officers are told (a confidential case: the province's supervisors, notify/queue.ts
 * decides). The assignee, an officer of the old district, is let go. One transaction, with the caller's audit entry.
 */
import type { Tx } from '../storage/database';
import { districtByCode } from '../flows/places';
import { queueNotification } from '../notify/queue';
import type { CaseStatus, Category } from '../domain/cases';
import { categoryList, isConfidentialCase } from '../categories';
import { addEvent } from './store';

/** A move that cannot be made: to no known district, or to where the case already is. */
export class CaseMoveError extends Error {
  constructor(
    readonly code: 'unknown_district' | 'same_district',
    readonly district: string,
  ) {
    super(code === 'unknown_district' ? `no district ${district}` : `the case is already in district ${district}`);
    this.name = 'CaseMoveError';
  }
}

export interface MovableCase {
  id: number;
  tracking_number: string;
  district_code: string | null;
  subdistrict_code: string | null;
  category: Category;
  status: CaseStatus;
  confidential: boolean | number;
  story: string;
}

export interface Move {
  to: string;
  reason: string;
  /** The officer's account id, as the timeline names actors. */
  actorId: string;
  now: number;
  /** When the notices are due (the notification sender's clock). */
  sendAt: number;
}

export async function moveCase(tx: Tx, row: MovableCase, m: Move): Promise<{ eventId: number; from: string | null; to: string }> {
  if (!districtByCode(m.to)) throw new CaseMoveError('unknown_district', m.to);
  if (row.district_code === m.to) throw new CaseMoveError('same_district', m.to);
  const from = row.district_code;
  // The subdistrict stays only if it lies in the new district (it never does after a real move, but costs nothing).
  const subdistrict = row.subdistrict_code?.startsWith(m.to) ? row.subdistrict_code : null;
  await tx.query('UPDATE cases SET district_code = $2, province_code = $3, subdistrict_code = $4, assigned_officer_id = NULL WHERE id = $1', [
    row.id,
    m.to,
    m.to.slice(0, 2),
    subdistrict,
  ]);
  const eventId = await addEvent(tx, row.id, { at: m.now, actorType: 'officer', actorId: m.actorId, kind: 'moved', note: m.reason, public: false });
  await tx.query('UPDATE case_event SET district_from = $2, district_to = $3 WHERE id = $1', [eventId, from, m.to]);
  const confidential = isConfidentialCase(row, await categoryList(tx));
  const summary = row.story.split('\n')[0]!.trim();
  for (const district of new Set([from, m.to].filter((d): d is string => d !== null))) {
    await queueNotification(
      tx,
      {
        districtCode: district,
        event: 'case.moved',
        // One notice per move and district: a case moved back and forth is told each time.
        subjectKey: `${row.tracking_number}:${eventId}`,
        confidential,
        payload: {
          trackingNumber: row.tracking_number,
          category: row.category,
          status: row.status,
          at: m.now,
          caseDistrict: m.to,
          ...(from ? { movedFrom: from } : {}),
          reason: m.reason,
          ...(confidential ? {} : { summary }),
        },
      },
      m.sendAt,
    );
  }
  return { eventId, from, to: m.to };
}

export interface CaseMoveView {
  at: number;
  from: string | null;
  to: string | null;
  reason: string | null;
  actorId: string | null;
}

/** A case's moves, oldest first. */
export async function movesOf(q: Pick<Tx, 'query'>, caseId: number): Promise<CaseMoveView[]> {
  const rows = await q.query<{ at: number | string; district_from: string | null; district_to: string | null; note: string | null; actor_id: string | null }>(
    `SELECT at, district_from, district_to, note, actor_id FROM case_event WHERE case_id = $1 AND kind = 'moved' ORDER BY id`,
    [caseId],
  );
  return rows.map((r) => ({ at: Number(r.at), from: r.district_from, to: r.district_to, reason: r.note, actorId: r.actor_id }));
}
