/**
 * `npm run bench`: signed webhook traffic at fixed rates against the real server and against a bare echo bot,
 * both answering through one LINE emulator, in the same run; with `--baseline <ref>`, also against the server of
 * another commit. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pg from 'pg';
import { addWorktree, BaselineError, removeAllWorktrees, type Worktree } from './lib/baseline';
import { EmulatorClient } from './lib/emulator-client';
import { benchUsers, buildRequests, planTraffic } from './lib/events';
import { closedLoop, openLoop, type LoadResult } from './lib/load';
import { freePort, killAllChildren, ROOT, serverScript, startChild, type Child } from './lib/procs';
import { cpuMs, dist, fmt, fmtInt, markdownTable, postgresCpuBetween, postgresCpuMs, type Dist } from './lib/stats';

const { values: args } = parseArguments({
  options: {
    rates: { type: 'string', default: '500,1000,1500,2000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    users: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '128' },
    'max-connections': { type: 'string', default: '64' },
    'max-duration': { type: 'string', default: '10' },
    'no-max': { type: 'boolean', default: false },
    only: { type: 'string' },
    baseline: { type: 'string' },
    pg: { type: 'boolean', default: false },
    procs: { type: 'string', default: '1' },
    'first-time': { type: 'string', default: '0.1' },
    'cpu-prof': { type: 'boolean', default: false },
    'cpu-prof-baseline': { type: 'boolean', default: false },
    'sql-timing': { type: 'boolean', default: false },
    'server-import': { type: 'string', multiple: true },
    'server-node-arg': { type: 'string', multiple: true },
    'drain-timeout': { type: 'string', default: '30' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

/** parseArgs, with a bad option said in one line (exit 2) instead of a stack trace. */
function parseArguments<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    console.error(`bench: ${err instanceof Error ? err.message : err} (--help lists the options)`);
    process.exit(2);
  }
}

if (args.help) {
  console.log(`npm run bench -- [options]
  --rates 500,1000,1500,2000   open-loop offered rates, events/s
  --duration 10           measured seconds per open-loop phase
  --warmup 2              seconds sent before the measured window of each phase (not counted)
  --users 1000            distinct LINE users sending
  --connections 128       open-loop connection pool (opened before each phase; a request waits for a free one)
  --max-connections 64    closed-loop connections of the "max" phase
  --max-duration 10       measured seconds of the "max" phase
  --no-max                skip the "max" phase
  --only server|echo      run one bot only (with --baseline: --only server runs the server and the baseline)
  --baseline <git-ref>    also run the server of another commit (HEAD~1, a hash, main) in the same run, and compare
  --pg                    the real server on PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/test)
  --procs 1,2             with --pg: the server as 1, then 2 processes on one database (the traffic spread over them)
  --first-time 0.1        share of events that are follows of first-time users (profile, welcome), each followed by
                          that user's first message; the rest are messages of citizens in conversation
  --cpu-prof              write a V8 CPU profile of the real server to bench/results/prof/
  --cpu-prof-baseline     also profile the --baseline server, to bench/results/prof/baseline/ (same traffic: before/after)
  --sql-timing            time every SQLite statement and transaction in the server (bench/results/sql-timing.txt)
  --server-import <mod>   preload a module into the server, e.g. ./bench/tools/loop-monitor.ts (repeatable)
  --server-node-arg <a>   an extra node flag for the server, e.g. --server-node-arg=--trace-gc (repeatable)
  --drain-timeout 30      seconds to wait for the last LINE calls after an open-loop phase`);
  process.exit(0);
}

