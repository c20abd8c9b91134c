/**
 * What the conversations do, counted for /metrics: engine steps by flow, how flows end (the effects the engine
 * returns already say it), the actions' outcomes, and how sure the language layer was of what people typed.
 * Recorded here, at the edge that steps the engine: the engine and the language layer stay pure.
 */
import type { ConversationState, EngineContext, StepResult } from '../flows/engine';
import { metrics } from '../runtime/metrics';

const flowOf = (state: ConversationState) => state.flow?.id ?? 'none';

/** Counts one engine step and the flow outcomes among its effects; returns the result unchanged. */
export function observeStep(result: StepResult): StepResult {
  metrics.flowSteps.inc({ flow: flowOf(result.state) });
  for (const e of result.effects) {
    if (e.type === 'flowStarted') metrics.flowOutcomes.inc({ flow: e.flow.id, outcome: 'started' });
    else if (e.type === 'flowEnded') metrics.flowOutcomes.inc({ flow: e.flow.id, outcome: e.how });
    else if (e.type === 'gaveUp') metrics.flowOutcomes.inc({ flow: e.flow.id, outcome: 'gave_up' });
  }
  return result;
}

/** A flow that could not run (FlowRuntimeError): the conversation is reset. */
observeStep.error = (state: ConversationState) => metrics.flowOutcomes.inc({ flow: flowOf(state), outcome: 'error' });

/** An action's code answered the flow with this outcome. */
observeStep.action = (action: string, outcome: string) => metrics.flowActions.inc({ action, outcome });

/** The engine's context with its language reader observed: each reading's confidence, by the intent read. */
export function observeLanguage(engine: EngineContext): EngineContext {
  const language = engine.language;
  if (!language) return engine;
  return {
    ...engine,
    language: {
      read(text, options) {
        const reading = language.read(text, options);
        metrics.languageConfidence.observe({ intent: reading.intent }, reading.confidence);
        return reading;
      },
    },
  };
}
