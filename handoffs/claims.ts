/**
 * An officer's hold on a handoff (handoff_claim): taking it, and ending the chat it holds. One officer per
 * handoff, decided by the database, not by who looked first.
 */
import type { Tx } from '../storage/database';

type Queryable = Pick<Tx, 'query'>;

/**
 * Claims the handoff for the officer; false when another officer holds it already. The primary key decides
 * between two officers claiming at once: one insert wins, the other gets false.
 */
export async function claimHandoff(q: Queryable, c: { handoffId: number; officerId: number; at: number }): Promise<boolean> {
  const won = await q.query<{ handoff_id: number }>(
    `INSERT INTO handoff_claim (handoff_id, officer_id, claimed_at) VALUES ($1, $2, $3) ON CONFLICT (handoff_id) DO NOTHING RETURNING handoff_id`,
    [c.handoffId, c.officerId, c.at],
  );
  return won.length > 0;
}

/**
 * Closes a waiting handoff and stamps its claim with why it ended, in the caller's transaction; false when it
 * was no longer waiting (ended meanwhile by another request). Handing the chat back to the bot is the caller's.
 */
export async function closeHandoff(tx: Queryable, c: { handoffId: number; at: number; reason: string }): Promise<boolean> {
  const closed = await tx.query(`UPDATE handoff_request SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'waiting' RETURNING id`, [c.handoffId, c.at]);
  if (closed.length === 0) return false;
  await tx.query('UPDATE handoff_claim SET ended_at = $2, ended_reason = $3 WHERE handoff_id = $1', [c.handoffId, c.at, c.reason]);
  return true;
}
