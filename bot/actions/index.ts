/**
 * The code behind the actions flows name (flows/registry/actions.ts holds their contract). Each runs inside the
 * event's transaction, so what it writes commits with the conversation's new state and its messages, or not at
 * all. No network calls here: on SQLite the transaction is shared with other chats' work for a moment.
 */
import type { Tx } from '../../storage/database';
import type { ACTIONS } from '../../flows/registry/actions';
import type { PendingAction } from '../../flows/engine/types';
import type { ConversationState } from '../../flows/engine/state';

export interface ActionContext {
  tx: Tx;
  chatId: string;
  inboxEventId: number;
  now: number;
  state: ConversationState;
  action: PendingAction;
}

export interface ActionResult {
  outcome: string;
  /** Values the flow may show next ("{{trackingNumber}}"). */
  slots?: Record<string, unknown>;
}

export type ActionHandler = (ctx: ActionContext) => Promise<ActionResult>;

export const ACTION_HANDLERS: Record<keyof typeof ACTIONS, ActionHandler> = {
  async 'intake.submit'({ tx, chatId, inboxEventId, now, state, action }) {
    await tx.query(
      `INSERT INTO intake_submission (chat_id, inbox_event_id, flow_id, flow_version, answers, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [chatId, inboxEventId, action.flow.id, action.flow.version, JSON.stringify(state.slots), now],
    );
    return { outcome: 'ok' };
  },
};
