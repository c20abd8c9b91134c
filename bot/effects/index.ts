/**
 * The code behind the effects the engine returns (flows/engine/types.ts `Effect`), one executor per kind, registered
 * by name as actions are (bot/actions/). The only place an effect is carried out: each runs in the event's
 * transaction, so what it writes commits with the conversation's new state and messages, or not at all. No network
 * calls here.
 */
import type { Effect } from '../../flows/engine/types';
import type { EffectContext, EffectExecutor } from './context';
import { handoff } from './handoff';
import { languageSample } from './language-sample';
import { flowEnded, flowStarted, forwardToOfficer, gaveUp, localeChanged, privacyNoticeShown } from './log';

export type { EffectContext } from './context';

export const EFFECT_EXECUTORS: { [K in Effect['type']]: EffectExecutor<K> } = {
  flowStarted,
  flowEnded,
  handoff,
  localeChanged,
  privacyNoticeShown,
  gaveUp,
  forwardToOfficer,
  languageSample,
};

/** Carries out a step's effects in the order the engine returned them. */
export async function runEffects(ctx: EffectContext, effects: readonly Effect[]): Promise<void> {
  for (const effect of effects) await (EFFECT_EXECUTORS[effect.type] as EffectExecutor<Effect['type']>)(ctx, effect);
}
