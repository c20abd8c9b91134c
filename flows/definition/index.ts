export type * from './types';
export { INPUT_TYPES } from './types';
export { flowSchema, nodeSchema, conditionSchema, flowJsonSchema, FLOW_SCHEMA_ID } from './schema';
export { validateFlow, closest, levenshtein, SYSTEM_VARS, type FlowError, type ValidationContext, type ValidationResult } from './validate';
export { diffFlows, type FlowDiff, type ListChange, type TextChanges } from './diff';
export { flowWarnings, textUses, variablesOf, QUICK_REPLY_LABEL_MAX } from './warnings';
