/**
 * Answers a flow hands in without filing a case (the `intake.submit` action): kept as given, for a flow an admin
 * drew whose answers an officer reads.
 */
import type { Tx } from '../storage/database';
import type { FlowRef } from './engine/state';

export async function saveSubmission(
  tx: Pick<Tx, 'query'>,
  s: { chatId: string; inboxEventId: number; flow: FlowRef; answers: Record<string, unknown>; at: number },
): Promise<void> {
  await tx.query(
    `INSERT INTO intake_submission (chat_id, inbox_event_id, flow_id, flow_version, answers, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [s.chatId, s.inboxEventId, s.flow.id, s.flow.version, JSON.stringify(s.answers), s.at],
  );
}
