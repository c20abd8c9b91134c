/**
 * A server-like process that files "cases" as fast as it can: COUNT transactions, each allocating one tracking
 * number and inserting it into the test's scratch table, all started at once (or spread over SPREAD_MS) so that
 * many are in flight together, as the worker's are. Run by tests/tracking-numbers.concurrency.test.ts:
 *
 *   node --import tsx tests/support/allocate-numbers.ts
 *
 * Env: DATABASE_URL, DB_SCHEMA (PostgreSQL), PREFIX, NOW (epoch ms), COUNT, LABEL (names this process in the
 * scratch rows), ROLLBACK_EVERY (every n-th transaction throws after allocating and inserting; 0 = none),
 * SPREAD_MS (each transaction starts after a random delay below this; 0 = all in the same tick).
 * Prints "ready" once the database is open, waits for a line on stdin to start (so that two processes start
 * together), then prints one JSON line: {label, committed, rolledBack, errors, ms}.
 */
import { Database } from '../../storage/database';
import { nextTrackingNumber } from '../../cases/tracking-numbers';

class IntendedRollback extends Error {
  constructor(readonly attempt: number) {
    super(`attempt ${attempt} rolls back on purpose`);
    this.name = 'IntendedRollback';
  }
}

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`allocate-numbers: ${name} is not set`);
  return v;
};

const url = env('DATABASE_URL');
const schema = process.env.DB_SCHEMA || undefined;
const prefix = env('PREFIX', 'MDH');
const now = Number(env('NOW'));
const count = Number(env('COUNT', '500'));
const label = env('LABEL');
const rollbackEvery = Number(env('ROLLBACK_EVERY', '0'));
const spreadMs = Number(env('SPREAD_MS', '0'));

const db = await Database.open(url, { schema });
let started = false;
process.stdin.once('end', () => started || process.exit(2)); // the test went away before saying go
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
started = true;

async function fileOne(attempt: number): Promise<void> {
  if (spreadMs > 0) await new Promise((r) => setTimeout(r, Math.random() * spreadMs));
  await db.transaction(async (tx) => {
    const number = await nextTrackingNumber(tx, prefix, now);
    await tx.query('INSERT INTO scratch_allocation (tracking_number, process, attempt) VALUES ($1, $2, $3)', [number, label, attempt]);
    if (rollbackEvery > 0 && attempt % rollbackEvery === 0) throw new IntendedRollback(attempt);
  });
}

const t0 = performance.now();
const outcomes = await Promise.allSettled(Array.from({ length: count }, (_, i) => fileOne(i + 1)));
const ms = performance.now() - t0;
const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as unknown);
const rolledBack = failures.filter((e) => e instanceof IntendedRollback).length;
const errors = failures.filter((e) => !(e instanceof IntendedRollback)).map((e) => String(e));
process.stdout.write(`${JSON.stringify({ label, committed: count - failures.length, rolledBack, errors, ms: Math.round(ms) })}\n`);
await db.close();
process.exit(0);
