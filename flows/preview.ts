/**
 * A draft tried out before it is published: the real engine steps it, with the live flows around it (the menu, the
 * flows it calls), in a throw-away conversation whose state the caller keeps. Nothing is filed and nothing is sent:
 * an action the engine stops at is not run but described (what it would have done, which outcome the preview took),
 * and its outcome can be chosen to try each way out. Pure: the caller gives the language layer, texts and clock.
 */
import type { FlowDefinition } from './definition/types';
import { initialState, MemoryFlowSet, step, FlowRuntimeError, type ConversationState, type EngineContext, type EngineInput, type Effect, type OutMessage } from './engine';
import { ACTIONS } from './registry/actions';

/** An action that did not run, and what the preview did in its place. */
export interface DryAction {
  node: string;
  flow: string;
  action: string;
  /** The contract's words for what it does (flows/registry/actions.ts). */
  description: string;
  outcome: string;
  outcomes: readonly string[];
  params: Record<string, unknown>;
}

export type PreviewNote =
  | ({ kind: 'action' } & DryAction)
  | { kind: 'handoff'; reason: string }
  | { kind: 'flowStarted'; flow: string; version: number }
  | { kind: 'flowEnded'; flow: string; how: string }
  | { kind: 'language'; locale: string };

export interface PreviewTurn {
  /** The draft as the editor holds it now (its schema already checked). */
  draft: FlowDefinition;
  /** The live flows; the draft takes its own id's place among them. */
  live: readonly FlowDefinition[];
  /** The conversation so far; null: a new one, started in the draft. */
  state: ConversationState | null;
  /** What the tester sent; `restart` starts the draft again, at `node` when given, keeping the answers so far. */
  input: EngineInput | { type: 'restart'; node?: string; locale?: 'th' | 'en' };
  /** The outcome to take at an action node, by node id; the first outcome of the action otherwise. */
  outcomes?: Readonly<Record<string, string>>;
  /** The engine's context without its flows (texts, language layer, conditions, clock). */
  context: Omit<EngineContext, 'flows'>;
}

export interface PreviewResult {
  state: ConversationState;
  messages: OutMessage[];
  notes: PreviewNote[];
  /** Where the conversation waits now, when that is in the draft: the node the editor highlights. */
  at: string | null;
}

/** Example values an action would have given the flow, so that texts using them read as they will. */
const DRY_SLOTS: Readonly<Record<string, (state: ConversationState) => Record<string, unknown>>> = {
  'case.file': () => ({ trackingNumber: 'XXX-0000-000000-0' }),
  'case.addInfo': (s) => ({ number: s.slots.number ?? 'XXX-0000-000000-0' }),
  'case.withdraw': (s) => ({ number: s.slots.number ?? 'XXX-0000-000000-0' }),
  'case.reopen': () => ({ dueDays: 15 }),
};

/** Actions a flow may run in a row without a question; as in bot/flow-handler.ts. */
const MAX_ACTIONS = 10;

export class PreviewNodeError extends Error {
  constructor(readonly node: string) {
    super(`the draft has no node "${node}" to start from`);
    this.name = 'PreviewNodeError';
  }
}

export function previewTurn(t: PreviewTurn): PreviewResult {
  let input: EngineInput;
  let draft = t.draft;
  let state = t.state;
  const locale = t.input.type === 'restart' ? t.input.locale : undefined;
  if (t.input.type === 'restart') {
    const node = t.input.node;
    if (node !== undefined && !(node in draft.nodes)) throw new PreviewNodeError(node);
    // Starting "from any node" is starting a copy of the draft whose start is that node, with the answers so far.
    if (node !== undefined) draft = { ...draft, start: node };
    input = { type: 'start', flow: draft.id, slots: { ...(state?.slots ?? {}) } };
  } else input = t.input;

  const flows = new MemoryFlowSet(
    [...t.live.filter((f) => f.id !== draft.id), draft],
    new Map([...t.live.filter((f) => f.id !== draft.id).map((f): [string, number] => [f.id, f.version]), [draft.id, draft.version]]),
  );
  const ctx: EngineContext = { ...t.context, flows };
  if (state === null) state = initialState(locale ?? 'th', ctx.now);
  // A restart takes the chat back from a handoff the preview reached: in the preview no officer is waiting.
  else if (t.input.type === 'restart') state = { ...state, handoff: null, ...(locale ? { locale } : {}) };

  const messages: OutMessage[] = [];
  const notes: PreviewNote[] = [];
  let result = step(state, input, ctx);
  for (let n = 0; ; n++) {
    messages.push(...result.messages);
    notes.push(...result.effects.flatMap(noteOf));
    const action = result.action;
    if (!action) break;
    if (n >= MAX_ACTIONS) throw new FlowRuntimeError(action.flow, action.node, 'too many actions in one turn');
    const spec = (ACTIONS as Record<string, { outcomes: readonly string[]; description: string }>)[action.name];
    const outcomes = spec?.outcomes ?? [];
    const wanted = t.outcomes?.[action.node];
    const outcome = wanted !== undefined && outcomes.includes(wanted) ? wanted : (outcomes[0] ?? '');
    notes.push({ kind: 'action', node: action.node, flow: action.flow.id, action: action.name, description: spec?.description ?? '', outcome, outcomes, params: action.params });
    const slots = DRY_SLOTS[action.name]?.(result.state);
    result = step(result.state, { type: 'outcome', outcome, ...(slots ? { slots } : {}) }, ctx);
  }
  const s = result.state;
  return { state: s, messages, notes, at: s.flow?.id === draft.id ? s.node : null };
}

function noteOf(e: Effect): PreviewNote[] {
  switch (e.type) {
    case 'handoff':
      return [{ kind: 'handoff', reason: e.reason }];
    case 'flowStarted':
      return [{ kind: 'flowStarted', flow: e.flow.id, version: e.flow.version }];
    case 'flowEnded':
      return [{ kind: 'flowEnded', flow: e.flow.id, how: e.how }];
    case 'localeChanged':
      return [{ kind: 'language', locale: e.locale }];
    default:
      return [];
  }
}
