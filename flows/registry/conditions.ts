/**
 * Named conditions for branch nodes: pure functions of the conversation's slots and context. Conditions that
 * plain data can express (equals, in, exists, regex, and/or/not) need no entry here.
 */
export interface ConditionContext {
  slots: Readonly<Record<string, unknown>>;
  locale: 'th' | 'en';
  /** Epoch milliseconds of the event being handled. */
  now: number;
}

export type ConditionFn = (params: Readonly<Record<string, unknown>>, ctx: ConditionContext) => boolean;

/** Bangkok time: hour of day and ISO weekday (1 = Monday) of an instant. */
function bangkokClock(now: number): { hour: number; weekday: number } {
  const d = new Date(now + 7 * 3_600_000);
  return { hour: d.getUTCHours() + d.getUTCMinutes() / 60, weekday: ((d.getUTCDay() + 6) % 7) + 1 };
}

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
};
