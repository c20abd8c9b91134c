import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Database } from '../../storage/database';

/**
 * The engines every storage test runs on: SQLite always, PostgreSQL too when TEST_DATABASE_URL is set (.ci/run
 * sets it to the machine's server). Each opened database is new: a temporary SQLite file, or a PostgreSQL
 * schema of its own that is dropped afterwards, so test files can run side by side.
 */
export interface TestDatabase {
  engine: 'sqlite' | 'postgres';
  /** A DATABASE_URL for a server process, plus the schema it must use (PostgreSQL). */
  url: string;
  schema?: string;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

export function engines(): Array<'sqlite' | 'postgres'> {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * The engine a Chromium test file runs on: the one it names (SQLite when PostgreSQL is not configured). A page does
 * not know which engine serves it, and every query behind the pages is tested on both engines by the API tests;
 * running each browser file on both made them the suite's longest half. The files name PostgreSQL and SQLite about
 * equally, so pages are served by both in every run; BROWSER_ENGINES=both runs every browser file on both.
 */
export function browserEngines(engine: 'sqlite' | 'postgres'): Array<'sqlite' | 'postgres'> {
  const all = engines();
  if (process.env.BROWSER_ENGINES === 'both') return all;
  return all.includes(engine) ? [engine] : ['sqlite'];
}

let counter = 0;

export function newTestDatabase(engine: 'sqlite' | 'postgres'): TestDatabase {
  if (engine === 'sqlite') {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'echannel-')), 'test.sqlite')}`;
    return { engine, url, open: () => Database.open(url), drop: async () => {} };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  return {
    engine,
    url,
    schema,
    open: () => Database.open(url, { schema }),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}
