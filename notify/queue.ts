/**
 * Queuing a notification: one row per active target of the district, in the caller's transaction, so officers are
 * told if and only if the case (or handoff, or deadline check) committed. A row is unique by event, subject and
 * target: queuing the same event twice (a retried job, a redelivered webhook) sends it once.
 *
 * A confidential case (a complaint about officials) is never told to its district, whoever queues it: the
 * request goes to the province's supervisors (`supervisorsCode`) with no summary, its district kept as the place
 * shown. Decided here, so a failure report copying a notice's payload (notify/sender.ts) follows the same rule.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '../storage/database';
import { maskNumbersInText } from '../flows/engine/format';
import { clip } from '../locales/dates';
import { InvalidTargetError } from './targets';
import { categoryList, findCategory, type CaseCategory } from '../categories';
import { isDistrictCode, isSupervisorsCode, NOTIFY_EVENTS, SUMMARY_CHARS, supervisorsCode, type NotificationPayload, type NotifyEvent } from './types';

export interface NotificationRequest {
  districtCode: string;
  event: NotifyEvent;
  /** What makes this event one: the tracking number for a new case; add the due date for a case overdue again. */
  subjectKey: string;
  payload: NotificationPayload;
  /** Targets not to tell (a failed delivery is not reported to the target that failed). */
  exceptTargetIds?: readonly number[];
  /** The case is for supervisors only (its row says so); a confidential category is enough without it. */
  confidential?: boolean;
}

/**
 * Where a request goes and what it carries once the confidentiality rule is applied (its category's, from the
 * table), with the category's names as they are now: the notice may be sent by another process, which need not
 * have read the list since the category was made.
 */
function routed(req: NotificationRequest, categories: readonly CaseCategory[]): { districtCode: string; payload: NotificationPayload } {
  const { summary, ...given } = req.payload;
  const category = findCategory(categories, given.category);
  const rest = category ? { ...given, categoryName: { th: category.name.th, en: category.name.en } } : given;
  if (req.confidential || category?.confidential) {
    const caseDistrict = req.payload.caseDistrict ?? (isSupervisorsCode(req.districtCode) ? undefined : req.districtCode);
    return { districtCode: supervisorsCode(req.districtCode), payload: { ...rest, ...(caseDistrict ? { caseDistrict } : {}) } };
  }
  return { districtCode: req.districtCode, payload: { ...rest, ...(summary !== undefined ? { summary: clip(summary, SUMMARY_CHARS) } : {}) } };
}

/** Returns the ids of the rows queued now (none when the district has no targets, or the event was queued before). */
export async function queueNotification(tx: Tx, req: NotificationRequest, now: number): Promise<number[]> {
  if (!isDistrictCode(req.districtCode)) throw new InvalidTargetError('districtCode', req.districtCode, 'a district is a 4-digit DOPA code such as 4901');
  if (!NOTIFY_EVENTS.includes(req.event)) throw new InvalidTargetError('event', req.event, `an event is one of ${NOTIFY_EVENTS.join(', ')}`);
  const { districtCode, payload: minimal } = routed(req, await categoryList(tx));
  // Stored masked: the notification table is read by senders and operators, and must hold no personal numbers.
  const payload: NotificationPayload = {
    ...minimal,
    ...(minimal.summary !== undefined ? { summary: maskNumbersInText(minimal.summary) } : {}),
    ...(minimal.detail !== undefined ? { detail: maskNumbersInText(minimal.detail) } : {}),
  };
  const targets = await tx.query<{ id: number; kind: string; address: string }>(
    `SELECT id, kind, address FROM district_target WHERE district_code = $1 AND active = $2 ORDER BY id`,
    [districtCode, true],
  );
  const except = new Set((req.exceptTargetIds ?? []).map(Number));
  const ids: number[] = [];
  for (const target of targets) {
    if (except.has(Number(target.id))) continue;
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO notification (district_code, event, subject_key, payload, target_id, target_kind, target, retry_key, status,
         attempts, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9)
       ON CONFLICT (event, subject_key, target_id) DO NOTHING RETURNING id`,
      [districtCode, req.event, req.subjectKey, JSON.stringify(payload), target.id, target.kind, target.address, randomUUID(), now],
    );
    if (rows[0]) ids.push(Number(rows[0].id));
  }
  return ids;
}
