/**
 * Backups that restore. SQLite: the online backup API (better-sqlite3's `backup()`), page by page beside the
 * running server, giving one consistent snapshot even while it writes. PostgreSQL: `pg_dump` in its custom format
 * (one consistent snapshot too: it reads in one repeatable-read transaction), restored with `pg_restore`.
 *
 * What a backup does not hold: the data key. Personal data inside it stays encrypted, and a restore is readable
 * only with the key that was in use (DATA_KEY, or the key file), which is kept apart on purpose (docs/deploy.md).
 *
 * A backup is written to `<file>.partial` and renamed when complete and checked, so a file with the final name is
 * always a whole backup. A restore goes only into an empty target: it never overwrites a database.
 */
import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** The restore target already holds data: a restore never mixes two databases. */
export class RestoreTargetNotEmptyError extends Error {
  constructor(readonly target: string, readonly detail: string) {
    super(`the restore target ${target} is not empty (${detail}): restore into a new database, or move the old one aside first`);
    this.name = 'RestoreTargetNotEmptyError';
  }
}

export type Engine = 'sqlite' | 'postgres';

export interface BackupResult {
  engine: Engine;
  file: string;
  bytes: number;
  ms: number;
}

export function engineOf(url: string): Engine {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new BackupError(`DATABASE_URL is neither sqlite: nor postgres://: ${redactUrl(url)}`);
}

export const redactUrl = (url: string) => url.replace(/\/\/([^:@/]*):[^@]*@/, '//$1:***@');

export interface BackupOptions {
  /** PostgreSQL: only this schema (tests keep each database in a schema of its own); default: the whole database. */
  schema?: string;
}

export async function backupDatabase(url: string, file: string, opts: BackupOptions = {}): Promise<BackupResult> {
  const started = Date.now();
  const engine = engineOf(url);
  if (existsSync(file)) throw new BackupError(`${file} exists: a backup never overwrites a file`);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    if (engine === 'sqlite') await sqliteBackup(sqlitePath(url), partial);
    else await pgDump(url, partial, opts.schema ?? schemaOf(url));
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return { engine, file, bytes: statSync(file).size, ms: Date.now() - started };
}

export interface RestoreResult {
  engine: Engine;
  target: string;
  ms: number;
}

export async function restoreDatabase(file: string, url: string, opts: BackupOptions = {}): Promise<RestoreResult> {
  const started = Date.now();
  const engine = engineOf(url);
  if (!existsSync(file)) throw new BackupError(`no backup at ${file}`);
  if (engine === 'sqlite') await sqliteRestore(file, sqlitePath(url));
  else await pgRestore(file, url, opts.schema ?? schemaOf(url));
  return { engine, target: redactUrl(url), ms: Date.now() - started };
}

function sqlitePath(url: string): string {
  const path = url.slice('sqlite:'.length);
  if (!path || path === ':memory:') throw new BackupError('an in-memory SQLite database has nothing to back up or restore into');
  return path;
}

/** The schema named by `options=-c search_path=...` in a PostgreSQL URL (as tests and some deployments set it). */
function schemaOf(url: string): string | undefined {
  const options = new URL(url).searchParams.get('options') ?? '';
  return /search_path=([a-z_][a-z0-9_]*)/i.exec(options)?.[1];
}

async function sqliteBackup(source: string, dest: string): Promise<void> {
  if (!existsSync(source)) throw new BackupError(`no SQLite database at ${source}`);
  // A connection of its own, beside the server's: the backup API copies a consistent snapshot, restarting when the
  // server writes in between (WAL lets it read meanwhile).
  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(dest);
  } finally {
    db.close();
  }
  selfContained(dest);
  checkSqlite(dest);
}

async function sqliteRestore(file: string, target: string): Promise<void> {
  checkSqlite(file);
  for (const f of [target, `${target}-wal`, `${target}-shm`]) {
    if (existsSync(f) && statSync(f).size > 0) throw new RestoreTargetNotEmptyError(target, `${f} exists`);
  }
  mkdirSync(dirname(target) || '.', { recursive: true });
  // Through the backup API again, not a file copy: the result is a complete database file on its own.
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    await db.backup(`${target}.partial`);
  } finally {
    db.close();
  }
  selfContained(`${target}.partial`);
  renameSync(`${target}.partial`, target);
}

/**
 * The copy keeps the source's journal mode (WAL), whose -wal and -shm files would appear beside it at the next open
 * and be left behind by the rename: in rollback mode the backup is one file. The server turns WAL on again at open.
 */
function selfContained(file: string): void {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/** A file is an SQLite database, whole (integrity_check), and an E-Channel one (its migrations table). */
function checkSqlite(file: string): void {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BackupError(`${file} is not an SQLite database: ${(err as Error).message}`);
  }
  try {
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new BackupError(`${file} failed SQLite's integrity check: ${String(result)}`);
    const migrations = db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'migrations'`).get() as { n: number };
    if (!migrations.n) throw new BackupError(`${file} is an SQLite database, but not an E-Channel one (no migrations table)`);
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${file} is not an SQLite database: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * The connection for pg_dump and pg_restore: the URL without its password, which goes in PGPASSWORD instead, so
 * that it is not in the process list; without `options` (the tools set their own search path).
 */
function pgConnection(url: string): { dbUrl: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  u.searchParams.delete('options');
  return { dbUrl: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

async function pgDump(url: string, file: string, schema: string | undefined): Promise<void> {
  const { dbUrl, env } = pgConnection(url);
  await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', ...(schema ? [`--schema=${schema}`] : []), `--file=${file}`, `--dbname=${dbUrl}`], env);
  // pg_restore --list reads the whole table of contents: a truncated or foreign file fails here, not at restore.
  await run('pg_restore', ['--list', file], env);
}

async function pgRestore(file: string, url: string, schema: string | undefined): Promise<void> {
  const { dbUrl, env } = pgConnection(url);
  const client = new pg.Client({ connectionString: dbUrl, password: env.PGPASSWORD });
  await client.connect();
  try {
    const [row] = (
      await client.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
        [schema ?? 'public'],
      )
    ).rows;
    if (Number(row?.n ?? 0) > 0) throw new RestoreTargetNotEmptyError(redactUrl(url), `schema ${schema ?? 'public'} has ${row!.n} tables`);
  } finally {
    await client.end();
  }
  // One transaction: a restore that fails half-way leaves the target as empty as it was.
  await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${dbUrl}`, file], env);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('error', (err) =>
      reject(new BackupError(`${command} could not be run (${(err as NodeJS.ErrnoException).code ?? err.message}): install PostgreSQL's client tools (Debian: postgresql-client)`)),
    );
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new BackupError(`${command} failed (exit ${code}): ${redactUrl(stderr.trim()).slice(0, 2000)}`));
    });
  });
}
