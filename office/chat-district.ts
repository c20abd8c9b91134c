/**
 * Which district a citizen's chat belongs to: the district of the citizen's latest case that has one, else the
 * center's (CENTER_DISTRICT). One rule for the queue that shows a handoff to its officers, the notifications
 * about it, and the office hours the citizen is told.
 */
import type { Tx } from '../storage/database';

/**
 * SQL for the district of the latest placed case of the citizen row aliased `citizen` (NULL when none), for
 * queries that list many chats at once (handoffs/queue.ts).
 */
export const latestCaseDistrictSql = (citizen: string) =>
  `(SELECT k.district_code FROM cases k WHERE k.citizen_id = ${citizen}.id AND k.district_code IS NOT NULL
     ORDER BY k.created_at DESC, k.id DESC LIMIT 1)`;

/** The chat's district from its latest case's (NULL from SQL), else the center's. */
export const districtOrCenter = (caseDistrict: string | null | undefined, centerDistrict: string | null): string | null => caseDistrict ?? centerDistrict;

/** The district of one chat (a LINE user id), in the caller's transaction. */
export async function chatDistrict(q: Pick<Tx, 'query'>, chatId: string, centerDistrict: string | null): Promise<string | null> {
  const [row] = await q.query<{ district: string | null }>(
    `SELECT ${latestCaseDistrictSql('z')} AS district FROM citizen z WHERE z.line_user_id = $1`,
    [chatId],
  );
  return districtOrCenter(row?.district, centerDistrict);
}
