/** Percentiles, CPU accounting and the markdown tables. */
import { readdirSync, readFileSync } from 'node:fs';

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function sortedOf(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

export interface Dist {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function dist(values: number[]): Dist {
  const s = sortedOf(values);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.length ? s[s.length - 1]! : NaN };
}

const CLK_TCK = 100;

/** utime + stime of a process in ms, from /proc (Linux); NaN elsewhere or when it has exited. */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); utime and stime are fields 14 and 15.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/**
 * CPU time of each PostgreSQL process on the machine (comm `postgres`), ms by pid: the database's share of a phase
 * when the server runs on PostgreSQL, which the bot's own figure leaves out. Empty when there is none (SQLite runs
 * inside the bot's process).
 */
export function postgresCpuMs(): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const ms = cpuMs(Number(pid));
    if (Number.isFinite(ms)) out.set(Number(pid), ms);
  }
  return out;
}

/**
 * The CPU PostgreSQL spent between two readings, ms: per process, so that a connection opened meanwhile counts from
 * zero and one closed meanwhile is left out (its last moments lost), rather than the totals' difference going wrong.
 */
export function postgresCpuBetween(a: Map<number, number>, b: Map<number, number>): number {
  if (!b.size) return NaN;
  let total = 0;
  for (const [pid, ms] of b) total += ms - (a.get(pid) ?? 0);
  return total;
}

export function fmt(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return '–';
  return v.toFixed(digits);
}

export function fmtInt(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return Math.round(v).toLocaleString('en-US');
}

export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), sep, ...rows.map(line)].join('\n');
}
