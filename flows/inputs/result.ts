/**
 * What every input parser returns. `reason` is a stable machine code: the conversation layer maps it to a Thai or
 * English reprompt, so parsers never produce user-facing text.
 */
export type ParseResult<T, R extends string = string> = { ok: true; value: T } | { ok: false; reason: R };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <R extends string>(reason: R): { ok: false; reason: R } => ({ ok: false, reason });