const num = (name: string, v: string | undefined, min: number, max: number): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) {
    console.error(`--${name} must be a number from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
};
const RATES = (args.rates ?? '').split(',').filter(Boolean).map((r) => num('rates', r, 1, 20_000));
const DURATION_S = num('duration', args.duration, 1, 120);
const WARMUP_S = num('warmup', args.warmup, 0, 30);
const USERS = num('users', args.users, 1, 100_000);
const CONNECTIONS = num('connections', args.connections, 1, 4096);
const MAX_CONNECTIONS = num('max-connections', args['max-connections'], 1, 1024);
const MAX_DURATION_S = num('max-duration', args['max-duration'], 1, 120);
const DRAIN_TIMEOUT_S = num('drain-timeout', args['drain-timeout'], 1, 600);
const PROCS = [...new Set((args.procs ?? '1').split(',').filter(Boolean).map((p) => num('procs', p, 1, 8)))];
const FIRST_TIME = num('first-time', args['first-time'], 0, 0.5);
if (!args.pg && PROCS.some((p) => p > 1)) {
  console.error('--procs over 1 needs --pg: several server processes share one PostgreSQL database');
  process.exit(2);
}
/** Closed loop: requests prepared per measured second; the phase stops early if they run out. */
const MAX_PREPARED_PER_S = 6000;
const SETTLE_TIMEOUT_MS = 120_000;
if (args.only !== undefined && args.only !== 'server' && args.only !== 'echo') {
  console.error('--only must be server or echo');
  process.exit(2);
}
if (args.baseline !== undefined && args.only === 'echo') {
  console.error('--baseline compares the real server with another commit\'s: it needs the server, not --only echo');
  process.exit(2);
}
const DIAGNOSTICS = args['cpu-prof'] || args['sql-timing'] || (args['server-import'] ?? []).length > 0 || (args['server-node-arg'] ?? []).length > 0;

const CHANNEL_SECRET = '5f0e3a1b2c4d60718293a4b5c6d7e8f9';
const CHANNEL_ACCESS_TOKEN = 'bench-channel-access-token-not-a-real-one';
const PG_URL = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Server settings that pass through from the runner's environment, to try other values. */
const PASS_THROUGH = /^(DATABASE_POOL_|SQLITE_CACHE_|WORKER_|EVENT_|OUTBOX_|RETRY_|REPLY_TOKEN_|LOADING_|LINE_REQUEST_|WEBHOOK_MAX_|LOOP_MONITOR_)/;

/** Preloaded into every bot: its event loop's holds, a line a second (bench/tools/loop-stats.mjs), read per phase. */
const LOOP_STATS = pathToFileURL(join(ROOT, 'bench', 'tools', 'loop-stats.mjs')).href;

/** `baseline`: server/main.ts of the --baseline ref, run from its worktree. */
type BotName = 'server' | 'echo' | 'baseline';

interface Bot {
  name: BotName;
  /** How the bot is named in the results: its name, with the process count when over one ('server×2'). */
  key: string;
  /** One per process; the traffic goes to them in turn, as a load balancer would spread it. */
  children: Child[];
  ports: number[];
}

const keyOf = (name: BotName, procs: number) => (procs > 1 ? `${name}×${procs}` : name);

interface PhaseStats {
  /** The bot's key ('server', 'server×2', 'echo', 'baseline'). */
  bot: string;
  mode: 'open' | 'max';
  offered: number;
  connections: number;
  measuredS: number;
  sent: number;
  sentPerS: number;
  ackedPerS: number;
  repliedPerS: number;
  ack: Dist;
  line: Dist;
  lagP99: number;
  /** The event loop of the bot (its busiest process): the longest hold in the measured window, and the worst second's p99 (ms). */
  loopMax: number;
  loopP99: number;
  errors: number;
  lost: number;
  duplicates: number;
  replyErrors: number;
  pushes: number;
  /** Acknowledged events without a reply whose chat got a push instead (the server's fallback). */
  viaPush: number;
  /** Loading-animation calls: the server shows them when an answer takes over a moment. */
  loading: number;
  foreign: number;
  /** ms from the last request sent to the last LINE reply received. */
  drainMs: number;
  maxSockets: number;
  acksPerS: number[];
  repliesPerS: number[];
  /** LINE p99 (ms) of the events sent in each second since the start. */
  lineP99PerS: number[];
  slowest: string[];
  newConnections: number;
  /** % of one core; database: every PostgreSQL process of the machine, with --pg (NaN on SQLite). */
  cpu: { bot: number; emulator: number; runner: number; database: number };
  errorSamples: string[];
}

const cleanups: Array<() => void | Promise<void>> = [];
let cleaning: Promise<void> | undefined;
/**
 * Runs once; a second caller waits for the first run to finish (after a Ctrl-C the children die too, main fails,
 * and its error path must not exit while the signal's cleanup is still removing the temp dirs).
 */
function cleanup(): Promise<void> {
  cleaning ??= runCleanups();
  return cleaning;
}
async function runCleanups(): Promise<void> {
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch (err) {
      console.error('cleanup:', err instanceof Error ? err.message : err);
    }
  }
  killAllChildren();
  removeAllWorktrees();
}
// Also on the hard paths (process.exit from the watchdog or a second signal): no child and no worktree survives.
process.on('exit', () => {
  killAllChildren();
  removeAllWorktrees();
});
/** Set by a signal: main's failure that follows (its children are gone) is then the stop, not an error. */
let stoppedBy: string | undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    stoppedBy = signal;
    console.error(`\n${signal}: stopping the benchmark`);
    const hard = setTimeout(() => {
      killAllChildren();
      process.exit(130);
    }, 15_000);
    hard.unref();
    void cleanup().finally(() => process.exit(130));
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const log = (...a: unknown[]) => console.error('[bench]', ...a);

/** Made before anything starts, so that an unknown ref or a refusing repository stops the run with no process left. */
const worktree = args.baseline === undefined ? undefined : prepareBaseline(args.baseline);

function prepareBaseline(ref: string): Worktree {
  try {
    const tree = addWorktree(ref);
    cleanups.push(() => tree.remove());
    return tree;
  } catch (err) {
    if (!(err instanceof BaselineError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}

/** How a bot is named in the tables: the baseline with its ref and commit. */
const labelOf = (key: string): string => (key === 'baseline' && worktree ? worktree.label : key);

async function main(): Promise<void> {
  // The baseline between the other two: the alternation below puts it second at every rate, and the server and the
  // echo bot take turns before and after it.
  const names = (['echo', 'baseline', 'server'] as BotName[]).filter((b) =>
    b === 'baseline' ? worktree !== undefined : args.only === undefined || args.only === b,
  );
  const bots = names.flatMap((n) => (n === 'server' ? PROCS.map((p) => keyOf(n, p)) : [n]));
  const openPhases = RATES.length * bots.length * (WARMUP_S + DURATION_S + 8);
  const maxPhases = args['no-max'] ? 0 : bots.length * (WARMUP_S + MAX_DURATION_S + 30);
  const budgetMs = (120 + openPhases + maxPhases + (RATES.length + 1) * bots.length * DRAIN_TIMEOUT_S) * 1000;
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${Math.round(budgetMs / 1000)} s; stopping`);
    void cleanup().finally(() => process.exit(3));
  }, budgetMs);
  watchdog.unref();

  const machine = machineInfo();
  console.log(machine);

  const tmp = mkdtempSync(join(tmpdir(), 'echannel-bench-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));

  // The emulator first: both bots talk to it.
  const emuPort = await freePort();
  const emulatorChild = await startChild({
    name: 'emulator',
    script: 'emulator/main.ts',
    port: emuPort,
    readyPath: '/emulator/users',
    env: {
      EMULATOR_PORT: String(emuPort),
      EMULATOR_HOST: '127.0.0.1',
      LINE_CHANNEL_SECRET: CHANNEL_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: CHANNEL_ACCESS_TOKEN,
      EMULATOR_WEBHOOK_URL: 'http://127.0.0.1:9/webhook',
    },
  });
  cleanups.push(() => emulatorChild.stop());
  const emu = new EmulatorClient(emulatorChild.url);
  log(`emulator ${emulatorChild.url}`);

  const running: Bot[] = [];
  if (names.includes('echo')) {
    const port = await freePort();
    const child = await startChild({
      name: 'echo bot',
      script: 'bench/echo-bot.ts',
      port,
      readyPath: '/healthz',
      imports: [LOOP_STATS],
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        LINE_CHANNEL_SECRET: CHANNEL_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN: CHANNEL_ACCESS_TOKEN,
        LINE_API_BASE_URL: emulatorChild.url,
      },
    });
    cleanups.push(() => child.stop());
    running.push({ name: 'echo', key: 'echo', children: [child], ports: [port] });
    log(`echo bot ${child.url}`);
  }
  const databases: string[] = [];
  if (worktree) {
    if (DIAGNOSTICS) log('note: --cpu-prof, --sql-timing, --server-import and --server-node-arg apply to the server only: they slow it against the baseline');
    const { bot, database } = await startServerBot('baseline', 1, worktree.dir, emulatorChild.url, tmp).catch((err: unknown) => {
      // Said as the commit's problem, not the benchmark's: a commit whose server does not start cannot be compared.
      throw new Error(`the server of ${worktree.label} did not start (from ${worktree.dir}); try an older ref. ${err instanceof Error ? err.message : err}`);
    });
    running.push(bot);
    databases.push(`${worktree.label}: ${database}`);
    log(`${worktree.label} ${bot.children[0]!.url} from ${worktree.dir}`);
  }
  if (names.includes('server')) {
    for (const procs of PROCS) {
      const { bot, database } = await startServerBot('server', procs, ROOT, emulatorChild.url, tmp);
      running.push(bot);
      databases.unshift(procs > 1 ? `${bot.key}: ${database}` : database);
    }
  }
  const database = databases.length ? databases.join('; ') : 'none';

  const users = benchUsers(USERS);
  // Every citizen has a LINE profile the server may fetch (first contact); first-time users get theirs per phase.
  await emu.addUsers(users);
  // One seed per phase, shared by the bots: each bot gets the same users in the same order at each rate, so that
  // a difference between them is never the traffic's.
  const WARMUP_SEED = 1;
  const rateSeed = (i: number) => 2 + i;
  const maxSeed = 2 + RATES.length;
  const byKey = (k: string) => running.find((b) => b.key === k)!;

  // Warm-up: JIT, connection pools, SQLite pages. Not reported, except when something went wrong.
  let warmupSent = 0;
  for (const bot of running) {
    await settleOrWarn(running);
    const s = await openPhase(bot, emu, emulatorChild, users, 300, 3, 0, WARMUP_SEED);
    log(`warm-up ${bot.key}: ${fmtInt(s.ackedPerS)} acked/s, errors ${s.errors}, lost ${s.lost}`);
    if (bot.key === 'server') warmupSent += s.sent;
  }

  const results: PhaseStats[] = [];
  let flip = false;
  for (const [i, rate] of RATES.entries()) {
    const order = flip ? [...running].reverse() : running;
    flip = !flip;
    for (const bot of order) {
      await settleOrWarn(running);
      log(`${bot.key} at ${rate}/s for ${WARMUP_S}+${DURATION_S} s ...`);
      const s = await openPhase(bot, emu, emulatorChild, users, rate, DURATION_S, WARMUP_S, rateSeed(i));
      results.push(s);
      log(summary(s));
    }
  }
  if (!args['no-max']) {
    const order = flip ? [...running].reverse() : running;
    for (const bot of order) {
      await settleOrWarn(running);
      log(`${bot.key}: max, ${MAX_CONNECTIONS} connections, ${WARMUP_S}+${MAX_DURATION_S} s ...`);
      const s = await maxPhase(bot, emu, emulatorChild, users, maxSeed);
      results.push(s);
      log(summary(s));
    }
  }

  const comparison = worktree ? compareToBaseline(results, worktree) : undefined;
  const report = render(results, machine, database, bots.map(byKey), comparison);
  console.log(`\n${report}`);
  const outDir = join(ROOT, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.md'), `${report}\n`);
  writeFileSync(join(outDir, 'latest.json'), JSON.stringify({ machine, database, baseline: comparison, results }, null, 2));
  log(`written to bench/results/latest.md`);

  // What the children printed (warnings, --trace-gc, the loop monitor), for whoever looks.
  for (const c of [...running.flatMap((b) => b.children), emulatorChild]) {
    writeFileSync(join(outDir, `${c.name.replace(/\s+/g, '-')}.log`), c.output());
  }
  for (const c of running.filter((b) => b.name !== 'echo').flatMap((b) => b.children)) {
    const out = c.output().split('\n').filter((l) => !l.startsWith('[loop-stats]')).join('\n').trim();
    if (out) log(`${c.name} output (last lines; all of it in bench/results/${c.name.replace(/\s+/g, '-')}.log):\n${out.split('\n').slice(-15).join('\n')}`);
  }
  // The CPU profile covers everything the server received: warm-up and every phase (profile-summary --events).
  const serverEvents = results.filter((r) => r.bot === 'server').reduce((n, r) => n + r.sent, 0) + warmupSent;
  if (args['cpu-prof']) log(`the server received ${serverEvents} events in all: npx tsx bench/tools/profile-summary.ts <profile> --events=${serverEvents} --skip=4`);
}

/** A database of the configured kind for one server, its own: a fresh SQLite file, or a fresh PostgreSQL schema. */
async function freshDatabase(name: string, tmp: string): Promise<{ url: string; description: string }> {
  if (!args.pg) return { url: `sqlite:${join(tmp, `${name}.sqlite`)}`, description: 'SQLite (fresh file in a temp dir, WAL)' };
  const schema = `bench_${name}_${Date.now()}_${process.pid}`;
  await pgAdmin(`CREATE SCHEMA ${schema}`);
  cleanups.push(() => pgAdmin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  const sep = PG_URL.includes('?') ? '&' : '?';
  return { url: `${PG_URL}${sep}options=-c%20search_path%3D${schema}`, description: `PostgreSQL (schema ${schema})` };
}

/**
 * The server from `cwd` (built, as `npm start` runs it: serverScript): the working tree (the server) or the --baseline worktree. Both get the same
 * environment and the same kind of database; the diagnostics (--cpu-prof, ...) only the server, since their
 * tools live in the working tree.
 */
async function startServerBot(name: 'server' | 'baseline', procs: number, cwd: string, emulatorUrl: string, tmp: string): Promise<{ bot: Bot; database: string }> {
  const key = keyOf(name, procs);
  const db = await freshDatabase(procs > 1 ? `${name}${procs}` : name, tmp);
  const passed = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => PASS_THROUGH.test(e[0]) && e[1] !== undefined),
  );
  // The diagnostics profile the working tree's server, each of its processes (their tools live in the working tree); a CPU
  // profile of the baseline too when asked (node's own flag: nothing of the working tree runs in it).
  const diagnose = name === 'server';
  const profDir = join(ROOT, 'bench', 'results', 'prof', ...(key === 'baseline' ? ['baseline'] : []));
  const profile = (diagnose && args['cpu-prof']) || (key === 'baseline' && args['cpu-prof-baseline']);
  if (profile) mkdirSync(profDir, { recursive: true });
  const children: Child[] = [];
  const ports: number[] = [];
  const script = serverScript(cwd);
  // One after the other: the first creates the data key and migrates, the others find both done.
  for (let i = 0; i < procs; i++) {
    const port = await freePort();
    const child = await startChild({
      name: procs > 1 ? `${key} #${i + 1}` : key,
      script,
      cwd,
      port,
      readyPath: '/readyz',
      nodeArgs: [...(profile ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), ...(diagnose ? (args['server-node-arg'] ?? []) : [])],
      imports: [LOOP_STATS, ...(diagnose ? [...(args['sql-timing'] ? ['./bench/tools/sql-timing.ts'] : []), ...(args['server-import'] ?? [])] : [])],
      env: {
        ...passed,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: db.url,
        // The key for personal numbers at rest, made on first start: in the temp dir, so that a run leaves nothing in
        // the repository (the default is data/ under the cwd). One per bot: its processes share it, as a deployment's do.
        DATA_KEY_FILE: join(tmp, `${key}-data-key`),
        LINE_CHANNEL_SECRET: CHANNEL_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN: CHANNEL_ACCESS_TOKEN,
        LINE_API_BASE_URL: emulatorUrl,
        LINE_DATA_API_BASE_URL: emulatorUrl,
        LOG_LEVEL: 'warn',
      },
    });
    // Graceful stop: the CPU profile is written at exit.
    cleanups.push(() => child.stop(15_000));
    children.push(child);
    ports.push(port);
  }
  log(`${key} ${children.map((c) => c.url).join(', ')} on ${db.description}${Object.keys(passed).length ? ` with ${JSON.stringify(passed)}` : ''}`);
  return { bot: { name, key, children, ports }, database: db.description };
}

