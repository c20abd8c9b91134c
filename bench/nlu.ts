/**
 * `npm run bench:nlu`: how long the language layer takes to load language/model.json and to read one message
 * (mean, p50, p99, max), over the corpus and, when ../shared is there, the Traffy reports (long real stories).
 * Self-contained on purpose: the webhook bench's helpers are elsewhere and this must run alone.
 *   --limit <n>   messages per set (default 5000)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLanguageModel, type LanguageModel } from '../language/index';
import { parseCsvObjects } from '../language/train/csv';
import { DEFAULT_CORPUS, readCorpusDir, ROOT } from '../scripts/nlu-train';
import { SHARED_DATA } from '../scripts/nlu-eval';

const { values } = parseArgs({ options: { limit: { type: 'string', default: '5000' } } });
const limit = Number(values.limit);

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function measure(model: LanguageModel, texts: string[]) {
  for (const t of texts.slice(0, 200)) model.read(t); // warm the JIT first
  const times = new Float64Array(texts.length);
  texts.forEach((t, i) => {
    const t0 = performance.now();
    model.read(t);
    times[i] = performance.now() - t0;
  });
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  times.sort();
  return { n: texts.length, mean, p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1]! };
}

const modelPath = join(ROOT, 'language', 'model.json');
const bytes = readFileSync(modelPath).length;
const t0 = performance.now();
const model = loadLanguageModel(JSON.parse(readFileSync(modelPath, 'utf8')));
const loadMs = performance.now() - t0;

const sets: [string, string[]][] = [];
const corpus = readCorpusDir(DEFAULT_CORPUS).map((e) => e.text);
// Repeat the corpus when it is small, so the set has a few thousand reads like the others.
const corpusSet = Array.from({ length: Math.min(limit, Math.max(corpus.length, 3000)) }, (_, i) => corpus[i % corpus.length]!);
if (corpus.length > 0) sets.push([`corpus (${corpus.length} distinct)`, corpusSet]);
const traffy = join(SHARED_DATA, 'traffy-sample.csv');
if (existsSync(traffy)) sets.push(['traffy reports', parseCsvObjects(readFileSync(traffy, 'utf8')).slice(0, limit).map((r) => r.text!)]);
const small = join(SHARED_DATA, 'smalltalk-sample.csv');
if (existsSync(small)) sets.push(['wisesight messages', parseCsvObjects(readFileSync(small, 'utf8')).slice(0, limit).map((r) => r.text!)]);

const fmt = (ms: number) => ms.toFixed(3);
console.log(`model: ${(bytes / 1024).toFixed(0)} KB, load ${loadMs.toFixed(0)} ms (target < 1000 ms)\n`);
console.log('| set | messages | mean ms | p50 ms | p99 ms | max ms |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, texts] of sets) {
  const r = measure(model, texts);
  console.log(`| ${name} | ${r.n} | ${fmt(r.mean)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} |`);
}
console.log('\ntarget: mean < 2 ms per message');
