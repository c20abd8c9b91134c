import { DataSource, type EntityManager } from 'typeorm';
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Mutex } from './mutex';
import { toDialect, type Dialect } from './sql';
import { entitiesFor } from './entities';
import { migrations } from './migrations';
import { metrics, timer } from '../runtime/metrics';

export class DatabaseUrlError extends Error {
  constructor(url: string) {
    super(`DATABASE_URL is not understood: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
    this.name = 'DatabaseUrlError';
  }
}

/** One unit of work, inside a transaction. */
export interface Tx {
  readonly dialect: Dialect;
  readonly manager: EntityManager;
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface DatabaseOptions {
  /** PostgreSQL schema to use (tests give each test file its own); created when missing. */
  schema?: string;
  /** Log every SQL statement (debugging only). */
  logging?: boolean;
}

/** An arbitrary constant naming this application's migration lock among PostgreSQL advisory locks. */
const MIGRATION_LOCK = 49_011_567;

// bigint columns (ids, epoch milliseconds) come back from pg as strings; every value we store fits in a double.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * The storage handle every other part uses. SQLite (better-sqlite3, WAL) by default, PostgreSQL for a province or
 * the nation. Schema changes only by migrations, run at open.
 */
export class Database {
  private readonly sqliteLock = new Mutex();
  private group: SqliteGroupCommit | null = null;

  private constructor(
    readonly dataSource: DataSource,
    readonly dialect: Dialect,
  ) {}

  static async open(url: string, opts: DatabaseOptions = {}): Promise<Database> {
    const ds = new DataSource(dataSourceOptions(url, opts));
    if (opts.schema && ds.options.type === 'postgres') await ensureSchema(url, opts.schema);
    await ds.initialize();
    const db = new Database(ds, ds.options.type === 'postgres' ? 'postgres' : 'sqlite');
    if (db.dialect === 'sqlite') {
      // WAL lets readers run beside the writer; NORMAL sync is durable across a process crash (not a power cut
      // mid-checkpoint), the usual choice with WAL. busy_timeout covers a second process on the same file.
      await ds.query('PRAGMA journal_mode = WAL');
      await ds.query('PRAGMA synchronous = NORMAL');
      await ds.query('PRAGMA busy_timeout = 5000');
      await ds.query('PRAGMA foreign_keys = ON');
      // Erased means gone from the file too: SQLite zeroes what a write frees, instead of leaving it in free space.
      await ds.query('PRAGMA secure_delete = ON');
    }
    await db.migrate(url);
    if (db.dialect === 'sqlite') {
      const conn = (ds.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
      db.group = new SqliteGroupCommit(conn, ds.manager);
    }
    return db;
  }

  /**
   * Runs pending migrations. On PostgreSQL several server processes may start at once: a session advisory lock,
   * held on a connection of its own, lets one migrate while the others wait and then find nothing to do.
   */
  private async migrate(url: string): Promise<void> {
    if (this.dialect === 'sqlite') {
      await this.dataSource.runMigrations({ transaction: 'each' });
      return;
    }
    const lock = new pg.Client({ connectionString: url });
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await this.dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await lock.end();
    }
  }

  /** Runs fn in one transaction; all of it commits or none. Timed as the caller waits for it (metrics). */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const done = timer(metrics.databaseSeconds, { kind: 'transaction' });
    try {
      if (this.group) return await this.group.submit(fn, true);
      const work = () => this.dataSource.transaction((manager) => fn(this.wrap(manager)));
      return await (this.dialect === 'sqlite' ? this.sqliteLock.run(work) : work());
    } finally {
      done();
    }
  }

  /** A single statement outside an explicit transaction. */
  async query<T = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const done = timer(metrics.databaseSeconds, { kind: 'statement' });
    try {
      if (this.group) return await this.group.submit((tx) => tx.query<T>(text, params), false);
      const [q, p] = toDialect(this.dialect, text, params);
      const run = async () => rowsOf<T>(await this.dataSource.query(q, p));
      return await (this.dialect === 'sqlite' ? this.sqliteLock.run(run) : run());
    } finally {
      done();
    }
  }

  /**
   * After an erasure (a deletion request, the retention purge): on SQLite, the erased bytes must leave the file,
   * not only the rows. secure_delete (set at open) zeroes what each write frees in the pages it writes; this
   * checkpoint copies those pages over their old versions in the main file and truncates the write-ahead log,
   * whose older frames still hold what was erased. Run between group commits, never inside one. Best effort while
   * another process reads the file (the next checkpoint completes it). PostgreSQL keeps dead row versions until
   * (auto)vacuum reclaims them.
   */
  async flushErased(): Promise<void> {
    if (this.dialect !== 'sqlite') return;
    const conn = (this.dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
    await this.sqliteLock.run(async () => {
      if (this.group) await this.group.idle();
      // Synchronous from here: no group transaction can open before it returns.
      if (!conn.inTransaction) conn.pragma('wal_checkpoint(TRUNCATE)');
    });
  }

  async ping(): Promise<boolean> {
    try {
      await this.query('SELECT 1 AS ok');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    if (this.group) await this.group.idle();
    if (this.dialect === 'sqlite') await this.sqliteLock.run(() => this.dataSource.destroy());
    else await this.dataSource.destroy();
  }

  private wrap(manager: EntityManager): Tx {
    const dialect = this.dialect;
    return {
      dialect,
      manager,
      query: <T>(text: string, params: readonly unknown[] = []) => {
        const [q, p] = toDialect(dialect, text, params);
        return manager.query(q, p).then((r) => rowsOf<T>(r));
      },
    };
  }
}

/** TypeORM's PostgreSQL driver answers UPDATE and DELETE with [rows, affected]; callers always get the rows. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return Array.isArray(result) ? (result as T[]) : [];
}

function dataSourceOptions(url: string, opts: DatabaseOptions) {
  const common = { migrations, synchronize: false, logging: opts.logging ?? false } as const;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    return { ...common, entities: entitiesFor('sqlite'), type: 'better-sqlite3' as const, database: file, statementCacheSize: 200 };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    return {
      ...common,
      entities: entitiesFor('postgres'),
      type: 'postgres' as const,
      url,
      schema: opts.schema,
      // Raw SQL names tables unqualified: the schema goes first on the search path of every pooled connection.
      extra: { max: 10, ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}) },
    };
  }
  throw new DatabaseUrlError(url);
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`unsafe schema name: ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await client.end();
  }
}

/** Units per commit at most: bounds how long one flush holds the event loop. */
const MAX_GROUP_UNITS = 1000;

interface Unit {
  run: (tx: Tx) => Promise<unknown>;
  savepoint: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * SQLite group commit. Every unit of work (a transaction, or a single statement) is queued; the queue is run in
 * one SQLite transaction, each transaction unit inside its own savepoint (a unit that throws is rolled back alone
 * and only its caller sees the error), and every caller is answered after the one COMMIT. Under load one commit
 * carries many units; alone, a unit waits one setImmediate. Statements run on better-sqlite3 directly, prepared
 * once per SQL text (TypeORM's per-query and per-transaction machinery cost more than the statements themselves).
 * As with the mutex before, a unit must not await other I/O or call the Database again: the group waits for it.
 * tx.manager is the DataSource's manager on the same connection: raw queries only, never manager.transaction().
 */
class SqliteGroupCommit {
  private queue: Unit[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;
  private readonly stmts = new Map<string, BetterSqlite3.Statement>();
  private readonly tx: Tx;

  constructor(
    private readonly conn: BetterSqlite3.Database,
    manager: EntityManager,
  ) {
    this.tx = {
      dialect: 'sqlite',
      manager,
      query: <T>(text: string, params: readonly unknown[] = []) => {
        try {
          return Promise.resolve(this.exec(text, params) as T[]);
        } catch (err) {
          return Promise.reject(err);
        }
      },
    };
  }

  submit<T>(run: (tx: Tx) => Promise<T>, savepoint: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, savepoint, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  async idle(): Promise<void> {
    while (this.running || this.queue.length) await (this.running ?? new Promise((r) => setImmediate(r)));
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.flush().finally(() => {
        this.running = null;
        if (this.queue.length) this.schedule();
      });
    });
  }

  private exec(text: string, params: readonly unknown[]): unknown[] {
    const [q, p] = toDialect('sqlite', text, params);
    let stmt = this.stmts.get(q);
    if (!stmt) {
      stmt = this.conn.prepare(q);
      if (this.stmts.size >= 500) this.stmts.clear();
      this.stmts.set(q, stmt);
    }
    if (stmt.reader) return stmt.all(...p);
    stmt.run(...p);
    return [];
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_GROUP_UNITS);
    let done: Array<[Unit, unknown]> = [];
    const failDone = (err: unknown) => {
      for (const [u] of done) u.reject(err);
      done = [];
    };
    for (const u of batch) {
      try {
        if (!this.conn.inTransaction) this.conn.exec('BEGIN IMMEDIATE');
      } catch (err) {
        // SQLITE_BUSY past busy_timeout (another process holds the file), or worse: this unit fails, the next tries.
        u.reject(err);
        continue;
      }
      if (u.savepoint) this.conn.exec('SAVEPOINT unit');
      try {
        const value = await u.run(this.tx);
        if (u.savepoint) this.conn.exec('RELEASE unit');
        done.push([u, value]);
      } catch (err) {
        // An I/O error or a full disk makes SQLite roll the whole transaction back: nothing of the group is stored.
        if (!this.conn.inTransaction) failDone(err);
        else if (u.savepoint) this.conn.exec('ROLLBACK TO unit; RELEASE unit');
        u.reject(err);
      }
    }
    try {
      if (this.conn.inTransaction) this.conn.exec('COMMIT');
    } catch (err) {
      if (this.conn.inTransaction) this.conn.exec('ROLLBACK');
      failDone(err);
    }
    for (const [u, v] of done) u.resolve(v);
  }
}
