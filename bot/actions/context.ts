import type { Tx } from '../../storage/database';
import type { DataCipher } from '../../storage/crypto';
import type { PendingAction, OutMessage } from '../../flows/engine/types';
import type { ConversationState, Locale } from '../../flows/engine/state';
import type { Settings } from '../../config/settings';
import type { FaqStore } from '../../faq/store';

/** What the server gives every action: keys, settings and stores; the same for every event. */
export interface ActionServices {
  cipher: DataCipher;
  cases: Settings['cases'];
  /** Where links in messages point (the my-data download); the server's own address when PUBLIC_URL is unset. */
  publicUrl: string;
  faq: FaqStore | null;
  /** The center's district: where a case that cannot be placed is notified (CENTER_DISTRICT). */
  centerDistrict: string | null;
  /** RETENTION_YEARS: how long a closed case is kept, as a deletion request is told. */
  retentionYears?: number;
}

export interface ActionContext {
  tx: Tx;
  chatId: string;
  /** The LINE user the chat is with (one-to-one chats only run flows). */
  lineUserId: string;
  displayName: string | null;
  locale: Locale;
  inboxEventId: number;
  now: number;
  state: ConversationState;
  action: PendingAction;
  services: ActionServices;
}

export interface ActionResult {
  outcome: string;
  /** Values the flow may show next ("{{trackingNumber}}"). */
  slots?: Record<string, unknown>;
  /** Messages only code can build (a receipt, a carousel), sent before the flow goes on. */
  messages?: OutMessage[];
}

export type ActionHandler = (ctx: ActionContext) => Promise<ActionResult>;
