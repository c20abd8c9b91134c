import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDigit, formatTrackingNumber } from '../domain/tracking-number';
import { parseTrackingNumber } from '../flows/inputs/tracking-number';
import type { Database } from '../storage/database';
import { nextTrackingNumber } from '../cases/tracking-numbers';
import { runTogether, spawnWorker, type Worker } from './support/together';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';

const root = join(import.meta.dirname, '..');
// 2026-11-26 10:00 in Bangkok: Buddhist year 2569.
const NOW = Date.parse('2026-11-26T03:00:00Z');

interface Report {
  label: string;
  committed: number;
  rolledBack: number;
  errors: string[];
  ms: number;
}

type Allocator = Worker<Report>;

/** tests/support/allocate-numbers.ts in a process of its own, as a second server would be. */
function spawnAllocator(t: TestDatabase, env: Record<string, string>): Allocator {
  return spawnWorker<Report>('tests/support/allocate-numbers.ts', root, { DATABASE_URL: t.url, DB_SCHEMA: t.schema ?? '', NOW: String(NOW), ...env }, `allocator ${env.LABEL}`);
}

interface Row {
  tracking_number: string;
  process: string;
}

/** How many times the owner changes along the sequence, plus one: 2 means one process went first, then the other. */
function runsOf(rows: Array<Row & { seq: number }>): number {
  return rows.reduce((n, r, i) => (i > 0 && rows[i - 1]!.process !== r.process ? n + 1 : n), rows.length ? 1 : 0);
}

