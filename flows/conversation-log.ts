/**
 * The conversation log (conversation_event): what happened in a chat, step by step, for officers reading a chat
 * and for seeing where people give up. Written by the effect executors (bot/effects/) in the event's transaction.
 */
import type { Tx } from '../storage/database';
import type { FlowRef } from './engine/state';

export type ConversationEventKind =
  | 'forwarded'
  | 'handoff'
  | 'flow_started'
  | 'flow_ended'
  | 'gave_up'
  | 'privacy_notice'
  | 'locale_changed';

export interface ConversationEvent {
  chatId: string;
  inboxEventId: number | null;
  kind: ConversationEventKind;
  flow?: FlowRef | null;
  node?: string | null;
  detail?: Record<string, unknown> | null;
  at: number;
}

export async function logConversationEvent(tx: Pick<Tx, 'query'>, e: ConversationEvent): Promise<void> {
  await tx.query(
    `INSERT INTO conversation_event (chat_id, inbox_event_id, kind, flow_id, flow_version, node, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.chatId, e.inboxEventId, e.kind, e.flow?.id ?? null, e.flow?.version ?? null, e.node ?? null, e.detail ? JSON.stringify(e.detail) : null, e.at],
  );
}
