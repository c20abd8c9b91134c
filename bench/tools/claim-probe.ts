/**
 * Preloaded into the server (`--server-import ./bench/tools/claim-probe.ts`): counts, per claim loop, the claims,
 * the rows they returned and how long they took, and prints a line per second on stderr. Diagnosis only.
 */
import { ClaimLoop } from '../../runtime/claim-loop';

type Stats = { claims: number; rows: number; empty: number; claimMs: number; handled: number; handleMs: number };
const stats = new Map<string, Stats>();
const proto = ClaimLoop.prototype as unknown as { track(row: unknown): void };
const origTrack = proto.track;
const wrapped = new WeakSet<object>();

proto.track = function (this: { o: { name: string; claim(n: number): Promise<unknown[]>; handle(r: unknown): Promise<void> } }, row: unknown) {
  const o = this.o;
  if (!wrapped.has(o)) {
    wrapped.add(o);
    const s: Stats = { claims: 0, rows: 0, empty: 0, claimMs: 0, handled: 0, handleMs: 0 };
    stats.set(o.name, s);
    const claim = o.claim.bind(o);
    const handle = o.handle.bind(o);
    o.claim = async (n) => {
      const t = performance.now();
      const rows = await claim(n);
      s.claims++;
      s.rows += rows.length;
      if (rows.length === 0) s.empty++;
      s.claimMs += performance.now() - t;
      return rows;
    };
    o.handle = async (r) => {
      const t = performance.now();
      try {
        await handle(r);
      } finally {
        s.handled++;
        s.handleMs += performance.now() - t;
      }
    };
  }
  origTrack.call(this, row);
};

setInterval(() => {
  const parts = [...stats].map(
    ([name, s]) =>
      `${name}: ${s.claims} claims (${s.empty} empty, ${s.claims ? (s.rows / s.claims).toFixed(1) : 0} rows each, ${s.claims ? (s.claimMs / s.claims).toFixed(1) : 0} ms each), ${s.handled} handled (${s.handled ? (s.handleMs / s.handled).toFixed(1) : 0} ms each)`,
  );
  if (parts.length) console.error(`[claim-probe] ${parts.join(' | ')}`);
  for (const s of stats.values()) Object.assign(s, { claims: 0, rows: 0, empty: 0, claimMs: 0, handled: 0, handleMs: 0 });
}, 1000).unref();
