/**
 * Training: multinomial logistic regression by plain SGD, one example at a time, in an order shuffled by a seeded
 * PRNG. Everything that could vary between runs is pinned: corpus order (sorted files), vocabulary order (sorted
 * strings), shuffles (seeded), summation order (fixed loops). Two runs on the same corpus give the same bytes.
 */
import { INTENTS, SUBJECTS } from '../intents';
import { CATEGORIES } from '../categories';
import { DEFAULT_FEATURES, extractFeatures, segmentWords, type FeatureConfig } from '../features';
import type { LinearHeadFile } from '../linear';
import { MODEL_FORMAT, MODEL_VERSION, type ModelFile } from '../model-file';
import { normalizeForFeatures, splitEmoji } from '../normalize';
import type { Example } from './corpus';
import { mulberry32, shuffle } from './prng';

export interface TrainOptions {
  seed: number;
  epochs: number;
  learningRate: number;
  l2: number;
  classWeightPower: number; // 0: none, 0.5: inverse square root of class size, 1: fully balanced
  minCount: number; // a feature seen in fewer examples is dropped: it cannot generalise and it costs bytes
  maxFeatures: { intent: number; subject: number; category: number }; // per head, after training, by weight
  features: FeatureConfig;
}

export const DEFAULT_TRAIN: TrainOptions = {
  seed: 20250101,
  epochs: 30,
  learningRate: 4,
  l2: 1e-5,
  classWeightPower: 0.5,
  minCount: 2,
  maxFeatures: { intent: 30000, subject: 12000, category: 6000 },
  features: DEFAULT_FEATURES,
};

interface Sample {
  features: string[];
  label: number;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Trains one softmax head. Labels absent from the data still get a row (bias very low) so the file is complete. */
export function trainHead(samples: Sample[], labels: readonly string[], opts: TrainOptions, maxFeatures: number): LinearHeadFile {
  const L = labels.length;
  const counts = new Map<string, number>();
  for (const s of samples) for (const f of s.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocab = [...counts.entries()].filter(([, c]) => c >= opts.minCount).map(([f]) => f).sort(byString);
  const index = new Map(vocab.map((f, i) => [f, i]));
  const rows = samples.map((s) => ({ idx: s.features.map((f) => index.get(f)).filter((i): i is number => i !== undefined), norm: 1 / Math.sqrt(Math.max(1, s.features.length)), label: s.label }));

  // Rare intents must not drown under complaints: weight examples by a power of the inverse class size.
  const perClass = new Array<number>(L).fill(0);
  for (const s of samples) perClass[s.label]! += 1;
  const classWeight = perClass.map((c) => (c > 0 ? c ** -opts.classWeightPower : 0));
  const meanWeight = samples.reduce((a, s) => a + classWeight[s.label]!, 0) / Math.max(1, samples.length);
  for (let k = 0; k < L; k++) classWeight[k] = classWeight[k]! / (meanWeight || 1);

  const W = new Float64Array(vocab.length * L);
  const b = new Float64Array(L);
  for (let k = 0; k < L; k++) if (perClass[k] === 0) b[k] = -10;
  const random = mulberry32(opts.seed);
  const order = rows.map((_, i) => i);
  const scores = new Float64Array(L);
  let step = 0;
  const total = opts.epochs * rows.length;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const r = rows[i]!;
      const lr = opts.learningRate * (1 - step / (total + 1));
      step++;
      scores.set(b);
      for (const f of r.idx) for (let k = 0; k < L; k++) scores[k]! += W[f * L + k]! * r.norm;
      let max = -Infinity;
      for (let k = 0; k < L; k++) if (scores[k]! > max) max = scores[k]!;
      let sum = 0;
      for (let k = 0; k < L; k++) sum += scores[k] = Math.exp(scores[k]! - max);
      const cw = classWeight[r.label]!;
      for (let k = 0; k < L; k++) {
        if (perClass[k] === 0) continue;
        const g = (scores[k]! / sum - (k === r.label ? 1 : 0)) * cw;
        b[k]! -= lr * g;
        for (const f of r.idx) {
          const j = f * L + k;
          W[j]! -= lr * (g * r.norm + opts.l2 * W[j]!);
        }
      }
    }
  }
  return quantise(vocab, W, b, labels, maxFeatures);
}

/** int8 weights with one scale; keeps the `maxFeatures` features with the largest weights, then sorts them. */
function quantise(vocab: string[], W: Float64Array, b: Float64Array, labels: readonly string[], maxFeatures: number): LinearHeadFile {
  const L = labels.length;
  let maxAbs = 0;
  for (const w of W) if (Math.abs(w) > maxAbs) maxAbs = Math.abs(w);
  const scale = maxAbs > 0 ? Number((maxAbs / 127).toPrecision(6)) : 1;
  const strength = vocab.map((f, i) => {
    let m = 0;
    for (let k = 0; k < L; k++) m = Math.max(m, Math.abs(Math.round(W[i * L + k]! / scale)));
    return { f, i, m };
  });
  const kept = strength
    .filter((s) => s.m > 0)
    .sort((x, y) => y.m - x.m || byString(x.f, y.f))
    .slice(0, maxFeatures)
    .sort((x, y) => byString(x.f, y.f));
  const bytes = new Int8Array(kept.length * L);
  kept.forEach((s, r) => {
    for (let k = 0; k < L; k++) bytes[r * L + k] = Math.max(-127, Math.min(127, Math.round(W[s.i * L + k]! / scale)));
  });
  return {
    labels: [...labels],
    vocab: kept.map((s) => s.f),
    bias: [...b].map((v) => Math.round(v * 1e4) / 1e4),
    scale,
    weights: Buffer.from(bytes.buffer).toString('base64'),
  };
}

/** Words seen in the corpus (not in its gibberish): the lexicon behind the "no known word at all" check. */
function buildLexicon(examples: Example[]): string[] {
  const words = new Set<string>();
  for (const e of examples) {
    if (e.intent === 'gibberish') continue;
    for (const w of segmentWords(normalizeForFeatures(splitEmoji(e.text).text))) if (w.length >= 2 && !/^\d+$/.test(w)) words.add(w);
  }
  return [...words].sort(byString);
}

export function trainModel(examples: Example[], options: Partial<TrainOptions> = {}): ModelFile {
  const opts = { ...DEFAULT_TRAIN, ...options };
  const feats = examples.map((e) => extractFeatures(e.text, opts.features));
  const intent = trainHead(
    examples.map((e, i) => ({ features: feats[i]!, label: INTENTS.indexOf(e.intent) })),
    INTENTS,
    opts,
    opts.maxFeatures.intent,
  );
  const complaints = examples.map((e, i) => ({ e, f: feats[i]! })).filter((x) => x.e.intent === 'complaint');
  const subject = trainHead(
    complaints.map((x) => ({ features: x.f, label: SUBJECTS.indexOf(x.e.subject ?? 'other') })),
    SUBJECTS,
    opts,
    opts.maxFeatures.subject,
  );
  const category = trainHead(
    complaints.map((x) => ({ features: x.f, label: CATEGORIES.indexOf(x.e.category ?? 'complaint') })),
    CATEGORIES,
    opts,
    opts.maxFeatures.category,
  );
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    seed: opts.seed,
    examples: examples.length,
    features: opts.features,
    heads: { intent, subject, category },
    lexicon: buildLexicon(examples),
  };
}

/** JSON with keys sorted at every level, so the file's bytes depend on content only. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort(byString).map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}
