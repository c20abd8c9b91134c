/**
 * Training a new model version from the console: the corpus plus every example admins added, in a worker thread
 * (runtime/workers.ts) so the bot keeps answering, stored as the next version, not live, for an admin to publish.
 * One training at a time in a process: a second asks while the first runs and is told so.
 */
import type { Database } from '../storage/database';
import { runInWorker } from '../runtime/workers';
import { allExamples } from './examples';
import { storeModel } from './models';
import type { TrainedWithExamples } from './training';
import type { TrainInput } from './train-worker';

export class TrainingBusyError extends Error {
  constructor() {
    super('a model is being trained already');
    this.name = 'TrainingBusyError';
  }
}

export interface TrainedVersion {
  version: number;
  accuracy: number | null;
  trainedOn: number;
  fieldExamples: number;
  seconds: number;
}

let running = false;

export async function trainNewVersion(db: Database, by: string, now: () => number = Date.now): Promise<TrainedVersion> {
  if (running) throw new TrainingBusyError();
  running = true;
  try {
    const field = await allExamples(db);
    const trained = await runInWorker<TrainInput, TrainedWithExamples & { seconds: number }>(new URL('./train-worker.ts', import.meta.url), { field });
    const version = await storeModel(db, { model: trained.model, examples: trained.trainedOn, accuracy: trained.accuracy, by, at: now() });
    return { version, accuracy: trained.accuracy, trainedOn: trained.trainedOn, fieldExamples: trained.fieldExamples, seconds: trained.seconds };
  } finally {
    running = false;
  }
}
