/**
 * The worker thread's side of training from the console (understanding/background-training.ts): reads the shipped
 * corpus, trains with the field's examples it was handed, and posts the model back. Seconds of CPU, off the
 * server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_CORPUS, HELD_OUT_SHARE, readCorpusDir } from './corpus-files';
import { trainWithExamples } from './training';
import type { StoredExample } from './examples';

export interface TrainInput {
  field: StoredExample[];
  corpusDir?: string;
}

const input = (workerData as { input: TrainInput }).input;
const started = performance.now();
const trained = trainWithExamples(readCorpusDir(input.corpusDir ?? DEFAULT_CORPUS), input.field, { heldOutShare: HELD_OUT_SHARE });
parentPort!.postMessage({ ...trained, seconds: (performance.now() - started) / 1000 });
