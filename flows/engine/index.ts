export { step, matchOption, FlowRuntimeError } from './engine';
export { initialState, serializeState, deserializeState, StateFormatError, STATE_FORMAT } from './state';
export type { ConversationState, FlowRef, Locale } from './state';
export type { EngineContext, EngineInput, Effect, FaqMatcher, LanguageReader, OfficeClock, FlowSet, EngineTexts, OutMessage, PendingAction, PinPlace, PinPlacement, PinPlacer, StepResult } from './types';
export { formatDate, bangkokDay } from './format';
export { MemoryFlowSet } from './flow-set';
export { createEngineTexts, flowNamespace } from './texts';
