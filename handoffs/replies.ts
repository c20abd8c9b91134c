/**
 * An officer's reply in a chat: pushed to the citizen through the outbox, kept in the chat (console_message), and
 * the first one stops the handoff's first-answer clock. All three in the caller's transaction, so a reply is
 * never shown as sent when the push was not queued, nor queued twice.
 */
import type { Tx } from '../storage/database';
import { queueMessages } from '../storage/outbox';

export interface OfficerReply {
  chatId: string;
  handoffId: number;
  officerId: number;
  text: string;
  at: number;
}

/** Queues the push (due at `sendAt` on the outbox's clock) and records the reply; returns its console_message id. */
export async function sendOfficerReply(tx: Tx, r: OfficerReply, sendAt: number): Promise<number> {
  await queueMessages(tx, { chatId: r.chatId, messages: [{ type: 'text', text: r.text }] }, sendAt);
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO console_message (chat_id, handoff_id, direction, officer_id, text, at) VALUES ($1, $2, 'out', $3, $4, $5) RETURNING id`,
    [r.chatId, r.handoffId, r.officerId, r.text, r.at],
  );
  await tx.query('UPDATE handoff_claim SET first_reply_at = $2 WHERE handoff_id = $1 AND first_reply_at IS NULL', [r.handoffId, r.at]);
  return Number(row!.id);
}
