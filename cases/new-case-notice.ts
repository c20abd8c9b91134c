/**
 * What officers are told of a case (LINE group, e-mail, webhook), queued in the transaction that made the news: a
 * new case when it is filed, a case past its deadline when the progress job finds it so. The minimum to act on:
 * the number, category, status, district and dates, and the story's first line; never a name, phone, address or
 * a place finer than the district. A confidential case (a complaint about officials) goes to the province's
 * supervisors only, without its story (notify/queue.ts keeps to that whoever queues).
 */
import type { Tx } from '../storage/database';
import type { CaseStatus, Category } from '../domain/cases';
import { categoryList, isConfidentialCase } from '../categories';
import { queueNotification } from '../notify/queue';

interface NoticeRow {
  tracking_number: string;
  district_code: string | null;
  category: Category;
  channel: string;
  status: CaseStatus;
  confidential: boolean | number;
  story: string;
  due_at: number | string;
}

async function noticeRow(tx: Pick<Tx, 'query'>, caseId: number): Promise<NoticeRow | null> {
  const [row] = await tx.query<NoticeRow>(
    'SELECT tracking_number, district_code, category, channel, status, confidential, story, due_at FROM cases WHERE id = $1',
    [caseId],
  );
  return row ?? null;
}

async function queueCaseNotice(
  tx: Tx,
  row: NoticeRow,
  n: { event: 'case.new' | 'case.overdue'; subjectKey: string; centerDistrict: string | null; at: number; dueAt?: number; sendAt: number },
): Promise<void> {
  const district = row.district_code ?? n.centerDistrict;
  if (!district) return;
  const confidential = isConfidentialCase(row, await categoryList(tx));
  await queueNotification(
    tx,
    {
      districtCode: district,
      event: n.event,
      subjectKey: n.subjectKey,
      confidential,
      payload: {
        trackingNumber: row.tracking_number,
        category: row.category,
        channel: row.channel,
        status: row.status,
        at: n.at,
        ...(n.dueAt !== undefined ? { dueAt: n.dueAt } : {}),
        ...(confidential ? {} : { summary: row.story.split('\n')[0]!.trim() }),
      },
    },
    n.sendAt,
  );
}

export async function notifyNewCase(
  tx: Tx,
  c: { caseId: number; trackingNumber: string; centerDistrict: string | null; at: number },
): Promise<void> {
  const row = await noticeRow(tx, c.caseId);
  if (!row) return;
  await queueCaseNotice(tx, row, { event: 'case.new', subjectKey: c.trackingNumber, centerDistrict: c.centerDistrict, at: c.at, sendAt: Date.now() });
}

/** A case past its deadline (once per deadline: the subject carries it), as it stood when the deadline passed. */
export async function notifyCaseOverdue(
  tx: Tx,
  c: { caseId: number; trackingNumber: string; status: CaseStatus; dueAt: number; centerDistrict: string | null; at: number; sendAt: number },
): Promise<void> {
  const row = await noticeRow(tx, c.caseId);
  if (!row) return;
  await queueCaseNotice(tx, { ...row, status: c.status }, {
    event: 'case.overdue',
    subjectKey: `${c.trackingNumber}:${c.dueAt}`,
    centerDistrict: c.centerDistrict,
    at: c.at,
    dueAt: c.dueAt,
    sendAt: c.sendAt,
  });
}
