/**
 * Preloaded into the server by `npm run bench -- --sql-timing`: times every statement TypeORM runs on
 * better-sqlite3 (the synchronous execution, on the event loop) and every whole transaction, by SQL text, and
 * writes a summary to bench/results/sql-timing.txt when the process exits. Diagnosis only.
 */
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { BetterSqlite3QueryRunner } = require('typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner.js') as {
  BetterSqlite3QueryRunner: { prototype: Record<string, (...a: unknown[]) => Promise<unknown>> };
};
const { EntityManager } = require('typeorm/entity-manager/EntityManager.js') as {
  EntityManager: { prototype: Record<string, (...a: unknown[]) => Promise<unknown>> };
};

interface Acc {
  n: number;
  ms: number;
  max: number;
}
const stats = new Map<string, Acc>();
const add = (key: string, ms: number) => {
  let a = stats.get(key);
  if (!a) stats.set(key, (a = { n: 0, ms: 0, max: 0 }));
  a.n++;
  a.ms += ms;
  if (ms > a.max) a.max = ms;
};
const label = (sql: string) => sql.replace(/\s+/g, ' ').replace(/\(\?(, \?)+\)/g, '(?…)').replace(/IN \([\d,]+\)/g, 'IN (…)').slice(0, 110);

const proto = BetterSqlite3QueryRunner.prototype;
const origGetStmt = proto['getStmt']!;
// The statement's synchronous work happens inside query() after getStmt resolves; time all/run directly.
proto['getStmt'] = async function (this: unknown, query: unknown) {
  const stmt = (await origGetStmt.call(this, query)) as { all: (...a: unknown[]) => unknown; run: (...a: unknown[]) => unknown; __timed?: boolean };
  if (!stmt.__timed) {
    const key = label(String(query));
    const all = stmt.all.bind(stmt);
    const run = stmt.run.bind(stmt);
    stmt.all = (...a: unknown[]) => {
      const t = performance.now();
      try {
        return all(...a);
      } finally {
        add(key, performance.now() - t);
      }
    };
    stmt.run = (...a: unknown[]) => {
      const t = performance.now();
      try {
        return run(...a);
      } finally {
        add(key, performance.now() - t);
      }
    };
    stmt.__timed = true;
  }
  return stmt;
};

const origQuery = proto['query']!;
proto['query'] = async function (this: unknown, ...a: unknown[]) {
  const t = performance.now();
  try {
    return await origQuery.apply(this, a);
  } finally {
    add(`[query() incl. TypeORM overhead, all statements]`, performance.now() - t);
  }
};

const origTx = EntityManager.prototype['transaction']!;
EntityManager.prototype['transaction'] = async function (this: unknown, ...a: unknown[]) {
  const t = performance.now();
  try {
    return await origTx.apply(this, a);
  } finally {
    add('[EntityManager.transaction(), whole, wall]', performance.now() - t);
  }
};

// The SQLite group commit (storage/database.ts) runs its statements on better-sqlite3 directly, not through
// TypeORM: time every prepared statement's run/all/get and every exec (BEGIN, SAVEPOINT, COMMIT) there too.
const BetterSqlite3 = require('better-sqlite3') as { prototype: Record<string, (...a: unknown[]) => unknown> };
const dbProto = BetterSqlite3.prototype;
const origPrepare = dbProto['prepare']!;
dbProto['prepare'] = function (this: unknown, sql: unknown) {
  const stmt = origPrepare.call(this, sql) as Record<string, (...a: unknown[]) => unknown>;
  const key = `[direct] ${label(String(sql))}`;
  for (const m of ['run', 'all', 'get'] as const) {
    const orig = stmt[m]!.bind(stmt);
    stmt[m] = (...a: unknown[]) => {
      const t = performance.now();
      try {
        return orig(...a);
      } finally {
        add(key, performance.now() - t);
      }
    };
  }
  return stmt;
};
const origExec = dbProto['exec']!;
dbProto['exec'] = function (this: unknown, sql: unknown) {
  const t = performance.now();
  try {
    return origExec.call(this, sql);
  } finally {
    add(`[exec] ${label(String(sql))}`, performance.now() - t);
  }
};

const started = performance.now();
process.on('exit', () => {
  const wall = performance.now() - started;
  const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
  const lines = [
    `process wall ${(wall / 1000).toFixed(1)} s`,
    'total ms   calls    mean µs   max ms  statement',
    ...rows.map(([k, a]) => `${a.ms.toFixed(0).padStart(8)} ${String(a.n).padStart(7)} ${((a.ms / a.n) * 1000).toFixed(0).padStart(10)} ${a.max.toFixed(1).padStart(8)}  ${k}`),
  ];
  const dir = join(import.meta.dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sql-timing.txt'), `${lines.join('\n')}\n`);
});
