/**
 * SQLite in WAL mode copies the log back into the database file (a checkpoint) every 1,000 pages by default, and
 * does it inside whichever COMMIT crosses that line: on the server's one connection, on the event loop, with an
 * fsync of the file. Measured under the benchmark's traffic, those commits held the loop for up to 43 ms (the mean
 * COMMIT 1.5 ms), long enough to delay every webhook acknowledgement waiting behind them.
 *
 * So the server's connection never checkpoints (wal_autocheckpoint = 0) and a thread of its own, with its own
 * connection, runs PASSIVE checkpoints a few times a second: they copy what they can without taking any lock a
 * writer needs, and the fsync happens on that thread. Durability is unchanged (the commit writes the log as
 * before). If the thread fails, the connection checkpoints for itself again, as SQLite does by default.
 */
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

const ENTRY = new URL('./sqlite-checkpoint-worker.mjs', import.meta.url);
/** SQLite's own default, restored when the thread is gone. */
const AUTOCHECKPOINT_PAGES = 1000;

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;
  private alive = true;
  /** Checkpoints that found frames to copy; for tests and diagnosis. */
  checkpoints = 0;

  private constructor(
    private readonly conn: BetterSqlite3.Database,
    file: string,
    intervalMs: number,
  ) {
    // execArgv empty: the thread runs plain JavaScript, without the process's TypeScript loader (a thread of its own).
    this.worker = new Worker(ENTRY, { workerData: { file, intervalMs }, execArgv: [] });
    this.worker.unref();
    this.worker.on('message', (m: { type: string }) => {
      if (m.type === 'checkpoint') this.checkpoints++;
    });
    this.worker.once('error', () => this.fallBack());
    this.worker.once('exit', () => this.fallBack());
  }

  /** Takes over the checkpoints of `conn`, a WAL-mode connection to `file`. */
  static start(conn: BetterSqlite3.Database, file: string, intervalMs = 200): SqliteCheckpointer {
    conn.pragma('wal_autocheckpoint = 0');
    return new SqliteCheckpointer(conn, file, intervalMs);
  }

  get running(): boolean {
    return this.alive;
  }

  /** Stops the thread and closes its connection (before the server's own connection closes, which checkpoints last). */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      if (!this.alive) return resolve();
      this.worker.once('exit', () => resolve());
      // Held until it has exited: a script whose last await is the database's close must not end on an empty loop.
      this.worker.ref();
      this.worker.postMessage('stop');
      // A thread that does not answer is ended: closing the database must not hang on it.
      setTimeout(() => void this.worker.terminate(), 2000).unref();
    });
    return this.stopped;
  }

  private fallBack(): void {
    if (!this.alive) return;
    this.alive = false;
    if (this.stopped) return;
    // Not stopped by us: the log must not grow without end, so the connection checkpoints for itself again.
    try {
      if (this.conn.open) this.conn.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    } catch {
      // The connection is closing: nothing left to protect.
    }
  }
}
