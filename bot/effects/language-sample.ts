/** A reading to learn from (see understanding/samples.ts): kept in the event's transaction, without the chat id. */
import { keepSample } from '../../understanding/samples';
import type { EffectExecutor } from './context';

export const languageSample: EffectExecutor<'languageSample'> = (ctx, e) =>
  keepSample(ctx.tx, {
    reason: e.reason,
    text: e.text,
    intent: e.intent,
    confidence: e.confidence,
    ...(e.correction ? { correction: e.correction } : {}),
    at: ctx.stampedAt,
  });
