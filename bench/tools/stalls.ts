/**
 * Where the event loop was held: the stretches of a V8 CPU profile (from `npm run bench -- --cpu-prof`) in which one
 * task ran longer than a threshold, and what ran in them. A stretch is a run of samples under the same bottom frame
 * (one macrotask, or one phase of the loop such as every setImmediate callback run back to back) with no idle
 * sample in between: meanwhile the loop did not poll for I/O, so a webhook that arrived then waited for it to end.
 * An approximation (two tasks of the same kind in a row merge), good enough to see what holds the loop.
 *   tsx bench/tools/stalls.ts <file.cpuprofile> [--ms=30] [--skip=4]
 * Prints the count and total of stretches over the threshold, the longest, and the functions (ours and the
 * macrotask that started each stretch) that took the most time inside them.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) {
  console.error('usage: tsx bench/tools/stalls.ts <file.cpuprofile> [--ms=30] [--skip=4]');
  process.exit(2);
}
const opt = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const thresholdMs = opt('ms', 30);
const skipUs = opt('skip', 0) * 1e6;
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const short = (url: string) => url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'nm:').replace(/.*\/work\/main\//, '');
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}`;
const isIdle = (id: number) => byId.get(id)?.callFrame.functionName === '(idle)';

interface Stretch {
  at: number;
  us: number;
  samples: Array<[number, number]>;
}
/** The frame just above (root) on a sample's stack: which task or phase of the loop it belongs to. */
const bottomOf = (id: number): number => {
  let c = id;
  for (let up = parent.get(c); up !== undefined && byId.get(up)!.callFrame.functionName !== '(root)'; up = parent.get(c)) c = up;
  return c;
};
const stretches: Stretch[] = [];
let at = 0;
let cur: (Stretch & { bottom: number }) | null = null;
const close = () => {
  if (cur && cur.us >= thresholdMs * 1000) stretches.push(cur);
  cur = null;
};
p.samples.forEach((id, i) => {
  const d = p.timeDeltas[i] ?? 0;
  at += d;
  if (at < skipUs) return;
  if (isIdle(id)) return close();
  const bottom = bottomOf(id);
  if (cur && cur.bottom !== bottom && byId.get(bottom)!.callFrame.functionName !== '(garbage collector)') close();
  cur ??= { at, us: 0, samples: [], bottom };
  cur.us += d;
  cur.samples.push([id, d]);
});
close();

const totalUs = stretches.reduce((a, s) => a + s.us, 0);
console.log(`busy stretches over ${thresholdMs} ms: ${stretches.length}, ${(totalUs / 1000).toFixed(0)} ms in all`);
const longest = [...stretches].sort((a, b) => b.us - a.us).slice(0, 10);
console.log(`longest: ${longest.map((s) => `${(s.us / 1000).toFixed(0)} ms at ${(s.at / 1e6).toFixed(1)} s`).join(', ')}`);

// Inside the stretches: inclusive time of our functions (and of the macrotask at the bottom of each stack).
const incl = new Map<string, number>();
const roots = new Map<string, number>();
for (const s of stretches) {
  for (const [id, d] of s.samples) {
    const seen = new Set<string>();
    let bottom = '';
    for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) {
      const n = byId.get(c)!;
      if (n.callFrame.functionName === '(root)') break;
      bottom = label(n);
      const k = label(n);
      if (seen.has(k)) continue;
      seen.add(k);
      if (!/nm:|node:/.test(n.callFrame.url)) incl.set(k, (incl.get(k) ?? 0) + d);
    }
    roots.set(bottom, (roots.get(bottom) ?? 0) + d);
  }
}
const print = (title: string, m: Map<string, number>, top: number) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / Math.max(1, totalUs)) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
print('what started them (the bottom frame):', roots, 10);
print('inclusive time inside them, our code:', incl, 30);
