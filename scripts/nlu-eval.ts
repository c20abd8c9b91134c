/**
 * `npm run nlu:eval`: how well language/model.json reads messages it never trained on.
 *   1. the held-out split of language/corpus/ (by hash of the text; nlu:train never sees it): accuracy,
 *      per-intent precision and recall, confusion matrix;
 *   2. real texts in ../shared/data/thai-complaints/ when that folder exists (evaluation only, never training):
 *      the share of Traffy complaint reports read as `complaint`, and the intents Wisesight messages get.
 *   --retrain        train on the corpus's training split in memory instead of loading model.json
 *   --nlpjs          also train and measure NLP.js (@nlpjs/nlp + @nlpjs/lang-th) on the same split
 *   --misreads <n>   print n misread examples per set (to the terminal only: they are real people's words)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { INTENTS, loadLanguageModel, type LanguageModel } from '../language/index';
import { parseCsvObjects } from '../language/train/csv';
import { splitCorpus, type Example } from '../language/train/corpus';
import { distribution, evaluate, formatReport } from '../language/train/metrics';
import { trainModel } from '../language/train/train';
import { DEFAULT_CORPUS, HELD_OUT_SHARE, readCorpusDir, ROOT } from './nlu-train';

export const SHARED_DATA = join(ROOT, '..', 'shared', 'data', 'thai-complaints');

type Classify = (text: string) => string;

function heldOut(name: string, classify: Classify, test: Example[], misreads: number): number {
  const results = test.map((e) => ({ expected: e.intent, actual: classify(e.text), text: e.text, source: e.source }));
  const report = evaluate(results, INTENTS);
  console.log(`\n## ${name}: held-out split (${test.length} examples)\n`);
  console.log(formatReport(report, INTENTS));
  const wrong = results.filter((r) => r.expected !== r.actual).slice(0, misreads);
  for (const w of wrong) console.log(`  ${w.source}  ${w.expected} → ${w.actual}: ${w.text}`);
  return report.accuracy;
}

function realTexts(name: string, classify: Classify, misreads: number): number | undefined {
  const traffyFile = join(SHARED_DATA, 'traffy-sample.csv');
  if (!existsSync(traffyFile)) {
    console.log(`\n(${SHARED_DATA} not found: real-text evaluation skipped)`);
    return undefined;
  }
  const traffy = parseCsvObjects(readFileSync(traffyFile, 'utf8'));
  const t0 = performance.now();
  const read = traffy.map((r) => ({ text: r.text!, intent: classify(r.text!) }));
  const ms = performance.now() - t0;
  const share = read.filter((r) => r.intent === 'complaint').length / read.length;
  console.log(`\n## ${name}: Traffy Fondue reports (${read.length}, ${(ms / read.length).toFixed(3)} ms each)\n`);
  console.log(`read as complaint: ${(100 * share).toFixed(2)} %  (target ≥ 95 %)`);
  console.log(`all readings: ${distribution(read.map((r) => r.intent)).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  for (const r of read.filter((x) => x.intent !== 'complaint').slice(0, misreads)) console.log(`  → ${r.intent}: ${r.text}`);

  const smallFile = join(SHARED_DATA, 'smalltalk-sample.csv');
  if (existsSync(smallFile)) {
    const small = parseCsvObjects(readFileSync(smallFile, 'utf8'));
    console.log(`\n## ${name}: Wisesight social-media messages (${small.length}; informative: no intent labels)\n`);
    const byLabel = new Map<string, string[]>();
    for (const r of small) byLabel.set(r.label!, [...(byLabel.get(r.label!) ?? []), classify(r.text!)]);
    const all = [...byLabel.values()].flat();
    const line = (xs: string[]) => distribution(xs).map(([k, n]) => `${k} ${((100 * n) / xs.length).toFixed(1)}%`).join(', ');
    console.log(`all (${all.length}): ${line(all)}`);
    for (const [label, xs] of [...byLabel.entries()].sort()) console.log(`${label} (${xs.length}): ${line(xs)}`);
  }
  return share;
}

async function nlpjs(train: Example[]): Promise<Classify> {
  // Dev-only comparison: imported on demand so the shipped layer never depends on it.
  // The packages ship no types; a variable specifier keeps tsc from demanding them.
  interface NlpJs {
    settings: Record<string, unknown>;
    addLanguage(l: string): void;
    addDocument(l: string, text: string, intent: string): void;
    train(): Promise<void>;
    process(l: string, text: string): Promise<{ intent: string }>;
  }
  const load = (name: string) => import(name) as Promise<Record<string, unknown>>;
  const core = (await load('@nlpjs/core')) as { containerBootstrap: () => Promise<{ use(x: unknown): void; get(n: string): NlpJs }> };
  const { Nlp } = await load('@nlpjs/nlp');
  const { LangTh } = await load('@nlpjs/lang-th');
  const container = await core.containerBootstrap();
  container.use(Nlp);
  container.use(LangTh);
  const nlp = container.get('nlp');
  nlp.settings.autoSave = false;
  nlp.settings.log = false;
  nlp.addLanguage('th');
  for (const e of train) nlp.addDocument('th', e.text, e.intent);
  const t0 = performance.now();
  const log = console.log;
  console.log = () => {}; // NLP.js prints a line per epoch
  try {
    await nlp.train();
  } finally {
    console.log = log;
  }
  console.log(`NLP.js trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // NLP.js's process() is async; to measure it with the same code we precompute in bulk below.
  const cache = new Map<string, string>();
  const classify: Classify = (text) => cache.get(text) ?? 'None';
  (classify as Classify & { prepare?: (texts: string[]) => Promise<void> }).prepare = async (texts) => {
    for (const t of texts) {
      if (cache.has(t)) continue;
      const r = await nlp.process('th', t);
      cache.set(t, r.intent === 'None' ? 'complaint' : r.intent);
    }
  };
  return classify;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { retrain: { type: 'boolean', default: false }, nlpjs: { type: 'boolean', default: false }, misreads: { type: 'string', default: '0' }, corpus: { type: 'string' } },
  });
  const misreads = Number(values.misreads);
  const examples = readCorpusDir(values.corpus ?? DEFAULT_CORPUS);
  const { train, test } = splitCorpus(examples, HELD_OUT_SHARE);
  let model: LanguageModel;
  if (values.retrain || values.corpus) model = loadLanguageModel(JSON.parse(JSON.stringify(trainModel(train))));
  else model = loadLanguageModel(JSON.parse(readFileSync(join(ROOT, 'language', 'model.json'), 'utf8')));
  const linear: Classify = (t) => model.read(t).intent;
  const acc = heldOut('linear model', linear, test, misreads);
  const share = realTexts('linear model', linear, misreads);

  if (values.nlpjs) {
    const classify = await nlpjs(train);
    const prepare = (classify as Classify & { prepare: (t: string[]) => Promise<void> }).prepare;
    await prepare(test.map((e) => e.text));
    const nAcc = heldOut('NLP.js', classify, test, 0);
    const traffyFile = join(SHARED_DATA, 'traffy-sample.csv');
    let nShare: number | undefined;
    if (existsSync(traffyFile)) {
      // NLP.js needs ~ms per message: 3,000 rows keep this under a minute and the share within ±1 point.
      const rows = parseCsvObjects(readFileSync(traffyFile, 'utf8')).slice(0, 3000).map((r) => r.text!);
      const t0 = performance.now();
      await prepare(rows);
      const ms = (performance.now() - t0) / rows.length;
      nShare = rows.filter((t) => classify(t) === 'complaint').length / rows.length;
      console.log(`NLP.js Traffy (first ${rows.length}): complaint ${(100 * nShare).toFixed(2)} %, ${ms.toFixed(3)} ms each`);
    }
    console.log(`\n## comparison\nlinear: held-out ${(100 * acc).toFixed(1)} %, traffy ${share === undefined ? '-' : (100 * share).toFixed(1) + ' %'}`);
    console.log(`NLP.js: held-out ${(100 * nAcc).toFixed(1)} %, traffy ${nShare === undefined ? '-' : (100 * nShare).toFixed(1) + ' %'}`);
  }
}

// Only when run as a script: bench/nlu.ts imports SHARED_DATA from here.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
