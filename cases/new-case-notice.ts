/** The district's officers hear of a new case (LINE group, e-mail, webhook), queued in the filing transaction. */
import type { Tx } from '../storage/database';
import type { Category } from '../domain/cases';
import { queueNotification } from '../notify/queue';

export async function notifyNewCase(
  tx: Tx,
  c: { caseId: number; trackingNumber: string; centerDistrict: string | null; at: number },
): Promise<void> {
  const [row] = await tx.query<{ district_code: string | null; category: Category; story: string }>(
    'SELECT district_code, category, story FROM cases WHERE id = $1',
    [c.caseId],
  );
  const district = row?.district_code ?? c.centerDistrict;
  if (!row || !district) return;
  await queueNotification(
    tx,
    {
      districtCode: district,
      event: 'case.new',
      subjectKey: c.trackingNumber,
      payload: { trackingNumber: c.trackingNumber, category: row.category, status: 'received', summary: row.story.split('\n')[0]!.slice(0, 200), at: c.at },
    },
    Date.now(),
  );
}
