/**
 * What the language layer met in the field (language_sample): messages read with low confidence or not understood,
 * and proposals a citizen corrected. Kept with personal numbers masked and no chat id, for admins to review and
 * turn into training examples.
 */
import type { Tx } from '../storage/database';
import { maskNumbersInText } from '../flows/engine/format';

export type SampleReason = 'low_confidence' | 'not_understood' | 'corrected';
export type SampleStatus = 'new' | 'added' | 'dismissed';

export interface NewSample {
  reason: SampleReason;
  text: string;
  intent: string;
  confidence: number;
  correction?: { slot: string; proposed: string; chosen: string };
  at: number;
}

/** Long stories are cut: the start says what the model needs to learn, and a sample is no copy of a case. */
const MAX_TEXT = 1000;

export async function keepSample(tx: Pick<Tx, 'query'>, s: NewSample): Promise<void> {
  const c = s.correction;
  await tx.query(
    `INSERT INTO language_sample (reason, text, intent, confidence, slot, proposed, chosen, at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new')`,
    [s.reason, maskNumbersInText(s.text).slice(0, MAX_TEXT), s.intent.slice(0, 32), s.confidence, c?.slot.slice(0, 64) ?? null, c?.proposed.slice(0, 64) ?? null, c?.chosen.slice(0, 64) ?? null, s.at],
  );
}
