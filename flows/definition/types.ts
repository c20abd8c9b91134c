// A conversation flow as plain data: admins edit it, `validateFlow` vets it on save,
// and the engine walks it. Actions and named conditions are referenced by name only;
// their code lives in a registry, so a definition never carries behaviour.
import type { Intent } from '../../language/intents';

export type NodeId = string;
export type TextKey = string;
export type FlowId = string;

/** The parser names in flows/inputs; a definition may only ask for these. */
export const INPUT_TYPES = [
  'text',
  'number',
  'date',
  'time',
  'phone',
  'email',
  'national-id',
  'yes-no',
  'consent',
  'location',
  'attachments',
  'tracking-number',
] as const;
export type InputType = (typeof INPUT_TYPES)[number];

export type Message =
  | { text: TextKey }
  | { flex: Record<string, unknown>; altText: TextKey }
  | { image: string };

export type Condition =
  | { equals: [slot: string, value: string | number | boolean] }
  | { in: [slot: string, values: Array<string | number | boolean>] }
  | { exists: string }
  | { regex: [slot: string, pattern: string] }
  | { and: Condition[] }
  | { or: Condition[] }
  | { not: Condition }
  | { condition: string; params?: Record<string, unknown> };

export interface SayNode {
  kind: 'say';
  messages: Message[];
  next: NodeId;
}

export interface AskNode {
  kind: 'ask';
  input: { type: string; options?: Record<string, unknown> };
  slot: string;
  prompt: TextKey;
  reprompt: TextKey;
  retries: number;
  next: NodeId;
  onGiveUp?: NodeId;
  /** Pass over this question when its slot already holds an answer (the text that started the flow). */
  skipIfFilled?: boolean;
  /** A one-tap answer offered with the question: the name on the citizen's LINE profile. */
  suggest?: 'profileName';
}

export interface ChooseOption {
  label: TextKey;
  /** Stored in the node's slot when chosen; defaults to the label's text key. */
  value?: string;
  synonyms?: string[];
  next: NodeId;
  /**
   * Come back here after the next question is answered: "change one answer" at a summary goes to that question,
   * then returns to the summary instead of walking the rest of the flow again.
   */
  returnTo?: NodeId;
}

export interface ChooseNode {
  kind: 'choose';
  prompt: TextKey;
  options: ChooseOption[];
  display?: 'quickReply' | 'buttons';
  /** Where the chosen option's value is kept, if anywhere. */
  slot?: string;
  /**
   * Typed text that matches no option is read by the language layer: a story starts the flow that takes its
   * intent (a flow's `intents`), a greeting or thanks gets an answer (the main menu does this).
   */
  matchIntents?: boolean;
  /**
   * When the slot already holds a value (proposed from the citizen's first message), ask only to confirm it: one tap
   * to accept, the other options to change it.
   */
  confirmIfFilled?: boolean;
  /** When the slot already holds the value of an option (a fact of the first message), go on as if it was chosen. */
  skipIfFilled?: boolean;
}

export interface BranchNode {
  kind: 'branch';
  cases: Array<{ when: Condition; next: NodeId }>;
  otherwise: NodeId;
}

export interface ActionNode {
  kind: 'action';
  action: string;
  params?: Record<string, unknown>;
  outcomes: Record<string, NodeId>;
}

export interface CallNode {
  kind: 'call';
  flow: FlowId;
  next: NodeId;
}

export interface HandoffNode {
  kind: 'handoff';
  reason?: string;
  message?: TextKey;
}

export interface EndNode {
  kind: 'end';
  message?: TextKey;
}

export type FlowNode =
  | SayNode
  | AskNode
  | ChooseNode
  | BranchNode
  | ActionNode
  | CallNode
  | HandoffNode
  | EndNode;

/**
 * Facts the language layer reads from a message (language/index.ts Facts), by the name a flow maps them to slots:
 * `intent` is the message's intent itself; `place` a place named in it, resolved with the place search.
 */
export const FACT_NAMES = ['intent', 'trackingNumber', 'category', 'topic', 'when', 'about', 'anonymous', 'place'] as const;
export type FactName = (typeof FACT_NAMES)[number];

export interface FlowDefinition {
  id: FlowId;
  version: number;
  texts: { th: Record<TextKey, string>; en: Record<TextKey, string> };
  /** What a message typed at the menu must mean to start this flow (the language layer's intents). */
  intents?: Intent[];
  /** Facts read from the message that started the flow, each into a slot, so the flow asks only what is unknown. */
  facts?: Partial<Record<FactName, string>>;
  /** No longer read: the language layer replaced keyword lists. Kept so that stored older versions still load. */
  keywords?: { th: string[]; en: string[] };
  /** The slot that keeps the text which started this flow from the menu ("ไฟถนนดับหน้าบ้าน" as the story). */
  keepTextAs?: string;
  /** Slots given by whoever starts the flow (a button's `flow=track&number=...`, the survey after a case ends). */
  params?: string[];
  start: NodeId;
  nodes: Record<NodeId, FlowNode>;
}
