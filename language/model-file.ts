/**
 * The shape of language/model.json and its validation. A bad file fails at load with where it is wrong, never
 * later as a misread message.
 */
import { INTENTS, SUBJECTS } from './intents';
import { CATEGORIES } from './categories';
import type { FeatureConfig } from './features';
import type { LinearHeadFile } from './linear';

export const MODEL_FORMAT = 'damrongdhama-language-model';
export const MODEL_VERSION = 1;

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  seed: number;
  examples: number;
  features: FeatureConfig;
  heads: { intent: LinearHeadFile; subject: LinearHeadFile; category: LinearHeadFile };
  lexicon: string[];
}

/** The model file is not one this code can read; `path` says where (e.g. "heads.intent.weights"). */
export class LanguageModelError extends Error {
  override name = 'LanguageModelError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`language model${path ? ` at ${path}` : ''}: ${message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function validateHead(v: unknown, path: string, expected: readonly string[]): LinearHeadFile {
  if (!isObject(v)) throw new LanguageModelError('missing head', path);
  const { labels, vocab, bias, scale, weights } = v;
  if (!isStringArray(labels) || labels.join() !== expected.join()) {
    throw new LanguageModelError(`labels must be exactly [${expected.join(', ')}]; retrain with npm run nlu:train`, `${path}.labels`);
  }
  if (!isStringArray(vocab)) throw new LanguageModelError('vocab must be an array of strings', `${path}.vocab`);
  if (!Array.isArray(bias) || bias.length !== labels.length || !bias.every((b) => Number.isFinite(b))) {
    throw new LanguageModelError(`bias must be ${labels.length} finite numbers`, `${path}.bias`);
  }
  if (typeof scale !== 'number' || !(scale > 0)) throw new LanguageModelError('scale must be a positive number', `${path}.scale`);
  if (typeof weights !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(weights)) throw new LanguageModelError('weights must be base64', `${path}.weights`);
  const bytes = Buffer.byteLength(weights, 'base64');
  if (bytes !== vocab.length * labels.length) {
    throw new LanguageModelError(`weights hold ${bytes} bytes, expected vocab × labels = ${vocab.length * labels.length}`, `${path}.weights`);
  }
  return { labels, vocab, bias: bias as number[], scale, weights };
}

export function validateModelFile(json: unknown): ModelFile {
  if (!isObject(json)) throw new LanguageModelError('not a JSON object', '');
  if (json.format !== MODEL_FORMAT) throw new LanguageModelError(`format must be "${MODEL_FORMAT}"`, 'format');
  if (json.version !== MODEL_VERSION) {
    throw new LanguageModelError(`version ${String(json.version)} is not ${MODEL_VERSION}; retrain with npm run nlu:train`, 'version');
  }
  const f = json.features;
  if (!isObject(f) || !Array.isArray(f.charNgrams) || !f.charNgrams.every((n) => Number.isInteger(n) && n > 0) || typeof f.wordBigrams !== 'boolean') {
    throw new LanguageModelError('features must be { charNgrams: number[], wordBigrams: boolean }', 'features');
  }
  if (!isObject(json.heads)) throw new LanguageModelError('missing heads', 'heads');
  if (!isStringArray(json.lexicon)) throw new LanguageModelError('lexicon must be an array of strings', 'lexicon');
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    seed: typeof json.seed === 'number' ? json.seed : 0,
    examples: typeof json.examples === 'number' ? json.examples : 0,
    features: { charNgrams: f.charNgrams as number[], wordBigrams: f.wordBigrams },
    heads: {
      intent: validateHead(json.heads.intent, 'heads.intent', INTENTS),
      subject: validateHead(json.heads.subject, 'heads.subject', SUBJECTS),
      category: validateHead(json.heads.category, 'heads.category', CATEGORIES),
    },
    lexicon: json.lexicon,
  };
}
