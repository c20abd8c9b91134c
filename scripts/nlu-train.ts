/**
 * `npm run nlu:train`: trains language/model.json from language/corpus/ (minus the held-out split, which only
 * nlu:eval reads). Deterministic: same corpus and seed, same bytes.
 *   --corpus <dir>   another corpus folder (same layout)
 *   --out <file>     another output file
 *   --all            train on every example, held-out split included (not for the committed model)
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseCorpus, splitCorpus, type Example } from '../language/train/corpus';
import { stableStringify, trainModel } from '../language/train/train';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_CORPUS = join(ROOT, 'language', 'corpus');
export const HELD_OUT_SHARE = 0.2;

/** Every *.txt under the corpus folder, as path (relative, forward slashes) and content. */
export function readCorpusDir(dir: string): Example[] {
  const files: { path: string; content: string }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.txt')) files.push({ path: relative(dir, full).split(sep).join('/'), content: readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return parseCorpus(files);
}

function main(): void {
  const { values } = parseArgs({ options: { corpus: { type: 'string' }, out: { type: 'string' }, all: { type: 'boolean', default: false } } });
  const corpus = values.corpus ?? DEFAULT_CORPUS;
  const out = values.out ?? join(ROOT, 'language', 'model.json');
  const examples = readCorpusDir(corpus);
  if (examples.length === 0) throw new Error(`no examples in ${corpus}`);
  const { train, test } = splitCorpus(examples, HELD_OUT_SHARE);
  const t0 = performance.now();
  const model = trainModel(values.all ? examples : train);
  const json = stableStringify(model);
  writeFileSync(out, json + '\n');
  const kb = (Buffer.byteLength(json) / 1024).toFixed(0);
  console.log(
    `trained on ${values.all ? examples.length : train.length} examples (${test.length} held out) in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${relative(process.cwd(), out)} (${kb} KB; features: intent ${model.heads.intent.vocab.length}, subject ${model.heads.subject.vocab.length}, category ${model.heads.category.vocab.length})`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
