/**
 * The few statistics the reports print, defined so that a person can check them by hand. Pure.
 *
 * Percentiles are nearest-rank: the p-th percentile of n values is the value at rank ceil(p × n) of the sorted list,
 * so it is always a time that really happened, and reads as "p of the cases ended within this time". The median is
 * the 50th percentile by the same rule (for an even count, the lower of the two middle values).
 */

/** The p-th (0 < p <= 1) nearest-rank percentile of `values`; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 1)) throw new RangeError(`percentile: p must be in (0, 1], got ${p}`);
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.ceil(p * sorted.length) - 1]!;
}

/** Median and 90th percentile together, sorting once. */
export function spread(values: readonly number[]): { count: number; median: number | null; p90: number | null } {
  if (values.length === 0) return { count: 0, median: null, p90: null };
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.ceil(p * sorted.length) - 1]!;
  return { count: sorted.length, median: at(0.5), p90: at(0.9) };
}

/** A share as a person reads it: `part` of `whole`, and the ratio (null when there is nothing to divide). */
export interface Share {
  part: number;
  whole: number;
  /** 0-1, unrounded; null when whole is 0. */
  ratio: number | null;
}

export const share = (part: number, whole: number): Share => ({ part, whole, ratio: whole > 0 ? part / whole : null });

/** "87.5" (one decimal, as the Ministry's tables print percentages); "–" when there is nothing to divide. */
export function percentText(s: Share): string {
  return s.ratio === null ? '–' : (Math.round(s.ratio * 1000) / 10).toFixed(1);
}

/** Adds `n` to a counter map's key. */
export function bump<K>(m: Map<K, number>, key: K, n = 1): void {
  m.set(key, (m.get(key) ?? 0) + n);
}

/** A counter map as rows, largest first, ties by code. */
export function rowsOf(m: ReadonlyMap<string, number>): Array<{ code: string; count: number }> {
  return [...m].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
