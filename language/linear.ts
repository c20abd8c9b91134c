/**
 * A linear softmax classifier over binary features, as stored in model.json: the vocabulary (sorted feature
 * strings), a bias per label, and the weights quantised to int8 with one scale per head, base64-encoded, laid out
 * feature-major so scoring a message touches only the rows of the features it has.
 */

export interface LinearHeadFile {
  labels: string[];
  vocab: string[];
  bias: number[];
  scale: number;
  weights: string; // base64 of Int8Array, vocab.length × labels.length
}

export class LinearHead {
  readonly labels: string[];
  private readonly index: Map<string, number>;
  private readonly bias: Float64Array;
  private readonly weights: Int8Array;
  private readonly scale: number;
  // One scratch buffer per head: read() is synchronous, so reuse is safe and saves an allocation per message.
  private readonly scores: Float64Array;

  constructor(file: LinearHeadFile) {
    this.labels = file.labels;
    this.index = new Map(file.vocab.map((f, i) => [f, i]));
    this.bias = Float64Array.from(file.bias);
    this.scale = file.scale;
    const bytes = Buffer.from(file.weights, 'base64');
    this.weights = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.scores = new Float64Array(file.labels.length);
  }

  get vocabSize(): number {
    return this.index.size;
  }

  /** Probabilities per label (a fresh array), softmax over scores of features scaled by 1/sqrt(count). */
  predict(features: readonly string[]): Float64Array {
    const L = this.labels.length;
    const s = this.scores;
    s.set(this.bias);
    const norm = features.length > 0 ? this.scale / Math.sqrt(features.length) : 0;
    for (const f of features) {
      const row = this.index.get(f);
      if (row === undefined) continue;
      const base = row * L;
      for (let k = 0; k < L; k++) s[k]! += this.weights[base + k]! * norm;
    }
    return softmax(s);
  }
}

export function softmax(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of scores) if (v > max) max = v;
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) sum += out[k] = Math.exp(scores[k]! - max);
  for (let k = 0; k < out.length; k++) out[k]! /= sum;
  return out;
}
