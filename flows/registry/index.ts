/**
 * The names a flow may use, and what each means. Flows are data; their behaviour lives here, by name, the way
 * XState's `setup({actions, guards})` keeps code out of the machine. The validator reads these lists so that a
 * flow naming something the code does not have is refused on save, never skipped at run time.
 */
import type { ValidationContext } from '../definition/validate';
import { CONDITIONS } from './conditions';
import { ACTIONS, type ActionSpec } from './actions';
import { INPUT_TYPES } from '../definition/types';
import type { KnownCategories } from '../definition/categories';

export { ACTIONS, type ActionSpec } from './actions';
export { CONDITIONS, type ConditionFn } from './conditions';

/**
 * What `validateFlow` needs to know about the code, for one file. `flows`: the flow ids a `call` may name;
 * `categories`: the case categories (the table's), when the caller has them.
 */
export function validationContext(file: string, flows?: Iterable<string>, categories?: KnownCategories): ValidationContext {
  return {
    file,
    actions: new Set(Object.keys(ACTIONS)),
    actionOutcomes: new Map(Object.entries(ACTIONS).map(([name, spec]) => [name, spec.outcomes])),
    actionSlots: new Map(Object.entries(ACTIONS as Record<string, ActionSpec>).map(([name, spec]) => [name, spec.gives ?? []])),
    conditions: new Set(Object.keys(CONDITIONS)),
    inputs: new Set(INPUT_TYPES),
    ...(flows === undefined ? {} : { flows: new Set(flows) }),
    ...(categories === undefined ? {} : { categories }),
  };
}
