/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof`): self time by function and by file, and
 * inclusive time of the heaviest functions, and the busy time by the work it serves (per event with --events=N, the
 * events the server received while profiled; the benchmark prints it).
 * Usage: tsx bench/tools/profile-summary.ts <file.cpuprofile> [top] [--events=N] [--skip=S (seconds of start left out)]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) {
  console.error('usage: tsx bench/tools/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(process.argv.slice(3).find((a) => !a.startsWith('--')) ?? 30);
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from samples and time deltas (µs).
// --skip=S leaves out the first S seconds of the profile (the server's start: module loading, migrations).
const skipUs = Number(process.argv.find((a) => a.startsWith('--skip='))?.slice('--skip='.length) ?? 0) * 1e6;
{
  let at = 0;
  p.timeDeltas = p.timeDeltas.map((d) => {
    at += d;
    return at < skipUs ? 0 : d;
  });
}
const self = new Map<number, number>();
p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const short = (url: string) => url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'nm:').replace(/.*\/work\/main\//, '');
const key = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const selfBy = new Map<string, number>();
const fileBy = new Map<string, number>();
const incl = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  selfBy.set(key(n), (selfBy.get(key(n)) ?? 0) + us);
  const f = n.callFrame.url ? short(n.callFrame.url).replace(/^(nm:(@[^/]+\/)?[^/]+).*/, '$1') : n.callFrame.functionName;
  fileBy.set(f, (fileBy.get(f) ?? 0) + us);
  // Inclusive: every distinct function on the stack gets the sample once.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const k = key(byId.get(cur)!);
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + us);
  }
}

const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
console.log(`profile: ${((p.endTime - p.startTime) / 1e6).toFixed(1)} s wall, ${(total / 1e6).toFixed(1)} s sampled`);
print('self time by file/package', fileBy);
print('self time by function', selfBy);
print('inclusive time by function', incl);

// Per second of the profile: how busy the thread was (100 % - idle), to tell "CPU-bound" from "waiting".
const buckets = new Map<number, { idle: number; all: number }>();
let at = 0;
p.samples.forEach((id, i) => {
  const d = p.timeDeltas[i] ?? 0;
  at += d;
  const b = Math.floor(at / 1e6);
  let x = buckets.get(b);
  if (!x) buckets.set(b, (x = { idle: 0, all: 0 }));
  x.all += d;
  if (byId.get(id)?.callFrame.functionName === '(idle)') x.idle += d;
});
console.log('\nbusy % per second:');
console.log([...buckets].map(([s, x]) => `${s}s:${Math.round(100 - (x.idle / Math.max(1, x.all)) * 100)}`).join(' '));

// Where the busy time goes, by the work it serves. A sample's category is the first rule below that matches it,
// in order: database rules look at the innermost frames only (every unit of work runs inside the group commit's
// flush, so "storage/ is on the stack" would claim the whole conversation); the others at any frame of the stack.
interface Rule {
  name: string;
  re: RegExp;
  /** Match the innermost JavaScript frame only (natives such as better-sqlite3's run count as their caller). */
  leaf?: boolean;
}
const rules: Rule[] = [
  { name: 'database: SQLite/PostgreSQL statements and commits', re: /storage\/(database|sql)\.ts|better-sqlite3|nm:pg|nm:pg-protocol|nm:typeorm|storage\/sqlite-/, leaf: true },
  { name: 'session sealing: state JSON, its check (zod), its encryption', re: /flows\/sessions\.ts|flows\/engine\/state\.ts/ },
  { name: 'encryption: inbox payloads, outbox bodies, personal data', re: /storage\/crypto\.ts|node:internal\/crypto\/(cipher|random|keys)/ },
  { name: 'Flex building: receipts, case cards', re: /cases\/flex|flex\.ts/ },
  { name: 'matching: language layer, places, inputs, commands', re: /language\/|flows\/(places|matching|inputs)\// },
  { name: 'engine: flow step, texts (i18next)', re: /flows\/engine\/|i18next/ },
  { name: 'logging (pino)', re: /nm:pino|runtime\/logger/ },
  { name: 'metrics (prom-client)', re: /prom-client|runtime\/metrics/ },
  { name: 'HTTP in: webhook (server, express, signature, JSON)', re: /_http_server|_http_incoming|nm:express|nm:router|body-parser|raw-body|bot\/webhook|bot\/intake|bot-sdk\/dist\/middleware|server\/app/ },
  { name: 'HTTP out: LINE calls (fetch/undici, http client)', re: /bot-sdk\/dist\/(http|messaging)|undici|line\/api|_http_client|_http_agent|bot\/outbox-sender/ },
  { name: 'worker and queues: claims, handler glue, other actions', re: /bot\/|runtime\/claim-loop|storage\/|cases\/|handoffs\/|notify\/|scheduler\/|office\/|faq\// },
  { name: 'module loading / startup', re: /node:internal\/modules\/|nm:tsx|source_map|cjs-module-lexer/ },
];
const cat = new Map<string, number>();
p.samples.forEach((id, i) => {
  const d = p.timeDeltas[i] ?? 0;
  const leaf = byId.get(id)!;
  let name = leaf.callFrame.functionName;
  if (name !== '(idle)' && name !== '(garbage collector)' && name !== '(program)') {
    const urls: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (n.callFrame.url) urls.push(short(n.callFrame.url));
    }
    const stack = urls.join(' ');
    const innermost = urls[0] ?? '';
    name = rules.find((r) => r.re.test(r.leaf ? innermost : stack))?.name ?? 'other (event loop, timers, writev, misc)';
  }
  cat.set(name, (cat.get(name) ?? 0) + d);
});
const busy = total - (cat.get('(idle)') ?? 0);
const events = Number(process.argv.find((a) => a.startsWith('--events='))?.slice('--events='.length) ?? 0);
console.log(`\nbusy time by category (share of non-idle time${events ? `; µs per event over ${events} events` : ''}):`);
for (const [k, us] of [...cat].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1])) {
  const perEvent = events ? `${(us / events).toFixed(0).padStart(6)} µs/event  ` : '';
  console.log(`${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${perEvent}${k}`);
}
if (events) console.log(`busy per event: ${(busy / events).toFixed(0)} µs`);
