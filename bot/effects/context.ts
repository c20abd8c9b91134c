import type { Effect } from '../../flows/engine/types';
import type { OfficeHours } from '../../office/hours';
import type { Tx } from '../../storage/database';
import type { DataCipher } from '../../storage/crypto';

/** What an effect is carried out with: the event's transaction and what the conversation step already knows. */
export interface EffectContext {
  tx: Tx;
  chatId: string;
  inboxEventId: number | null;
  /** Wall-clock time of the event, stamped on rows. */
  stampedAt: number;
  /** The conversation's clock (tests move it): deadlines and scheduled checks follow it. */
  now: number;
  /** The chat's district's office hours, when the server knows office hours. */
  hours: OfficeHours | null;
  /** The chat's district (its latest case's, else the center's), looked up at most once per event. */
  district(): Promise<string | null>;
  /** The server's data key: what an effect stores of the citizen's words is encrypted. */
  cipher: DataCipher;
}

export type EffectOf<K extends Effect['type']> = Extract<Effect, { type: K }>;
export type EffectExecutor<K extends Effect['type']> = (ctx: EffectContext, effect: EffectOf<K>) => Promise<void>;
