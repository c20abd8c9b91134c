/**
 * What the engine takes from the language layer's reading of a message typed at the menu: which flow answers its
 * intent, and which of the flow's slots its facts already fill. Pure.
 */
import type { Reading } from '../../language';
import type { Intent } from '../../language/intents';
import type { FactName, FlowDefinition } from '../definition/types';
import { parseTrackingNumber } from '../inputs/tracking-number';
import { narrowPlace } from '../places';
import { placeValue } from './answers';

/** Below this, a reading is kept for admins to review (what the model was unsure of is what it should learn). */
export const LOW_CONFIDENCE = 0.6;

/** The live flow that takes this intent (its `intents`), other than the menu itself. */
export function flowForIntent(flows: readonly FlowDefinition[], intent: Intent, menuFlow: string): FlowDefinition | undefined {
  return flows.find((f) => f.id !== menuFlow && f.intents?.includes(intent));
}

export interface Prefill {
  /** Slot values known from the message. */
  slots: Record<string, unknown>;
  /**
   * By slot: a place named without its subdistrict, to narrow instead of asking afresh; and, for every slot filled
   * here, the value itself, so the flow can tell a proposal from an answer the citizen gave.
   */
  hints: Record<string, string>;
}

/** The slots a flow's `facts` map fills from a reading; a fact that does not check out is left for the flow to ask. */
export function prefillFromReading(flow: FlowDefinition, reading: Reading): Prefill {
  const out: Prefill = { slots: {}, hints: {} };
  const facts = reading.facts;
  for (const [fact, slot] of Object.entries(flow.facts ?? {}) as [FactName, string][]) {
    switch (fact) {
      case 'intent':
        out.slots[slot] = reading.intent;
        break;
      case 'trackingNumber': {
        // The layer recognises the shape; the check digit is checked here, so a mistyped number is asked again.
        const parsed = facts.trackingNumber ? parseTrackingNumber(facts.trackingNumber) : null;
        if (parsed?.ok) out.slots[slot] = parsed.value.text;
        break;
      }
      case 'category':
        if (facts.category) out.slots[slot] = facts.category;
        break;
      case 'topic':
        if (facts.subject) out.slots[slot] = facts.subject;
        break;
      case 'when':
        if (facts.when?.date) out.slots[slot] = facts.when.date;
        break;
      case 'about':
        if (facts.about) out.slots[slot] = facts.about;
        break;
      case 'anonymous':
        if (facts.anonymous) out.slots[slot] = 'yes';
        break;
      case 'place': {
        if (!facts.placeText) break;
        const found = placeIn(facts.placeText);
        if (found.kind === 'done') out.slots[slot] = placeValue(found.place);
        else if (found.kind === 'choose') out.hints[slot] = facts.placeText;
        break;
      }
    }
  }
  for (const [slot, value] of Object.entries(out.slots)) if (typeof value === 'string') out.hints[slot] = value;
  return out;
}

/**
 * The place search reads subdistricts, districts and provinces; a story also names villages, หมู่ and streets,
 * which the list does not hold. Tried as written, then from the first administrative name on.
 */
function placeIn(text: string): ReturnType<typeof narrowPlace> {
  const found = narrowPlace(text, null);
  if (found.kind !== 'none') return found;
  const admin = /(?:ตำบล|ต\.|อำเภอ|อ\.|จังหวัด|จ\.)/u.exec(text);
  return admin && admin.index > 0 ? narrowPlace(text.slice(admin.index), null) : found;
}
