// The entry of every worker thread (runtime/workers.ts): TypeScript loaded as the server loads it (tsx), then the
// worker's own module. A worker given a .ts file directly would not know the extension.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
