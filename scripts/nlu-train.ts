/**
 * `npm run nlu:train`: trains language/model.json from language/corpus/ (minus the held-out split, which only
 * nlu:eval reads). Deterministic: same corpus and seed, same bytes.
 *   --corpus <dir>   another corpus folder (same layout)
 *   --out <file>     another output file
 *   --all            train on every example, held-out split included (not for the committed model)
 *
 * With the field's examples (the ones admins added in the console):
 *   --with-examples      trains on the corpus's training split plus every stored example, measures the model on
 *                        the held-out split and stores it as a new version in the database, not live: publish it
 *                        with `npm run nlu:publish -- <version>`. language/model.json is left as it is.
 *   --database <url>     the database (else DATABASE_URL, as the server reads it, from the environment or .env)
 *   --by <name>          who trained it, as the console shows it (else cli:<the system user>)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { splitCorpus } from '../language/train/corpus';
import { stableStringify, trainModel } from '../language/train/train';
import { loadSettings } from '../config/settings';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export { DEFAULT_CORPUS, HELD_OUT_SHARE, readCorpusDir } from '../understanding/corpus-files';
import { DEFAULT_CORPUS, HELD_OUT_SHARE, readCorpusDir } from '../understanding/corpus-files';

const redact = (url: string) => url.replace(/\/\/[^@]*@/, '//***@');

/** The server's database: --database, else DATABASE_URL from the environment or .env, checked as the server checks it. */
export function databaseUrlOf(given: string | undefined): string {
  if (given) return given;
  if (!process.env.DATABASE_URL && existsSync('.env')) process.loadEnvFile?.('.env');
  return loadSettings().databaseUrl;
}

/** --with-examples: the corpus plus the stored examples, stored as a new version (not live). */
async function trainWithFieldExamples(corpusDir: string, databaseUrl: string, by: string): Promise<void> {
  // Loaded here only: nlu:eval and bench:nlu import this file and need no database.
  const { Database } = await import('../storage/database');
  const { allExamples } = await import('../understanding/examples');
  const { storeModel } = await import('../understanding/models');
  const { trainWithExamples } = await import('../understanding/training');
  const corpus = readCorpusDir(corpusDir);
  const db = await Database.open(databaseUrl);
  try {
    const field = await allExamples(db);
    const t0 = performance.now();
    const trained = trainWithExamples(corpus, field, { heldOutShare: HELD_OUT_SHARE });
    const version = await storeModel(db, { model: trained.model, examples: trained.trainedOn, accuracy: trained.accuracy, by, at: Date.now() });
    const accuracy = trained.accuracy === null ? 'not measured (no held-out examples)' : `${(100 * trained.accuracy).toFixed(1)} % of ${trained.heldOut} held out`;
    console.log(
      `trained on ${trained.trainedOn} examples (${trained.fieldExamples} from the field) in ${((performance.now() - t0) / 1000).toFixed(1)} s; accuracy ${accuracy}`,
    );
    console.log(`stored as version ${version} in ${redact(databaseUrl)} (not live): npm run nlu:publish -- ${version}`);
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      out: { type: 'string' },
      all: { type: 'boolean', default: false },
      'with-examples': { type: 'boolean', default: false },
      database: { type: 'string' },
      by: { type: 'string' },
    },
  });
  const corpus = values.corpus ?? DEFAULT_CORPUS;
  if (values['with-examples']) {
    if (values.out || values.all) throw new Error('--with-examples stores the model in the database: --out and --all do not apply');
    return trainWithFieldExamples(corpus, databaseUrlOf(values.database), values.by ?? `cli:${userInfo().username}`);
  }
  if (values.database || values.by) throw new Error('--database and --by go with --with-examples');
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
