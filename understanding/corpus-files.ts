/**
 * The shipped corpus as files: every *.txt under language/corpus/ (the language layer parses text and reads no
 * files itself). Shared by nlu:train, nlu:eval, the benchmark and training from the console.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCorpus, type Example } from '../language/train/corpus';

export const DEFAULT_CORPUS = fileURLToPath(new URL('../language/corpus', import.meta.url));
/** The share of the corpus kept out of training to measure a model: the same split everywhere. */
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
