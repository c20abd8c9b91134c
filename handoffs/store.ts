/**
 * A citizen's request for an officer (handoff_request): opened by the bot in the event's transaction, with the
 * deadline of the first answer the citizen was told, when there is one, and the chat's district at that moment:
 * the handoff stays that district's (its queue, its transcript, its files) whatever becomes of the citizen's cases.
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
  /** The chat's district when the citizen asked (office/chat-district.ts); null when not even the center has one. */
  districtCode: string | null;
}

/** Opens the handoff and returns its id. */
export async function openHandoff(tx: Pick<Tx, 'query'>, h: NewHandoff): Promise<number> {
  const [row] = await tx.query<{ id: number | string }>(
    `INSERT INTO handoff_request (chat_id, reason, flow_id, flow_version, status, requested_at, answer_by, district_code)
     VALUES ($1, $2, $3, $4, 'waiting', $5, $6, $7) RETURNING id`,
    [h.chatId, h.reason.slice(0, 64), h.flow?.id ?? null, h.flow?.version ?? null, h.requestedAt, h.answerBy, h.districtCode],
  );
  return Number(row!.id);
}
