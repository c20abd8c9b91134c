/**
 * A citizen's request for an officer (handoff_request): opened by the bot in the event's transaction, with the
 * deadline of the first answer the citizen was told, when there is one.
 */
import type { Tx } from '../storage/database';

export interface NewHandoff {
  chatId: string;
  /** Why: 'requested', 'menu', 'misses', 'royal_petition', or a flow's own reason. */
  reason: string;
  flow: { id: string; version: number } | null;
  requestedAt: number;
  /** When the first answer is due (office/hours.ts firstAnswerDeadline); null without office hours. */
  answerBy: number | null;
}

/** Opens the handoff and returns its id. */
export async function openHandoff(tx: Pick<Tx, 'query'>, h: NewHandoff): Promise<number> {
  const [row] = await tx.query<{ id: number | string }>(
    `INSERT INTO handoff_request (chat_id, reason, flow_id, flow_version, status, requested_at, answer_by)
     VALUES ($1, $2, $3, $4, 'waiting', $5, $6) RETURNING id`,
    [h.chatId, h.reason.slice(0, 64), h.flow?.id ?? null, h.flow?.version ?? null, h.requestedAt, h.answerBy],
  );
  return Number(row!.id);
}
