/**
 * Named conditions for branch nodes: pure functions of the conversation's slots and context. Conditions that
 * plain data can express (equals, in, exists, regex, and/or/not) need no entry here.
 */
import { filedUnder } from '../../categories/rules';
import type { CaseCategory } from '../../categories/types';
import { FILING_SLOT } from '../definition/categories';

export interface ConditionContext {
  slots: Readonly<Record<string, unknown>>;
  locale: 'th' | 'en';
  /** Epoch milliseconds of the event being handled. */
  now: number;
  /** The case categories as the center keeps them now (the `category` table), for the `category.*` conditions. */
  categories?: readonly CaseCategory[];
}

export type ConditionFn = (params: Readonly<Record<string, unknown>>, ctx: ConditionContext) => boolean;

/** A `category.*` condition was asked, but whoever runs the engine gave it no category list: a bug, never "no". */
export class CategoryListMissingError extends Error {
  constructor() {
    super('the category conditions need the list of categories in the engine context (EngineContext.categories)');
    this.name = 'CategoryListMissingError';
  }
}

/** Bangkok time: hour of day and ISO weekday (1 = Monday) of an instant. */
function bangkokClock(now: number): { hour: number; weekday: number } {
  const d = new Date(now + 7 * 3_600_000);
  return { hour: d.getUTCHours() + d.getUTCMinutes() / 60, weekday: ((d.getUTCDay() + 6) % 7) + 1 };
}

/**
 * One of the rules of the category the conversation would file into: the code in the `category` slot (or
 * params.slot), read in the list the engine was given, so that what an admin sets on the categories page decides
 * what the chat asks. An unknown, retired or not yet chosen code follows the default category's rules, as its
 * case would be filed under it.
 */
const categoryRule =
  (rule: 'consentRequired' | 'nationalIdRequired' | 'anonymousAllowed'): ConditionFn =>
  (params, ctx) => {
    if (!ctx.categories) throw new CategoryListMissingError();
    const code = ctx.slots[typeof params.slot === 'string' ? params.slot : FILING_SLOT];
    return filedUnder(ctx.categories, typeof code === 'string' ? code : null)?.[rule] === true;
  };

export const CONDITIONS: Record<string, ConditionFn> = {
  /** The conversation language is params.locale. */
  'locale.is': (params, ctx) => ctx.locale === params.locale,
  /** Weekday office hours in Bangkok, 08:30-16:30 unless params say otherwise (holidays come with issue 5). */
  'time.officeHours': (params, ctx) => {
    const open = typeof params.open === 'number' ? params.open : 8.5;
    const close = typeof params.close === 'number' ? params.close : 16.5;
    const { hour, weekday } = bangkokClock(ctx.now);
    return weekday <= 5 && hour >= open && hour < close;
  },
  /** The slot holds a list (attachments) with at least params.min entries (default 1). */
  'slot.hasItems': (params, ctx) => {
    const value = ctx.slots[String(params.slot)];
    const min = typeof params.min === 'number' ? params.min : 1;
    return Array.isArray(value) && value.length >= min;
  },
  /** The chosen category asks consent before its story is taken (sensitive data, PDPA s.26). */
  'category.consentRequired': categoryRule('consentRequired'),
  /** The chosen category needs the complainant's national ID. */
  'category.nationalIdRequired': categoryRule('nationalIdRequired'),
  /** The chosen category may be filed without a name (a tip-off). */
  'category.anonymousAllowed': categoryRule('anonymousAllowed'),
};
