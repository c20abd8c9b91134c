/**
 * CPU work that would hold the event loop for seconds (training a language model) runs in a worker thread: the
 * webhook is acknowledged and conversations answered meanwhile. One call, one thread, one answer: the worker
 * module reads `workerData.input` and posts one message back (or throws, and the promise rejects with its error).
 */
import { Worker } from 'node:worker_threads';

export class WorkerFailedError extends Error {
  constructor(entry: string, cause: unknown) {
    super(`worker ${entry} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'WorkerFailedError';
  }
}

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

export function runInWorker<I, O>(entry: URL, input: I): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    const worker = new Worker(BOOT, { workerData: { entry: entry.href, input } });
    let settled = false;
    worker.once('message', (m: O) => {
      settled = true;
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(new WorkerFailedError(entry.pathname, err));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new WorkerFailedError(entry.pathname, `exited with code ${code} without an answer`));
    });
  });
}
