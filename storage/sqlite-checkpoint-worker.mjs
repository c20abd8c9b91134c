// The SQLite checkpointer's thread (storage/sqlite-checkpointer.ts): its own connection to the database file,
// copying the write-ahead log into the file every few hundred milliseconds. Plain JavaScript, started without the
// process's loader flags: it needs better-sqlite3 and nothing of the product.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, intervalMs } = workerData;
const db = new Database(file, { fileMustExist: true });
// PASSIVE never waits for a lock, so no busy handler is needed; a checkpoint that finds the log in use copies what
// it can and the next one continues.
db.pragma('busy_timeout = 0');

let timer = null;
const tick = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.log > 0) parentPort.postMessage({ type: 'checkpoint', log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
  timer = setTimeout(tick, intervalMs);
};
timer = setTimeout(tick, intervalMs);

parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort.postMessage({ type: 'stopped' });
  parentPort.close();
});
