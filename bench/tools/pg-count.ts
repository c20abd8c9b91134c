/**
 * Preloaded into the server (`--pg --server-import ./bench/tools/pg-count.ts`): counts the statements the server
 * sends to PostgreSQL, by their first words, and how long each kind waited for its answer, and writes the table to
 * stderr every 5 s, cumulative (the runner keeps it in bench/results/<name>.log). With the event count the run
 * prints, it gives the round trips per event. Diagnosis only.
 */
import { writeSync } from 'node:fs';
import pg from 'pg';

const counts = new Map<string, { n: number; ms: number }>();
const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
const original = proto.query;
proto.query = function (this: unknown, ...args: unknown[]) {
  const first = args[0];
  const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
  const kind = text.trim().replace(/\s+/g, ' ').split(' ').slice(0, 3).join(' ').slice(0, 40);
  const t = performance.now();
  const result = original.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then(
      () => add(kind, performance.now() - t),
      () => add(kind, performance.now() - t),
    );
  }
  return result;
};

function add(kind: string, ms: number): void {
  const c = counts.get(kind) ?? { n: 0, ms: 0 };
  c.n++;
  c.ms += ms;
  counts.set(kind, c);
}

function report(): void {
  const rows = [...counts].sort((a, b) => b[1].n - a[1].n);
  const total = rows.reduce((s, [, c]) => s + c.n, 0);
  writeSync(2, `[pg-count] ${total} statements\n`);
  for (const [kind, c] of rows) writeSync(2, `[pg-count] ${String(c.n).padStart(8)}  ${(c.ms / c.n).toFixed(2).padStart(7)} ms  ${kind}\n`);
}
// Every 5 s, cumulative (the runner may end the process with SIGKILL); written synchronously.
setInterval(report, 5000).unref();
