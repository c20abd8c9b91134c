/**
 * The language layer's one interface: `read(text)` gives the intent of a free-text message with a confidence, and
 * the facts it carries. Pure: the model is loaded once (the only file read, in defaultLanguageModel) and reading
 * does no I/O. The engine decides what to do with a reading; nothing here knows about flows or cases.
 */
import { readFileSync } from 'node:fs';
import { INTENTS, SUBJECTS, type Intent, type Subject } from './intents';
import { CATEGORIES, type Category } from './categories';
import { extractFeatures } from './features';
import { LinearHead } from './linear';
import { LanguageModelError, validateModelFile, type ModelFile } from './model-file';
import { cleanChars } from './normalize';
import { gibberishShape, hasSubstance, isSmalltalkShape } from './rules';
import { findTrackingNumbers } from './facts/tracking';
import { findWhen, type When } from './facts/when';
import { findAbout } from './facts/about';
import { findPlace } from './facts/place';
import { asksAnonymity } from './facts/anonymous';

export { INTENTS, SUBJECTS, CATEGORIES, LanguageModelError };
export type { Intent, Subject, Category, When };

export interface Facts {
  trackingNumber?: string; // PFX-YYYY-NNNNNN-C, shape only: the engine verifies the check digit
  category?: Category;
  subject?: Subject;
  when?: When;
  about?: string;
  anonymous?: boolean;
  placeText?: string;
}

export interface Reading {
  intent: Intent;
  confidence: number;
  alternatives: { intent: Intent; confidence: number }[];
  facts: Facts;
}

export interface ReadOptions {
  now?: number; // epoch ms; "เมื่อวาน" is computed from it
  locale?: 'th' | 'en';
}

export interface LanguageModel {
  read(text: string, options?: ReadOptions): Reading;
}

// With a tracking number, these still win when the model is fairly sure ("ถอนเรื่อง MDH-..."): the number only
// says which case, the words say what to do with it.
const BEATS_TRACKING: ReadonlySet<Intent> = new Set(['add_info', 'withdraw', 'officer', 'my_data', 'royal', 'insult']);
const EMOJI_MEANS: ReadonlySet<Intent> = new Set(['thanks', 'greeting', 'insult']);
// Withdrawing and adding information name the case by its number, so a weaker vote for them is enough.
const ACTS_ON_A_CASE: ReadonlySet<Intent> = new Set(['add_info', 'withdraw']);
// Thanks can run long ("ขอบคุณครับ ซ่อมเสร็จแล้ว"); only a greeting is a mere opener before a story.
const OPENERS: ReadonlySet<Intent> = new Set(['greeting']);
const WEAK = 0.5; // below this, a long story is a complaint: the default for anything with substance
const SURE_SUBJECT = 0.4;
const RULE_CONFIDENCE = 0.9;

class LinearLanguageModel implements LanguageModel {
  private readonly intent: LinearHead;
  private readonly subject: LinearHead;
  private readonly category: LinearHead;
  private readonly lexicon: ReadonlySet<string>;

  constructor(private readonly file: ModelFile) {
    this.intent = new LinearHead(file.heads.intent);
    this.subject = new LinearHead(file.heads.subject);
    this.category = new LinearHead(file.heads.category);
    this.lexicon = new Set(file.lexicon);
  }

  read(text: string, options: ReadOptions = {}): Reading {
    const features = extractFeatures(text, this.file.features);
    const probs = this.intent.predict(features);
    const ranked = INTENTS.map((intent, k) => ({ intent, confidence: probs[k]! })).sort((a, b) => b.confidence - a.confidence);
    const cleaned = cleanChars(text);
    const trackingNumber = findTrackingNumbers(cleaned)[0]?.canonical;

    let chosen = ranked[0]!;
    const pick = (intent: Intent, floor = RULE_CONFIDENCE) => {
      const p = probs[INTENTS.indexOf(intent)]!;
      chosen = { intent, confidence: Math.max(p, floor) };
    };
    const shape = gibberishShape(cleaned, this.lexicon);
    if (cleaned.trim() === '') pick('gibberish', 1);
    else if (isSmalltalkShape(cleaned)) {
      // Emoji alone are small talk, unless the model reads them as thanks (🙏), a greeting (👋) or abuse (🖕).
      if (!(EMOJI_MEANS.has(chosen.intent) && chosen.confidence >= 0.5)) pick('smalltalk');
    } else if (trackingNumber !== undefined) {
      // The number pulls the model toward track; a clear second voice for what to do with it still wins.
      const doing = ranked.find((r) => BEATS_TRACKING.has(r.intent));
      if (doing && doing.confidence >= (ACTS_ON_A_CASE.has(doing.intent) ? 0.2 : 0.5)) pick(doing.intent, 0);
      else pick('track');
    } else if (shape === 'sure' || (shape === 'maybe' && (chosen.intent === 'complaint' || chosen.confidence < WEAK))) {
      pick('gibberish');
    } else if (hasSubstance(cleaned, this.lexicon)) {
      // "สวัสดีครับ อยากปรึกษาเรื่อง..." opens politely and then tells a story: the story is the message.
      if (OPENERS.has(chosen.intent)) chosen = ranked.find((r) => !OPENERS.has(r.intent))!;
      if (chosen.intent === 'gibberish' || chosen.confidence < WEAK) pick('complaint', 0);
    }

    const facts: Facts = {};
    if (trackingNumber !== undefined) facts.trackingNumber = trackingNumber;
    if (chosen.intent === 'complaint') {
      const c = this.category.predict(features);
      facts.category = CATEGORIES[argmax(c)]!;
      const s = this.subject.predict(features);
      const best = argmax(s);
      if (s[best]! >= SURE_SUBJECT) facts.subject = SUBJECTS[best]!;
    }
    const when = findWhen(cleaned, options.now ?? Date.now());
    if (when) facts.when = when;
    const about = findAbout(cleaned);
    if (about) facts.about = about;
    if (asksAnonymity(cleaned)) facts.anonymous = true;
    const place = findPlace(cleaned);
    if (place) facts.placeText = place;

    return {
      intent: chosen.intent,
      confidence: round(chosen.confidence),
      alternatives: ranked.filter((r) => r.intent !== chosen.intent).slice(0, 3).map((r) => ({ intent: r.intent, confidence: round(r.confidence) })),
      facts,
    };
  }
}

function argmax(p: Float64Array): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
  return best;
}

const round = (p: number) => Math.round(p * 1e4) / 1e4;

/** A model from parsed model.json; throws LanguageModelError when the file is not one this code can read. */
export function loadLanguageModel(json: unknown): LanguageModel {
  return new LinearLanguageModel(validateModelFile(json));
}

let cached: LanguageModel | undefined;

/** language/model.json, read and validated once per process. */
export function defaultLanguageModel(): LanguageModel {
  if (!cached) {
    const url = new URL('./model.json', import.meta.url);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(url, 'utf8'));
    } catch (error) {
      throw new LanguageModelError(`cannot read ${url.pathname} (${(error as Error).message}); run npm run nlu:train`, '');
    }
    cached = loadLanguageModel(json);
  }
  return cached;
}
