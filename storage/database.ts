import { DataSource, type EntityManager } from 'typeorm';
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Mutex } from './mutex';
import { toDialect, type Dialect } from './sql';
import { entitiesFor } from './entities';
import { migrations } from './migrations';
import { metrics, timer, watchDatabaseWaiting } from '../runtime/metrics';
import { SqliteCheckpointer } from './sqlite-checkpointer';

export class DatabaseUrlError extends Error {
  constructor(url: string) {
    super(`DATABASE_URL is not understood: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
    this.name = 'DatabaseUrlError';
  }
}

/** One unit of work, inside a transaction. */
export interface Tx {
  readonly dialect: Dialect;
  /**
   * The DataSource's manager, for its `connection` (which database this is) only: statements go through `query`.
   * On either engine it is not bound to the transaction's connection; never call manager.query or .transaction().
   */
  readonly manager: EntityManager;
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * What storing a webhook's events needs: statements in one transaction, nothing else (no entity manager). See
 * Database.intake.
 */
export type IntakeTx = Pick<Tx, 'dialect' | 'query'>;

export interface DatabaseOptions {
  /** PostgreSQL schema to use (tests give each test file its own); created when missing. */
  schema?: string;
  /** Log every SQL statement (debugging only). */
  logging?: boolean;
  /** PostgreSQL: connections for the work (DATABASE_POOL_SIZE); WORK_CONNECTIONS when not given. */
  poolSize?: number;
  /** SQLite: the page cache in MB (SQLITE_CACHE_MB); SQLITE_CACHE_MB here when not given. */
  sqliteCacheMb?: number;
}

/** An arbitrary constant naming this application's migration lock among PostgreSQL advisory locks. */
const MIGRATION_LOCK = 49_011_567;

/**
 * PostgreSQL connections of a server process: for the conversations' work (transactions and statements), and kept
 * for intake alone, so that a pool busy with conversations never holds up a webhook. Each statement waits for a turn
 * of the event loop, which under load takes milliseconds, so a transaction holds its connection for many of them:
 * with two intake connections (an intake was then four round trips) a busy server acknowledged no more than about
 * 350 webhooks a second, and ten for the work answered about as many. The work's pool is a setting
 * (DATABASE_POOL_SIZE, 24 by default: two processes then hold 60 of PostgreSQL's 100); this is for a caller that gives none.
 */
const WORK_CONNECTIONS = 16;
const INTAKE_CONNECTIONS = 6;
/**
 * SQLite's page cache, in MB, when the caller gives none (SQLITE_CACHE_MB). SQLite's own default, 2 MB, holds little
 * more than the indexes of the inbox once it has grown; misses then go to the file through system calls, inside the
 * commit.
 */
const SQLITE_CACHE_MB = 32;

// bigint columns (ids, epoch milliseconds) come back from pg as strings; every value we store fits in a double.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * The storage handle every other part uses. SQLite (better-sqlite3, WAL) by default, PostgreSQL for a province or
 * the nation. Schema changes only by migrations, run at open.
 */
export class Database {
  private readonly sqliteLock = new Mutex();
  private group: SqliteGroupCommit | null = null;
  private checkpointer: SqliteCheckpointer | null = null;
  /**
   * PostgreSQL: transactions and statements run on node-postgres directly, not through TypeORM (as SQLite's run on
   * better-sqlite3 directly): its per-query and per-transaction machinery cost more CPU than the round trips, on
   * the loop that also answers webhooks. TypeORM's own pool serves the migrations at open.
   */
  private pools: { work: pg.Pool; intake: pg.Pool } | null = null;
  private readonly unwatch: Array<() => void> = [];

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
      await ds.query(`PRAGMA cache_size = -${(opts.sqliteCacheMb ?? SQLITE_CACHE_MB) * 1024}`);
    }
    await db.migrate(url);
    if (db.dialect === 'sqlite') {
      const conn = (ds.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
      const group = (db.group = new SqliteGroupCommit(conn, ds.manager));
      db.unwatch.push(watchDatabaseWaiting('intake', () => group.waitingIn('intake')), watchDatabaseWaiting('work', () => group.waitingIn('work')));
      const file = url.slice('sqlite:'.length);
      if (file !== ':memory:' && String(conn.pragma('journal_mode', { simple: true })) === 'wal') db.checkpointer = SqliteCheckpointer.start(conn, file);
    } else {
      const pool = (max: number) => {
        const p = new pg.Pool({ connectionString: url, max, ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}) });
        // An idle connection dropped by the server (a restart, a timeout) is replaced at its next use.
        p.on('error', () => undefined);
        return p;
      };
      db.pools = { work: pool(opts.poolSize ?? WORK_CONNECTIONS), intake: pool(INTAKE_CONNECTIONS) };
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
      if (this.pools) return await this.pgTransaction(this.pools.work, fn);
      const work = () => this.dataSource.transaction((manager) => fn(this.wrap(manager)));
      return await (this.dialect === 'sqlite' ? this.sqliteLock.run(work) : work());
    } finally {
      done();
    }
  }

  /**
   * Stores what a webhook brought, in one transaction that never waits behind the conversations' work: LINE waits
   * for the answer, and redelivers what it thinks was not received. On SQLite the unit goes first in the next group
   * commit, ahead of every worker's unit; on PostgreSQL it runs on connections of its own (INTAKE_CONNECTIONS), so a
   * pool busy with conversations never holds it up. Keep it small: a few statements.
   */
  async intake<T>(fn: (tx: IntakeTx) => Promise<T>): Promise<T> {
    const done = timer(metrics.databaseSeconds, { kind: 'intake' });
    try {
      if (this.group) return await this.group.submit(fn, true, 'intake');
      if (this.pools) return await this.pgTransaction(this.pools.intake, fn);
      return await this.transaction(fn);
    } finally {
      done();
    }
  }

  /** One statement on the intake path, its own transaction: on PostgreSQL one round trip (see intake). */
  async intakeQuery<T = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    if (!this.pools) return this.intake((tx) => tx.query<T>(text, params));
    const done = timer(metrics.databaseSeconds, { kind: 'intake' });
    try {
      return (await this.pools.intake.query(prepared(text, params))).rows as T[];
    } finally {
      done();
    }
  }

  /** One transaction on a connection of `pool`: BEGIN, fn, COMMIT; ROLLBACK when fn throws. */
  private async pgTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const value = await fn({
        dialect: 'postgres',
        manager: this.dataSource.manager,
        query: async <R>(text: string, params: readonly unknown[] = []) => (await client.query(prepared(text, params))).rows as R[],
      });
      await client.query('COMMIT');
      return value;
    } catch (err) {
      // A connection that cannot even roll back is dropped, not handed to the next caller mid-transaction.
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** A single statement outside an explicit transaction. */
  async query<T = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const done = timer(metrics.databaseSeconds, { kind: 'statement' });
    try {
      if (this.group) return await this.group.submit((tx) => tx.query<T>(text, params), false);
      if (this.pools) return (await this.pools.work.query(prepared(text, params))).rows as T[];
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
    for (const unwatch of this.unwatch.splice(0)) unwatch();
    if (this.group) await this.group.idle();
    // The checkpointer's connection first: the last connection to close copies the log into the file.
    await this.checkpointer?.stop();
    await Promise.all([this.pools?.work.end(), this.pools?.intake.end()]).catch(() => undefined);
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

/** Texts seen, and the names of those prepared (at most MAX_PREPARED). */
const seen = new Map<string, number>();
const names = new Map<string, string>();
const MAX_PREPARED = 400;
const PREPARE_AFTER = 3;
/**
 * Planned afresh every time: the queues' claims (NOT EXISTS, SKIP LOCKED: which rows are heads of their chat, and
 * how many are open, changes by the second), joins, groupings, unions (reports, lists). The rest are lookups and
 * writes by key, whose plan never changes.
 */
const COMPLEX = /\bNOT\s+EXISTS\b|\bSKIP\s+LOCKED\b|\bJOIN\b|\bGROUP\s+BY\b|\bUNION\b|\bORDER\s+BY\b/i;

/**
 * A PostgreSQL statement, named once its text has come back a few times: PostgreSQL then parses and plans it once
 * per connection instead of at every execution, which was most of its CPU per event on the benchmark's traffic
 * (a dozen short statements per event, on the same two cores as the server). Texts that vary with their data (a
 * list of ids written into the text) seldom repeat and stay unnamed; the names are bounded all the same.
 *
 * Only statements whose plan cannot depend on the values or on how the tables have grown: a named statement may be
 * planned once for any parameters (after five runs PostgreSQL may keep a generic plan), which is right for lookups
 * and writes by key and very wrong for the queues' claims (a generic plan of the inbox claim took seconds once the
 * benchmark's table held tens of thousands of rows).
 */
function prepared(text: string, params: readonly unknown[]): pg.QueryConfig {
  const values = params as unknown[];
  let name = names.get(text);
  if (!name && names.size < MAX_PREPARED && !COMPLEX.test(text)) {
    const n = (seen.get(text) ?? 0) + 1;
    if (n >= PREPARE_AFTER) {
      names.set(text, (name = `echannel_${names.size}`));
      seen.delete(text);
    } else {
      if (seen.size > 5000) seen.clear();
      seen.set(text, n);
    }
  }
  return name ? { name, text, values } : { text, values };
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

/** Units per commit at most. */
const MAX_GROUP_UNITS = 1000;
/**
 * How long one commit of the conversations' work may hold the event loop, in ms, before it commits and lets the
 * loop turn: webhooks that arrived meanwhile are read, and their intake committed, before the next slice. One unit
 * always runs, however long it takes.
 */
const WORK_SLICE_MS = 8;

type Lane = 'intake' | 'work';

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
 *
 * Two lanes. Every waiting intake unit (a webhook's events, Database.intake) goes first; then the work lane
 * (everything else) runs for at most WORK_SLICE_MS, and all of it commits; what is left of the work waits for the
 * next turn of the event loop. So a webhook waits at most for the slice in progress and its own, however long the
 * work queue: past capacity the conversations fall behind, the acknowledgements do not. (Committing intake on its
 * own, before the slice, saved those few ms at a COMMIT per flush more: the inbox's pages written twice, 0.1 ms of
 * the loop per event.)
 */
class SqliteGroupCommit {
  private readonly lanes: Record<Lane, Unit[]> = { intake: [], work: [] };
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

  submit<T>(run: (tx: Tx) => Promise<T>, savepoint: boolean, lane: Lane = 'work'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.lanes[lane].push({ run, savepoint, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Units waiting for a commit, both lanes. */
  get waiting(): number {
    return this.lanes.intake.length + this.lanes.work.length;
  }

  /** Units of one lane waiting for a commit: the backlog in memory, for metrics. */
  waitingIn(lane: Lane): number {
    return this.lanes[lane].length;
  }

  async idle(): Promise<void> {
    while (this.running || this.waiting) await (this.running ?? new Promise((r) => setImmediate(r)));
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // setImmediate: the flush runs after the loop has polled for I/O, and one scheduled from a flush runs at the
    // next turn, never before the webhooks that arrived meanwhile have been read.
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.flush().finally(() => {
        this.running = null;
        if (this.waiting) this.schedule();
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

  /** The next unit of this flush: intake first, all of it; then work while the slice lasts (at least one unit). */
  private next(started: number, n: number): Unit | undefined {
    if (n >= MAX_GROUP_UNITS) return undefined;
    const { intake, work } = this.lanes;
    if (intake.length) return intake.shift();
    if (work.length && (n === 0 || performance.now() - started < WORK_SLICE_MS)) return work.shift();
    return undefined;
  }

  private async flush(): Promise<void> {
    const started = performance.now();
    let done: Array<[Unit, unknown]> = [];
    const failDone = (err: unknown) => {
      for (const [u] of done) u.reject(err);
      done = [];
    };
    for (let n = 0, u = this.next(started, n); u; u = this.next(started, ++n)) {
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