async function settleOrWarn(bots: readonly Bot[]): Promise<void> {
  const ms = await settle(bots);
  if (ms < 0) log(`warning: a bot was still busy after ${SETTLE_TIMEOUT_MS / 1000} s; the next phase shares the machine with it`);
  else if (ms > 1500) log(`(waited ${fmt(ms / 1000)} s for the bots to become idle)`);
}

function machineInfo(): string {
  const c = cpus();
  return [
    `CPU: ${c[0]?.model ?? 'unknown'} × ${c.length} cores`,
    `memory: ${Math.round(totalmem() / 2 ** 30)} GiB, load average before start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `node ${process.version} on ${process.platform} ${release()}`,
  ].join('\n');
}

async function pgAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Waits until every bot process is idle (under 15 % of a core over a second; a profiled process idles near 10 %), so that a backlog left by one
 * phase never runs during the next. Bounded by SETTLE_TIMEOUT_MS; returns how long it took (-1: timed out).
 */
async function settle(bots: readonly Bot[]): Promise<number> {
  const start = performance.now();
  const pids = bots.flatMap((b) => b.children.map((c) => c.child.pid));
  let prev = pids.map((pid) => cpuMs(pid));
  let prevAt = performance.now();
  for (;;) {
    await sleep(1000);
    const now = pids.map((pid) => cpuMs(pid));
    const at = performance.now();
    const busiest = Math.max(...now.map((c, i) => ((c - prev[i]!) / (at - prevAt)) * 100));
    if (!(busiest >= 15)) return at - start;
    if (at - start > SETTLE_TIMEOUT_MS) return -1;
    prev = now;
    prevAt = at;
  }
}

/**
 * Requests for `count` events (planTraffic: citizens in conversation, and first-time users' follows and first
 * messages), each with a valid reply token of its chat; the first-time users' LINE profiles are made first.
 */
async function prepare(emu: EmulatorClient, users: readonly string[], count: number, seed: number) {
  const { events, newcomers } = planTraffic(users, count, seed, FIRST_TIME);
  await emu.addUsers(newcomers);
  const tokens = await emu.mintForEvents(events.map((e) => e.userId));
  return buildRequests(CHANNEL_SECRET, events, tokens);
}

interface CpuSnapshot {
  bot: number;
  emulator: number;
  runner: number;
  database: Map<number, number>;
  at: number;
}

function cpuSnapshot(bot: Bot, emulator: Child): CpuSnapshot {
  const self = process.cpuUsage();
  return {
    bot: bot.children.reduce((sum, c) => sum + cpuMs(c.child.pid), 0),
    emulator: cpuMs(emulator.child.pid),
    runner: (self.user + self.system) / 1000,
    database: args.pg ? postgresCpuMs() : new Map(),
    at: performance.now(),
  };
}

function cpuPercent(a: CpuSnapshot, b: CpuSnapshot): PhaseStats['cpu'] {
  const wall = b.at - a.at;
  const pct = (x: number, y: number) => ((y - x) / wall) * 100;
  return { bot: pct(a.bot, b.bot), emulator: pct(a.emulator, b.emulator), runner: pct(a.runner, b.runner), database: (postgresCpuBetween(a.database, b.database) / wall) * 100 };
}

const targetsOf = (bot: Bot) => bot.ports.map((port) => ({ host: '127.0.0.1', port, path: '/webhook', warmPath: '/healthz' }));

async function openPhase(
  bot: Bot,
  emu: EmulatorClient,
  emulator: Child,
  users: readonly string[],
  rate: number,
  durationS: number,
  warmupS: number,
  seed: number,
): Promise<PhaseStats> {
  await emu.reset();
  const count = Math.round(rate * (warmupS + durationS));
  const requests = await prepare(emu, users, count, seed);
  const cpu0 = cpuSnapshot(bot, emulator);
  const load = await openLoop({ targets: targetsOf(bot), requests, rate, connections: CONNECTIONS });
  const cpu1 = cpuSnapshot(bot, emulator);
  const from = load.t0 + warmupS * 1000;
  const to = from + durationS * 1000;
  return analyse(bot, 'open', rate, 0, load, requests.map((r) => r.replyToken), requests.map((r) => r.userId), from, to, emu, DRAIN_TIMEOUT_S * 1000, cpuPercent(cpu0, cpu1));
}

async function maxPhase(bot: Bot, emu: EmulatorClient, emulator: Child, users: readonly string[], seed: number): Promise<PhaseStats> {
  await emu.reset();
  const count = MAX_PREPARED_PER_S * (WARMUP_S + MAX_DURATION_S);
  const requests = await prepare(emu, users, count, seed);
  const cpu0 = cpuSnapshot(bot, emulator);
  const load = await closedLoop({
    targets: targetsOf(bot),
    requests,
    connections: MAX_CONNECTIONS,
    durationMs: (WARMUP_S + MAX_DURATION_S) * 1000,
  });
  const cpu1 = cpuSnapshot(bot, emulator);
  if (load.sent === count) log(`note: all ${count} prepared requests were used; the max phase ended early`);
  const from = load.t0 + WARMUP_S * 1000;
  const to = Math.min(load.t0 + (WARMUP_S + MAX_DURATION_S) * 1000, load.lastAnswerAt);
  const used = requests.slice(0, load.sent);
  return analyse(bot, 'max', 0, MAX_CONNECTIONS, load, used.map((r) => r.replyToken), used.map((r) => r.userId), from, to, emu, Math.max(DRAIN_TIMEOUT_S, 120) * 1000, cpuPercent(cpu0, cpu1));
}

/**
 * Waits (bounded) for the LINE reply of every acknowledged event, matching the emulator's recorded reply calls
 * to events by reply token, then computes the phase's figures over the measured window [from, to).
 */
async function analyse(
  bot: Bot,
  mode: 'open' | 'max',
  offered: number,
  connections: number,
  load: LoadResult,
  tokens: string[],
  users: string[],
  from: number,
  to: number,
  emu: EmulatorClient,
  drainTimeoutMs: number,
  cpu: PhaseStats['cpu'],
): Promise<PhaseStats> {
  const n = load.sent;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(tokens[i]!, i);
  const lineAt = new Float64Array(n).fill(-1);
  let expected = 0;
  for (let i = 0; i < n; i++) if (load.status[i] === 200) expected++;
  let seen = 0;
  let seenExpected = 0;
  let duplicates = 0;
  let replyErrors = 0;
  let foreign = 0;
  let lastSeq = 0;
  let lastReplyWall = 0;

  const deadline = Date.now() + drainTimeoutMs;
  for (;;) {
    const calls = await emu.calls(lastSeq, 'reply');
    for (const c of calls) {
      lastSeq = Math.max(lastSeq, c.seq);
      const token = (c.body as { replyToken?: unknown } | undefined)?.replyToken;
      const i = typeof token === 'string' ? index.get(token) : undefined;
      if (i === undefined) {
        foreign++;
        continue;
      }
      if (lineAt[i]! >= 0) {
        duplicates++;
        continue;
      }
      if (c.status !== 200) {
        replyErrors++;
        continue;
      }
      lineAt[i] = c.at;
      lastReplyWall = Math.max(lastReplyWall, c.at);
      seen++;
      if (load.status[i] === 200) seenExpected++;
    }
    if (seenExpected >= expected || Date.now() > deadline) break;
    await sleep(250);
  }
  // A short look for late duplicates and for pushes (the server falls back to push when a reply fails).
  await sleep(500);
  for (const c of await emu.calls(lastSeq, 'reply')) {
    const token = (c.body as { replyToken?: unknown } | undefined)?.replyToken;
    const i = typeof token === 'string' ? index.get(token) : undefined;
    if (i !== undefined && lineAt[i]! >= 0) duplicates++;
  }
  // A reply that failed or came too late is sent by push (no reply token to match): count pushes per chat, and an
  // acknowledged event without a reply is lost only when its chat did not get a push for it either.
  const pushCalls = (await emu.calls(0, 'push')).filter((c) => c.status === 200);
  const pushes = pushCalls.length;
  const pushesTo = new Map<string, number>();
  for (const c of pushCalls) {
    const to = (c.body as { to?: unknown } | undefined)?.to;
    if (typeof to === 'string') pushesTo.set(to, (pushesTo.get(to) ?? 0) + 1);
  }
  const loading = (await emu.calls(0, 'loading')).length;

  // perf clock -> wall clock, for the window of LINE calls.
  const wallOffset = Date.now() - performance.now();
  const inWindow = (t: number) => t >= from && t < to;
  const windowS = (to - from) / 1000;
  const ack: number[] = [];
  const line: number[] = [];
  const lag: number[] = [];
  let errors = 0;
  let lost = 0;
  let sentInWindow = 0;
  let ackedInWindow = 0;
  let repliedInWindow = 0;
  const missingBy = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const status = load.status[i]!;
    if (status !== 200) errors++;
    else if (lineAt[i]! < 0) missingBy.set(users[i]!, (missingBy.get(users[i]!) ?? 0) + 1);
    if (inWindow(load.sentAt[i]!)) sentInWindow++;
    if (status === 200 && inWindow(load.ackAt[i]!)) ackedInWindow++;
    if (lineAt[i]! >= 0 && inWindow(lineAt[i]! - wallOffset)) repliedInWindow++;
    // Latencies of the events scheduled in the window (open loop) or sent in it (closed loop).
    if (!inWindow(load.intendedAt[i]!)) continue;
    lag.push(load.sentAt[i]! - load.intendedAt[i]!);
    if (status === 200) ack.push(load.ackAt[i]! - load.sentAt[i]!);
    if (lineAt[i]! >= 0) line.push(lineAt[i]! - load.sentWall[i]!);
  }
  // Per second since the start: acknowledgements and LINE replies, to see a backlog build or drain.
  const acksPerS: number[] = [];
  const repliesPerS: number[] = [];
  const bump = (arr: number[], t: number) => {
    const sec = Math.floor((t - load.t0) / 1000);
    if (sec < 0 || sec > 600) return;
    while (arr.length <= sec) arr.push(0);
    arr[sec]!++;
  };
  // And the LINE p99 of the events sent in each second: whether the tail is spread or comes from one stretch.
  const lineBySecond: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (load.status[i] === 200) bump(acksPerS, load.ackAt[i]!);
    if (lineAt[i]! >= 0) bump(repliesPerS, lineAt[i]! - wallOffset);
    const sec = Math.floor((load.sentAt[i]! - load.t0) / 1000);
    if (lineAt[i]! >= 0 && sec >= 0 && sec <= 600) (lineBySecond[sec] ??= []).push(lineAt[i]! - load.sentWall[i]!);
  }
  const lineP99PerS = Array.from(lineBySecond, (xs) => (xs ? dist(xs).p99 : NaN));
  // The slowest acknowledgements, and whether they waited for a new connection (a SYN lost to a full accept queue
  // costs a 1 s retransmission, and shows here).
  const slowest = [...Array(n).keys()]
    .filter((i) => load.status[i] === 200)
    .sort((a, b) => load.ackAt[b]! - load.sentAt[b]! - (load.ackAt[a]! - load.sentAt[a]!))
    .slice(0, 5)
    .map((i) => `${fmt(load.ackAt[i]! - load.sentAt[i]!, 0)} ms at +${fmt((load.sentAt[i]! - load.t0) / 1000)} s${load.newConnection[i] ? ' (new connection)' : ''}`);
  let newConnections = 0;
  for (let i = 0; i < n; i++) newConnections += load.newConnection[i]!;
  let viaPush = 0;
  for (const [user, missing] of missingBy) {
    const pushed = Math.min(missing, pushesTo.get(user) ?? 0);
    viaPush += pushed;
    lost += missing - pushed;
  }
  const lastSentWall = load.lastSentAt + wallOffset;
  const loop = loopStats(bot, from + wallOffset, to + wallOffset);
  return {
    bot: bot.key,
    mode,
    offered,
    connections,
    measuredS: windowS,
    sent: n,
    sentPerS: sentInWindow / windowS,
    ackedPerS: ackedInWindow / windowS,
    repliedPerS: repliedInWindow / windowS,
    ack: dist(ack),
    line: dist(line),
    lagP99: dist(lag).p99,
    loopMax: loop.max,
    loopP99: loop.p99,
    errors,
    lost,
    duplicates,
    replyErrors,
    pushes,
    viaPush,
    loading,
    foreign,
    drainMs: lastReplyWall > 0 ? lastReplyWall - lastSentWall : NaN,
    maxSockets: load.maxSockets,
    acksPerS,
    repliesPerS,
    lineP99PerS,
    slowest,
    newConnections,
    cpu,
    errorSamples: load.errorSamples,
  };
}

/**
 * The bot's event loop over [fromWall, toWall): from the lines bench/tools/loop-stats.mjs prints each second, the
 * longest hold and the worst second's 99th percentile, over its processes (NaN when none printed).
 */
function loopStats(bot: Bot, fromWall: number, toWall: number): { max: number; p99: number } {
  let max = NaN;
  let p99 = NaN;
  for (const c of bot.children) {
    for (const line of c.output().split('\n')) {
      if (!line.startsWith('[loop-stats] ')) continue;
      const r = JSON.parse(line.slice('[loop-stats] '.length)) as { at: number; max: number; p99: number };
      // Each line covers the second before its time stamp.
      if (r.at <= fromWall || r.at - 1000 >= toWall) continue;
      max = Number.isNaN(max) ? r.max : Math.max(max, r.max);
      p99 = Number.isNaN(p99) ? r.p99 : Math.max(p99, r.p99);
    }
  }
  return { max, p99 };
}

function summary(s: PhaseStats): string {
  const timeline = s.repliesPerS.map((r, i) => `${s.acksPerS[i] ?? 0}/${r}`).join(' ');
  return (
    `${s.bot} ${s.mode === 'open' ? `${s.offered}/s` : `max(${s.connections})`} acked/replied per second: ${timeline}\n[bench] ` +
    `${s.bot} ${s.mode === 'open' ? `${s.offered}/s` : `max(${s.connections})`} LINE p99 ms by second sent: ${s.lineP99PerS.map((v) => fmt(v, 0)).join(' ')}\n[bench] ` +
    `${s.bot} ${s.mode === 'open' ? `${s.offered}/s` : `max(${s.connections})`}: sent ${fmtInt(s.sentPerS)}/s, acked ${fmtInt(s.ackedPerS)}/s, ` +
    `replied ${fmtInt(s.repliedPerS)}/s, ack p50/p99 ${fmt(s.ack.p50)}/${fmt(s.ack.p99)} ms, ` +
    `LINE p50/p99 ${fmt(s.line.p50)}/${fmt(s.line.p99)} ms, loop max/p99 ${fmt(s.loopMax, 0)}/${fmt(s.loopP99, 0)} ms, errors ${s.errors}, lost ${s.lost}, dup ${s.duplicates}, ` +
    `via push ${s.viaPush}, loading calls ${s.loading}, connections opened ${s.newConnections}, ` +
    `slowest acks ${s.slowest.join(', ')}, ` +
    `drain ${fmt(s.drainMs, 0)} ms, cpu bot/emu/gen ${fmt(s.cpu.bot, 0)}/${fmt(s.cpu.emulator, 0)}/${fmt(s.cpu.runner, 0)} %` +
    (s.errorSamples.length ? `, e.g. ${s.errorSamples[0]}` : '')
  );
}

/** Sustained throughput: what was both acknowledged and answered on LINE per second. */
const sustained = (s: PhaseStats) => Math.min(s.ackedPerS, s.repliedPerS);

function keptUp(s: PhaseStats): boolean {
  return s.ackedPerS >= 0.97 * s.offered && s.repliedPerS >= 0.97 * s.offered && s.errors === 0 && s.lost === 0 && s.line.p99 < 1000;
}

/** The server against the --baseline commit, from the same run: what the README's "in one run" asks for. */
interface BaselineComparison {
  ref: string;
  commit: string;
  label: string;
  /** Sustained events/s of the max phase (null without one, or when a bot has none). */
  max: { server: number; baseline: number; ratio: number; diffPct: number } | null;
  rates: Array<{ offered: number; serverSustained: number; baselineSustained: number; serverLineP99: number; baselineLineP99: number }>;
}

function compareToBaseline(results: readonly PhaseStats[], tree: Worktree): BaselineComparison {
  const of = (bot: BotName, pred: (s: PhaseStats) => boolean) => results.find((s) => s.bot === bot && pred(s));
  const isMax = (s: PhaseStats) => s.mode === 'max';
  const serverMax = of('server', isMax);
  const baselineMax = of('baseline', isMax);
  let max: BaselineComparison['max'] = null;
  if (serverMax && baselineMax) {
    const ratio = sustained(serverMax) / sustained(baselineMax);
    max = { server: sustained(serverMax), baseline: sustained(baselineMax), ratio, diffPct: (ratio - 1) * 100 };
  }
  const rates: BaselineComparison['rates'] = [];
  for (const rate of RATES) {
    const isRate = (s: PhaseStats) => s.mode === 'open' && s.offered === rate;
    const server = of('server', isRate);
    const baseline = of('baseline', isRate);
    if (!server || !baseline) continue;
    rates.push({
      offered: rate,
      serverSustained: sustained(server),
      baselineSustained: sustained(baseline),
      serverLineP99: server.line.p99,
      baselineLineP99: baseline.line.p99,
    });
  }
  return { ref: tree.ref, commit: tree.commit, label: tree.label, max, rates };
}

const signedPct = (pct: number) => (Number.isFinite(pct) ? `${pct >= 0 ? '+' : ''}${fmt(pct)} %` : '–');

function renderComparison(c: BaselineComparison): string[] {
  const out = [`## Server vs ${c.label}`, ''];
  out.push(
    `The working tree's server against commit ${c.commit} in the same run: same traffic (the same users in the same ` +
      'order per phase), same environment, each on its own fresh database. Sustained = min(acked/s, replied/s).',
    '',
  );
  out.push(
    c.max
      ? `- max (${MAX_CONNECTIONS} conn): server ${fmtInt(c.max.server)} sustained events/s, baseline ${fmtInt(c.max.baseline)}/s: ` +
          `ratio ${fmt(c.max.ratio, 2)}, ${signedPct(c.max.diffPct)} for the server`
      : '- max: not compared (no max phase for both)',
    '',
  );
  if (c.rates.length) {
    const rows = c.rates.map((r) => [
      fmtInt(r.offered),
      fmtInt(r.serverSustained),
      fmtInt(r.baselineSustained),
      fmt(r.serverLineP99, 0),
      fmt(r.baselineLineP99, 0),
      signedPct((r.serverLineP99 / r.baselineLineP99 - 1) * 100),
    ]);
    const header = ['offered/s', 'server sustained/s', 'baseline sustained/s', 'server LINE p99 ms', 'baseline LINE p99 ms', 'server p99 vs baseline'];
    out.push(markdownTable(header, rows), '');
  }
  return out;
}

/** Server processes against one database, phase by phase: sustained events/s and latencies beside the echo bot. */
function renderScaling(results: PhaseStats[]): string[] {
  const phases = [...RATES.map((r) => ({ label: fmtInt(r), pred: (s: PhaseStats) => s.mode === 'open' && s.offered === r }))];
  if (!args['no-max']) phases.push({ label: `max (${MAX_CONNECTIONS} conn)`, pred: (s: PhaseStats) => s.mode === 'max' });
  const keys = PROCS.map((p) => keyOf('server', p));
  const rows: string[][] = [];
  for (const ph of phases) {
    const echo = results.find((s) => s.bot === 'echo' && ph.pred(s));
    const first = results.find((s) => s.bot === keys[0] && ph.pred(s));
    for (const k of keys) {
      const r = results.find((s) => s.bot === k && ph.pred(s));
      if (!r) continue;
      const gain = first && r !== first ? signedPct((sustained(r) / sustained(first) - 1) * 100) : '';
      rows.push([ph.label, k, fmtInt(sustained(r)), gain, fmt(r.ack.p99), fmt(r.line.p99, 0), echo ? fmtInt(sustained(echo)) : '–', echo ? fmt(sustained(r) / sustained(echo), 2) : '–']);
    }
  }
  const header = ['offered/s', 'server', 'sustained/s', `vs ${keys[0]}`, 'ack p99', 'LINE p99', 'echo sustained/s', 'vs echo'];
  return ['## Server processes on one database', '', markdownTable(header, rows), ''];
}

function render(results: PhaseStats[], machine: string, database: string, bots: Bot[], comparison: BaselineComparison | undefined): string {
  const out: string[] = [];
  out.push('# E-Channel webhook benchmark', '');
  const dbLabel = comparison ? 'database (real server; baseline)' : 'database (real server)';
  out.push('```', machine, `${dbLabel}: ${database}`, `run: ${new Date().toISOString()}`, '```', '');
  out.push(
    `Open loop: ${RATES.join(', ')} events/s, ${WARMUP_S} s warm-up + ${DURATION_S} s measured per phase, one event per ` +
      `signed request, ${USERS} users in conversation and ${fmt(FIRST_TIME * 100, 0)} % of the events follows of first-time users (each followed by their first message), ` +
      `up to ${CONNECTIONS} keep-alive connections (opened beforehand). Max: closed loop, ${MAX_CONNECTIONS} connections, ${WARMUP_S} s + ${MAX_DURATION_S} s. ` +
      'Latencies in ms from the moment a request was sent: ack = its 200 arrived; LINE = the emulator received the reply ' +
      'call with its reply token. Loop = how long the bot\'s event loop was held (5 ms timer): the longest, and the worst second\'s p99.',
    '',
  );
  const header = [
    'bot', 'offered/s', 'sent/s', 'acked/s', 'replied/s', 'ack p50', 'ack p99', 'LINE p50', 'LINE p99', 'LINE max',
    'loop max', 'loop p99', 'errors', 'lost', 'dup', 'via push', 'drain ms', 'kept up', args.pg ? 'CPU bot/emu/gen/pg %' : 'CPU bot/emu/gen %',
  ];
  const row = (s: PhaseStats) => [
    labelOf(s.bot),
    s.mode === 'open' ? fmtInt(s.offered) : `max (${s.connections} conn)`,
    fmtInt(s.sentPerS),
    fmtInt(s.ackedPerS),
    fmtInt(s.repliedPerS),
    fmt(s.ack.p50),
    fmt(s.ack.p99),
    fmt(s.line.p50, 0),
    fmt(s.line.p99, 0),
    fmt(s.line.max, 0),
    fmt(s.loopMax, 0),
    fmt(s.loopP99, 0),
    String(s.errors),
    String(s.lost),
    String(s.duplicates),
    String(s.viaPush),
    fmt(s.drainMs, 0),
    s.mode === 'open' ? (keptUp(s) ? 'yes' : 'NO') : '–',
    `${fmt(s.cpu.bot, 0)}/${fmt(s.cpu.emulator, 0)}/${fmt(s.cpu.runner, 0)}` + (args.pg ? `/${fmt(s.cpu.database, 0)}` : ''),
  ];
  out.push('## Phases', '');
  out.push(markdownTable(header, results.map(row)), '');

  const pair = (pred: (s: PhaseStats) => boolean) => ({
    server: results.find((s) => s.bot === 'server' && pred(s)),
    echo: results.find((s) => s.bot === 'echo' && pred(s)),
  });
  const ratioRows: string[][] = [];
  for (const rate of RATES) {
    const p = pair((s) => s.mode === 'open' && s.offered === rate);
    if (p.server && p.echo) ratioRows.push([fmtInt(rate), fmtInt(sustained(p.server)), fmtInt(sustained(p.echo)), fmt(sustained(p.server) / sustained(p.echo), 2)]);
  }
  const max = pair((s) => s.mode === 'max');
  if (max.server && max.echo) {
    ratioRows.push([`max (${MAX_CONNECTIONS} conn)`, fmtInt(sustained(max.server)), fmtInt(sustained(max.echo)), fmt(sustained(max.server) / sustained(max.echo), 2)]);
  }
  // The most each bot answered per second in any phase. Past its capacity the server answers fewer than at its
  // capacity, by design: intake comes first (every webhook is stored and acknowledged at once), so the events it
  // acknowledges beyond what it answers take time from the answers. The closed loop shows that most (it sends the
  // next request as soon as one is acknowledged); the open-loop rate just under capacity shows what it can answer.
  const most = (bot: string) => results.filter((s) => s.bot === bot).reduce<PhaseStats | null>((m, s) => (m && sustained(m) >= sustained(s) ? m : s), null);
  const mostServer = most('server');
  const mostEcho = most('echo');
  const at = (s: PhaseStats) => (s.mode === 'max' ? `max (${MAX_CONNECTIONS} conn)` : `at ${fmtInt(s.offered)}/s`);
  if (mostServer && mostEcho) {
    ratioRows.push([`most, any phase`, `${fmtInt(sustained(mostServer))} (${at(mostServer)})`, `${fmtInt(sustained(mostEcho))} (${at(mostEcho)})`, fmt(sustained(mostServer) / sustained(mostEcho), 2)]);
  }
  if (ratioRows.length) {
    out.push('## Throughput, server / echo', '');
    out.push('Sustained = min(acked/s, replied/s): events both acknowledged and answered on LINE per second.', '');
    out.push(markdownTable(['offered/s', 'server sustained/s', 'echo sustained/s', 'ratio'], ratioRows), '');
  }

  if (comparison) out.push(...renderComparison(comparison));

  if (PROCS.length > 1) out.push(...renderScaling(results));

  if (bots.some((b) => b.key === 'server')) {
    const checks: string[] = [];
    if (mostServer && mostEcho) {
      const ratio = sustained(mostServer) / sustained(mostEcho);
      // The issue's 0.7 is asked of SQLite, the default; on PostgreSQL the ratio is reported, not judged.
      const verdict = args.pg ? 'on PostgreSQL' : ratio >= 0.7 ? 'PASS' : 'FAIL';
      checks.push(`- ${verdict}: the most events answered per second, ${fmtInt(sustained(mostServer))} (${at(mostServer)}), is ${fmt(ratio * 100, 0)} % of the echo bot's ${fmtInt(sustained(mostEcho))} (${at(mostEcho)}) (target ≥ 70 % on SQLite)`);
    }
    if (max.server && max.echo) {
      const ratio = sustained(max.server) / sustained(max.echo);
      checks.push(`- (closed loop) the server answered ${fmt(ratio * 100, 0)} % of the echo bot's while acknowledging ${fmtInt(max.server.ackedPerS)}/s: past its capacity intake comes first`);
    }
    const at500 = results.find((s) => s.bot === 'server' && s.mode === 'open' && s.offered === 500);
    if (at500) {
      const ok = at500.line.p99 < 200 && at500.ack.p99 < 50 && keptUp(at500);
      checks.push(`- ${ok ? 'PASS' : 'FAIL'}: at 500/s, LINE p99 ${fmt(at500.line.p99, 0)} ms (target < 200), ack p99 ${fmt(at500.ack.p99)} ms (target < 50)${keptUp(at500) ? '' : ', and it did not keep up'}`);
    }
    for (const s of results.filter((r) => r.bot === 'server' && r.mode === 'open')) {
      if (s.offered === 500) continue;
      checks.push(`- ${s.ack.p99 < 50 ? 'PASS' : 'FAIL'}: at ${fmtInt(s.offered)}/s${keptUp(s) ? '' : ' (past capacity)'}, ack p99 ${fmt(s.ack.p99)} ms (target < 50 even past capacity), loop held at most ${fmt(s.loopMax, 0)} ms`);
    }
    const bad = results.filter((s) => s.bot === 'server' && (s.lost > 0 || s.duplicates > 0 || s.replyErrors > 0));
    for (const s of bad) {
      checks.push(`- FAIL: server ${s.mode === 'open' ? `${s.offered}/s` : 'max'}: lost ${s.lost}, duplicates ${s.duplicates}, failed replies ${s.replyErrors}`);
    }
    if (!bad.length) checks.push('- PASS: nothing lost or answered twice in any phase');
    out.push('## Targets (real server)', '', ...checks, '');
  }
  return out.join('\n');
}

main().then(
  async () => {
    await cleanup();
    process.exit(0);
  },
  async (err) => {
    if (!stoppedBy) console.error('bench failed:', err instanceof Error ? err.stack ?? err.message : err);
    await cleanup();
    process.exit(stoppedBy ? 130 : 1);
  },
);
