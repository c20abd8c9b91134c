import type { FlowDefinition } from './types';

/**
 * What a case is filed under: the `category` slot (bot/actions/cases.ts hands the slots to cases/store.ts fileCase).
 * A choice kept in this slot files into a category, so its values must be categories in use (the validator checks
 * them against the list it is given), and a category a live flow files into cannot be retired.
 */
export const FILING_SLOT = 'category';

/** The list the validator checks against: every category, retired ones marked. */
export type KnownCategories = ReadonlyArray<{ code: string; retired: boolean }>;

/** Each choice of the flow that files into a category: its code, and the path of the choice. */
export function categoryChoices(flow: Pick<FlowDefinition, 'nodes'>): Array<{ code: string; path: string; node: string }> {
  const out: Array<{ code: string; path: string; node: string }> = [];
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.kind !== 'choose' || node.slot !== FILING_SLOT) continue;
    node.options.forEach((o, i) => out.push({ code: o.value ?? o.label, path: `nodes.${id}.options.${i}.value`, node: id }));
  }
  return out;
}
