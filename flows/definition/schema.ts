import { z } from 'zod';
import { INTENTS } from '../../language/intents';
import { FACT_NAMES, type Condition, type FlowDefinition } from './types';

// The shape only; what the shape means (targets exist, texts exist, no loops) is validate.ts.
const id = z.string().min(1);
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const params = z.record(z.string(), z.unknown());

const message = z.union([
  z.strictObject({ text: id }),
  z.strictObject({ flex: z.record(z.string(), z.unknown()), altText: id }),
  z.strictObject({ image: z.url({ protocol: /^https$/ }) }),
]);

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ equals: z.tuple([id, scalar]) }),
    z.strictObject({ in: z.tuple([id, z.array(scalar)]) }),
    z.strictObject({ exists: id }),
    z.strictObject({ regex: z.tuple([id, z.string()]) }),
    z.strictObject({ and: z.array(conditionSchema).min(1) }),
    z.strictObject({ or: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({ condition: id, params: params.optional() }),
  ]),
);

// Message count is checked in validate.ts so the error can say which node and how many.
const say = z.strictObject({ kind: z.literal('say'), messages: z.array(message).min(1), next: id });
const ask = z.strictObject({
  kind: z.literal('ask'),
  input: z.strictObject({ type: id, options: params.optional() }),
  slot: id,
  prompt: id,
  reprompt: id,
  retries: z.int().min(1).max(5),
  next: id,
  onGiveUp: id.optional(),
  skipIfFilled: z.boolean().optional(),
  suggest: z.enum(['profileName']).optional(),
});
const choose = z.strictObject({
  kind: z.literal('choose'),
  prompt: id,
  options: z
    .array(
      z.strictObject({ label: id, value: z.string().optional(), synonyms: z.array(z.string()).optional(), next: id, returnTo: id.optional() }),
    )
    .min(1),
  display: z.enum(['quickReply', 'buttons']).optional(),
  slot: id.optional(),
  matchIntents: z.boolean().optional(),
  confirmIfFilled: z.boolean().optional(),
  skipIfFilled: z.boolean().optional(),
});
const branch = z.strictObject({
  kind: z.literal('branch'),
  cases: z.array(z.strictObject({ when: conditionSchema, next: id })),
  otherwise: id,
});
const action = z.strictObject({
  kind: z.literal('action'),
  action: id,
  params: params.optional(),
  outcomes: z.record(z.string(), id),
});
const call = z.strictObject({ kind: z.literal('call'), flow: id, next: id });
const handoff = z.strictObject({ kind: z.literal('handoff'), reason: z.string().optional(), message: id.optional() });
const end = z.strictObject({ kind: z.literal('end'), message: id.optional() });

export const nodeSchema = z.discriminatedUnion('kind', [say, ask, choose, branch, action, call, handoff, end]);

export const flowSchema = z.strictObject({
  id,
  version: z.int().min(1),
  texts: z.strictObject({ th: z.record(z.string(), z.string()), en: z.record(z.string(), z.string()) }),
  intents: z.array(z.enum(INTENTS)).optional(),
  facts: z.partialRecord(z.enum(FACT_NAMES), id).optional(),
  keywords: z.strictObject({ th: z.array(z.string()), en: z.array(z.string()) }).optional(),
  keepTextAs: id.optional(),
  params: z.array(id).optional(),
  start: id,
  nodes: z.record(z.string(), nodeSchema),
});

// Keep the hand-written types and the schema from drifting apart.
type Parsed = z.infer<typeof flowSchema>;
const _toTypes = (p: Parsed): FlowDefinition => p;
const _toSchema = (d: FlowDefinition): Parsed => d;
void _toTypes;
void _toSchema;

export const FLOW_SCHEMA_ID = 'https://damrongdhama.local/schemas/flow.schema.json';

/** The published JSON Schema for flow files, so editors can validate and autocomplete. */
export function flowJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(flowSchema, { target: 'draft-2020-12' }),
    $id: FLOW_SCHEMA_ID,
    title: 'Conversation flow definition',
  };
}
