/**
 * Which district a citizen's chat belongs to now: the district of the citizen's latest case that has one, else
 * the center's (CENTER_DISTRICT). One rule for the office hours the citizen is told and the district a new handoff
 * is given when it is made (handoffs/store.ts); from then on the handoff keeps that district (its queue, its
 * transcript, its files, its reminders), whatever becomes of the citizen's cases.
 */
import type { Tx } from '../storage/database';

/** SQL for the district of the latest placed case of the citizen row aliased `citizen` (NULL when none). */
export const latestCaseDistrictSql = (citizen: string) =>
  `(SELECT k.district_code FROM cases k WHERE k.citizen_id = ${citizen}.id AND k.district_code IS NOT NULL
     ORDER BY k.created_at DESC, k.id DESC LIMIT 1)`;

/** A chat's district as found (a handoff's own, a latest case's; NULL from SQL), else the center's. */
export const districtOrCenter = (caseDistrict: string | null | undefined, centerDistrict: string | null): string | null => caseDistrict ?? centerDistrict;

/** The district of one chat (a LINE user id), in the caller's transaction. */
export async function chatDistrict(q: Pick<Tx, 'query'>, chatId: string, centerDistrict: string | null): Promise<string | null> {
  const [row] = await q.query<{ district: string | null }>(
    `SELECT ${latestCaseDistrictSql('z')} AS district FROM citizen z WHERE z.line_user_id = $1`,
    [chatId],
  );
  return districtOrCenter(row?.district, centerDistrict);
}
