// A conversation flow as plain data: admins edit it, `validateFlow` vets it on save,
// and the engine walks it. Actions and named conditions are referenced by name only;
// their code lives in a registry, so a definition never carries behaviour.

export type NodeId = string;
export type TextKey = string;
export type FlowId = string;

/** The parser names in flows/inputs; a definition may only ask for these. */
export const INPUT_TYPES = ['text', 'number', 'date', 'phone', 'email', 'national-id', 'yes-no'] as const;
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
}

export interface ChooseOption {
  label: TextKey;
  synonyms?: string[];
  next: NodeId;
}

export interface ChooseNode {
  kind: 'choose';
  prompt: TextKey;
  options: ChooseOption[];
  display?: 'quickReply' | 'buttons';
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

export interface FlowDefinition {
  id: FlowId;
  version: number;
  texts: { th: Record<TextKey, string>; en: Record<TextKey, string> };
  keywords?: { th: string[]; en: string[] };
  start: NodeId;
  nodes: Record<NodeId, FlowNode>;
}