describe.each(engines())('tracking numbers on %s', (engine) => {
  let t: TestDatabase;
  let db: Database;
  afterEach(async () => {
    await db?.close();
    await t?.drop();
  });
  const open = async () => {
    t = newTestDatabase(engine);
    db = await t.open();
    await db.query('CREATE TABLE scratch_allocation (tracking_number VARCHAR(32) NOT NULL, process VARCHAR(8) NOT NULL, attempt INTEGER NOT NULL)');
    return db;
  };
  /** Every committed number, in sequence order, parsed. Deliberately no unique index: duplicates must show here. */
  const committed = async () => {
    const rows = await db.query<Row>('SELECT tracking_number, process FROM scratch_allocation');
    return rows
      .map((r) => {
        const parsed = parseTrackingNumber(r.tracking_number);
        if (!parsed.ok) throw new Error(`${r.tracking_number} does not read back: ${parsed.reason}`);
        return { ...r, seq: parsed.value.seq, yearBE: parsed.value.yearBE, canonical: parsed.value.text };
      })
      .sort((a, b) => a.seq - b.seq);
  };
  const allocate = (prefix: string, now: number, rollback = false) =>
    db
      .transaction(async (tx) => {
        const n = await nextTrackingNumber(tx, prefix, now);
        if (rollback) throw new Error(`roll ${n} back`);
        return n;
      })
      .catch((e: Error) => e.message);

  it('two processes allocating 500 numbers each at once get 1,000 distinct numbers, exactly 1..1000, all valid', { timeout: 120_000 }, async () => {
    await open();
    const { reports, ms } = await runTogether([
      spawnAllocator(t, { LABEL: 'A', COUNT: '500' }),
      spawnAllocator(t, { LABEL: 'B', COUNT: '500' }),
    ]);
    expect(reports.map((r) => [r.label, r.committed, r.errors])).toEqual([
      ['A', 500, []],
      ['B', 500, []],
    ]);
    const rows = await committed();
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.tracking_number)).size).toBe(1000);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    for (const r of rows) {
      expect(r.tracking_number).toBe(r.canonical);
      expect(r.tracking_number).toMatch(/^MDH-2569-\d{6}-\d$/);
      expect(checkDigit(r.tracking_number.replace(/\D/g, ''))).toBe(0);
    }
    if (engine === 'postgres') {
      // The two processes really ran side by side: each one's numbers lie inside the other's range.
      const range = (p: string) => rows.filter((r) => r.process === p).map((r) => r.seq);
      expect(Math.min(...range('A'))).toBeLessThan(Math.max(...range('B')));
      expect(Math.min(...range('B'))).toBeLessThan(Math.max(...range('A')));
    }
    console.info(
      `tracking numbers on ${engine}: 2 processes x 500 at once in ${ms} ms (${reports.map((r) => `${r.label} ${r.ms} ms`).join(', ')}), ` +
        `owner changed ${runsOf(rows) - 1} times along the sequence`,
    );
  });

  it('two processes whose transactions interleave and sometimes roll back leave no gap', { timeout: 120_000 }, async () => {
    await open();
    // Spread over 500 ms, the processes' commits alternate on the database; every 5th filing fails after its insert.
    const { reports, ms } = await runTogether([
      spawnAllocator(t, { LABEL: 'A', COUNT: '300', ROLLBACK_EVERY: '5', SPREAD_MS: '500' }),
      spawnAllocator(t, { LABEL: 'B', COUNT: '300', ROLLBACK_EVERY: '5', SPREAD_MS: '500' }),
    ]);
    expect(reports.map((r) => [r.label, r.committed, r.rolledBack, r.errors])).toEqual([
      ['A', 240, 60, []],
      ['B', 240, 60, []],
    ]);
    const rows = await committed();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 480 }, (_, i) => i + 1));
    expect(runsOf(rows)).toBeGreaterThan(2);
    console.info(
      `tracking numbers on ${engine}: 2 processes x 300 spread over 500 ms, 120 rolled back, in ${ms} ms; ` +
        `owner changed ${runsOf(rows) - 1} times along the sequence`,
    );
  });

  it('gives a rolled-back number to the next case', async () => {
    await open();
    expect(await allocate('MDH', NOW)).toBe(formatTrackingNumber({ prefix: 'MDH', yearBE: 2569, seq: 1 }));
    const second = formatTrackingNumber({ prefix: 'MDH', yearBE: 2569, seq: 2 });
    expect(await allocate('MDH', NOW, true)).toBe(`roll ${second} back`);
    expect(await allocate('MDH', NOW)).toBe(second);
  });

  it('keeps concurrent filings of one process gapless when some of them roll back', async () => {
    await open();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => allocate('MDH', NOW, i % 4 === 1)));
    const kept = results.filter((r) => !r.startsWith('roll ')).map((r) => parseTrackingNumber(r));
    expect(kept.map((p) => (p.ok ? p.value.seq : 0)).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await allocate('MDH', NOW)).toBe(formatTrackingNumber({ prefix: 'MDH', yearBE: 2569, seq: 31 }));
  });

  it('starts again at 1 when the Buddhist year turns at midnight in Bangkok', async () => {
    await open();
    const lastMoment2569 = Date.parse('2026-12-31T16:59:59.999Z');
    const firstMoment2570 = Date.parse('2026-12-31T17:00:00.000Z');
    await allocate('MDH', lastMoment2569);
    expect(await allocate('MDH', lastMoment2569)).toBe(formatTrackingNumber({ prefix: 'MDH', yearBE: 2569, seq: 2 }));
    expect(await allocate('MDH', firstMoment2570)).toBe(formatTrackingNumber({ prefix: 'MDH', yearBE: 2570, seq: 1 }));
    expect(await allocate('MDH', firstMoment2570)).toBe(formatTrackingNumber({ prefix: 'MDH', yearBE: 2570, seq: 2 }));
    // A case filed late (an old clock) still continues its own year.
    expect(await allocate('MDH', lastMoment2569)).toBe(formatTrackingNumber({ prefix: 'MDH', yearBE: 2569, seq: 3 }));
  });

  it('counts each center prefix on its own', async () => {
    await open();
    await allocate('MDH', NOW);
    await allocate('MDH', NOW);
    expect(await allocate('NKP', NOW)).toBe(formatTrackingNumber({ prefix: 'NKP', yearBE: 2569, seq: 1 }));
    expect(await allocate('MDH', NOW)).toBe(formatTrackingNumber({ prefix: 'MDH', yearBE: 2569, seq: 3 }));
  });

  it('widens the sequence to 7 digits after 999,999', async () => {
    await open();
    await db.query('INSERT INTO tracking_sequence (prefix, year_be, last_value) VALUES ($1, $2, $3)', ['MDH', 2569, 999_998]);
    expect(await allocate('MDH', NOW)).toMatch(/^MDH-2569-999999-\d$/);
    expect(await allocate('MDH', NOW)).toMatch(/^MDH-2569-1000000-\d$/);
  });
});
