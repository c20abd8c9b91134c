/**
 * Training with the field's examples: the corpus (language/corpus/, read by the caller) plus the examples admins
 * added, by the language layer's own trainer (language/train/). The corpus's held-out split stays out of the
 * training and measures the model, as nlu:eval does for model.json, so versions can be compared. The field's
 * examples are all trained on: each is a message the model got wrong, and holding some out would drop lessons
 * at random.
 */
import { INTENTS, loadLanguageModel } from '../language';
import { splitCorpus, type Example } from '../language/train/corpus';
import { evaluate } from '../language/train/metrics';
import { trainModel, type TrainOptions } from '../language/train/train';
import type { ModelFile } from '../language/model-file';
import type { StoredExample } from './examples';

/** A stored example as the trainer takes it: the topic is the language layer's subject. */
export function trainingExample(e: StoredExample): Example {
  return {
    text: e.text,
    intent: e.intent,
    ...(e.topic !== null ? { subject: e.topic } : {}),
    ...(e.category !== null ? { category: e.category } : {}),
    source: `language_example:${e.id}`,
  };
}

export interface TrainedWithExamples {
  model: ModelFile;
  /** Share of the corpus's held-out split read as its intent; null when the split is empty. */
  accuracy: number | null;
  /** Examples trained on: the corpus's training split plus the field's. */
  trainedOn: number;
  heldOut: number;
  fieldExamples: number;
}

/** `heldOutShare`: the corpus's share kept out, as nlu:train and nlu:eval split it (their HELD_OUT_SHARE). */
export function trainWithExamples(
  corpus: Example[],
  field: StoredExample[],
  o: { heldOutShare?: number; train?: Partial<TrainOptions> } = {},
): TrainedWithExamples {
  const { train, test } = o.heldOutShare === undefined ? splitCorpus(corpus) : splitCorpus(corpus, o.heldOutShare);
  const examples = [...train, ...field.map(trainingExample)];
  if (examples.length === 0) throw new Error('nothing to train on: the corpus and the stored examples are empty');
  const model = trainModel(examples, o.train);
  const reader = loadLanguageModel(model);
  const report = evaluate(
    test.map((e) => ({ expected: e.intent, actual: reader.read(e.text).intent })),
    INTENTS,
  );
  return {
    model,
    accuracy: test.length > 0 ? Math.round(report.accuracy * 1e4) / 1e4 : null,
    trainedOn: examples.length,
    heldOut: test.length,
    fieldExamples: field.length,
  };
}
