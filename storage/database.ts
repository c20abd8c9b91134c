import { DataSource, type EntityManager } from 'typeorm';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Mutex } from './mutex';
import { toDialect, type Dialect } from './sql';
import { entitiesFor } from './entities';
import { migrations } from './migrations';

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
    }
    await db.migrate(url);
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

  /** Runs fn in one transaction; all of it commits or none. */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const work = () => this.dataSource.transaction((manager) => fn(this.wrap(manager)));
    return this.dialect === 'sqlite' ? this.sqliteLock.run(work) : work();
  }

  /** A single statement outside an explicit transaction. */
  async query<T = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const [q, p] = toDialect(this.dialect, text, params);
    const run = async () => rowsOf<T>(await this.dataSource.query(q, p));
    return this.dialect === 'sqlite' ? this.sqliteLock.run(run) : run();
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
