import { z } from 'zod';

/**
 * A conversation's state, kept per chat in the database as JSON. It pins the flow version the conversation
 * started on, so a publish never changes a conversation under a citizen's feet, and it carries a format number:
 * a state written by an older format is migrated or dropped, never misread.
 */
export const STATE_FORMAT = 1;

export type Locale = 'th' | 'en';
export interface FlowRef {
  id: string;
  version: number;
}

/** A `call` in progress: where to continue in the caller when the called flow ends. */
export interface Frame {
  flow: FlowRef;
  returnTo: string;
}

/** A question answered, so "back" can ask it again and show the earlier answer. */
export interface HistoryEntry {
  flow: FlowRef;
  node: string;
  stack: Frame[];
}

/** Multi-turn answers in progress: attachments collected so far, a place narrowed so far. */
export type InputProgress =
  | { kind: 'attachments'; items: unknown[] }
  | { kind: 'place'; place: unknown; pin?: unknown }
  /** A LINE location pin placed by the boundaries, waiting for the citizen to confirm it or pick one of `options`. */
  | { kind: 'pin'; pin: unknown; options: string[]; off?: boolean };

/** What the engine waits for besides an answer to the current node. */
export type Pending = { kind: 'resume' } | { kind: 'language' } | { kind: 'gaveUp' };

export interface ConversationState {
  format: typeof STATE_FORMAT;
  locale: Locale;
  /** The flow being run; null when the chat is idle. */
  flow: FlowRef | null;
  /** The node waiting for the citizen (ask or choose) or for an action's outcome. */
  node: string | null;
  stack: Frame[];
  slots: Record<string, unknown>;
  history: HistoryEntry[];
  /** Wrong answers to the current question. */
  retries: number;
  /** Menu messages in a row that matched nothing. */
  misses: number;
  progress: InputProgress | null;
  pending: Pending | null;
  /** Where to go after the next answer instead of onwards ("change one answer" at a summary). */
  returnTo?: string | null;
  /** Half-known answers by slot, from the message that started the flow (a place without its subdistrict). */
  hints?: Record<string, string>;
  /** The name on the citizen's LINE profile, offered as a one-tap answer where a flow asks for a name. */
  profileName?: string;
  /** Set while an officer has the chat. */
  handoff: { reason: string; since: number } | null;
  lastActiveAt: number;
}

export function initialState(locale: Locale, now: number): ConversationState {
  return {
    format: STATE_FORMAT,
    locale,
    flow: null,
    node: null,
    stack: [],
    slots: {},
    history: [],
    retries: 0,
    misses: 0,
    progress: null,
    pending: null,
    handoff: null,
    lastActiveAt: now,
  };
}

const flowRef = z.strictObject({ id: z.string().min(1), version: z.int().min(1) });
const frame = z.strictObject({ flow: flowRef, returnTo: z.string().min(1) });
const stateSchema = z.strictObject({
  format: z.literal(STATE_FORMAT),
  locale: z.enum(['th', 'en']),
  flow: flowRef.nullable(),
  node: z.string().min(1).nullable(),
  stack: z.array(frame),
  slots: z.record(z.string(), z.unknown()),
  history: z.array(z.strictObject({ flow: flowRef, node: z.string().min(1), stack: z.array(frame) })),
  retries: z.int().min(0),
  misses: z.int().min(0),
  progress: z
    .union([
      z.strictObject({ kind: z.literal('attachments'), items: z.array(z.unknown()) }),
      z.strictObject({ kind: z.literal('place'), place: z.unknown(), pin: z.unknown().optional() }),
      z.strictObject({ kind: z.literal('pin'), pin: z.unknown(), options: z.array(z.string()), off: z.boolean().optional() }),
    ])
    .nullable(),
  pending: z
    .union([
      z.strictObject({ kind: z.literal('resume') }),
      z.strictObject({ kind: z.literal('language') }),
      z.strictObject({ kind: z.literal('gaveUp') }),
    ])
    .nullable(),
  returnTo: z.string().min(1).nullable().optional(),
  hints: z.record(z.string(), z.string()).optional(),
  profileName: z.string().max(100).optional(),
  handoff: z.strictObject({ reason: z.string(), since: z.number() }).nullable(),
  lastActiveAt: z.number(),
});

export class StateFormatError extends Error {
  constructor(readonly found: unknown) {
    super(`conversation state in an unknown format (${JSON.stringify(found)}); it is dropped, not misread`);
    this.name = 'StateFormatError';
  }
}

export function serializeState(state: ConversationState): string {
  return JSON.stringify(state);
}

/**
 * Reads a stored state. A state of another format, or one that does not parse, throws StateFormatError: the
 * caller starts the chat afresh and logs it, rather than guess what old fields meant.
 */
export function deserializeState(json: string): ConversationState {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new StateFormatError('not JSON');
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) throw new StateFormatError((raw as { format?: unknown } | null)?.format ?? null);
  return parsed.data as ConversationState;
}
