/**
 * A FIFO async mutex. better-sqlite3 gives TypeORM one connection and one query runner, so two transactions
 * started from different async tasks would interleave on it; every SQLite unit of work takes this lock first.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
