export type * from './types';
export { INPUT_TYPES } from './types';
export { flowSchema, nodeSchema, conditionSchema, flowJsonSchema, FLOW_SCHEMA_ID } from './schema';
export { validateFlow, categoryErrors, closest, levenshtein, SYSTEM_VARS, type FlowError, type ValidationContext, type ValidationResult } from './validate';
export { diffFlows, type FlowDiff, type ListChange, type TextChanges } from './diff';
export { flowWarnings, textUses, variablesOf, QUICK_REPLY_LABEL_MAX } from './warnings';
export { categoryChoices, FILING_SLOT, type KnownCategories } from './categories';
