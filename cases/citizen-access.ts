/**
 * Who may see a case from LINE: its own citizen's chat, or, for a case filed another way (the counter, 1567), a
 * person who knows the last four digits of its phone number. Failed checks are counted per LINE user and lock the
 * user out for a while; nothing here ever says whether a number exists.
 */
import type { Tx } from '../storage/database';

type Q = Pick<Tx, 'query'>;

/** The LINE user a case's citizen is, or null (a counter case, an anonymous tip-off). */
export async function lineUserOfCitizen(tx: Q, citizenId: number | null): Promise<string | null> {
  const [owner] = await tx.query<{ line_user_id: string | null }>('SELECT line_user_id FROM citizen WHERE id = $1', [citizenId ?? -1]);
  return owner?.line_user_id ?? null;
}

export async function channelOfCase(tx: Q, caseId: number): Promise<string | null> {
  const [row] = await tx.query<{ channel: string }>('SELECT channel FROM cases WHERE id = $1', [caseId]);
  return row?.channel ?? null;
}

/** Until when the user may not try again, or null when they may. */
export async function trackLockedUntil(tx: Q, lineUserId: string, now: number): Promise<number | null> {
  const [row] = await tx.query<{ locked_until: number | null }>('SELECT locked_until FROM track_attempt WHERE line_user_id = $1', [lineUserId]);
  const until = row?.locked_until === null || row?.locked_until === undefined ? null : Number(row.locked_until);
  return until !== null && until > now ? until : null;
}

export async function forgetTrackFailures(tx: Q, lineUserId: string): Promise<void> {
  await tx.query('DELETE FROM track_attempt WHERE line_user_id = $1', [lineUserId]);
}

/** Counts a failed check; at `maxAttempts` the count starts over and the user is locked out for `lockoutMs`. */
export async function countTrackFailure(tx: Q, lineUserId: string, now: number, rule: { maxAttempts: number; lockoutMs: number }): Promise<'locked' | 'wrong'> {
  const [attempt] = await tx.query<{ failures: number }>(
    `INSERT INTO track_attempt (line_user_id, failures, locked_until, updated_at) VALUES ($1, 1, NULL, $2)
     ON CONFLICT (line_user_id) DO UPDATE SET failures = track_attempt.failures + 1, updated_at = $2 RETURNING failures`,
    [lineUserId, now],
  );
  if (Number(attempt!.failures) < rule.maxAttempts) return 'wrong';
  await tx.query('UPDATE track_attempt SET failures = 0, locked_until = $2 WHERE line_user_id = $1', [lineUserId, now + rule.lockoutMs]);
  return 'locked';
}
