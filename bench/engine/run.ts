/**
 * `npm run bench:engine`: the cost of one conversation step through the data-driven flow engine, on a 50-node
 * flow, against a hand-written step that does the same work as code, in the same run. In-process, no I/O, no
 * database: what the server's worker spends per event besides storage and LINE. See bench/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { i18n } from '../../locales/i18n';
import {
  createEngineTexts,
  deserializeState,
  initialState,
  MemoryFlowSet,
  serializeState,
  step,
  type ConversationState,
  type EngineContext,
  type StepResult,
} from '../../flows/engine';
import { CONDITIONS } from '../../flows/registry/conditions';
import { ROOT } from '../lib/procs';
import { fmt, fmtInt, markdownTable, percentile } from '../lib/stats';
import { benchFlows, BENCH_FLOW, CONTACT_FLOW, CONVERSATION, MIDDLE_STEP } from './flow-50';
import { handWrittenStep } from './hand-written';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    'warmup-seconds': { type: 'string', default: '0.5' },
    'min-iterations': { type: 'string', default: '2000' },
    'max-iterations': { type: 'string', default: '200000' },
    iterations: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (args.help) {
  console.log(`npm run bench:engine -- [options]
  --seconds 3             measured time per case, over all rounds: the step count is this over the warm-up's
                          mean time, within --min-iterations and --max-iterations
  --rounds 3              the cases take turns this many times, so that a busy moment on the machine falls on
                          all of them rather than on one
  --warmup-seconds 0.5    unmeasured time per case first (JIT, caches, i18next bundles)
  --min-iterations 2000   fewest measured steps per case
  --max-iterations 200000 most measured steps per case
  --iterations N          exactly N measured steps per case instead (whole conversations: rounded up)
  --cpu-prof              afterwards, profile the engine step and whole conversations (not counted in the
                          table) into bench/results/prof/; read with: npx tsx bench/tools/profile-summary.ts <file>`);
  process.exit(0);
}

const num = (name: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) {
    console.error(`--${name} must be a number of at least ${min}`);
    process.exit(2);
  }
  return n;
};
const SECONDS = num('seconds', args.seconds, 0.1);
const ROUNDS = Math.round(num('rounds', args.rounds, 1));
const WARMUP_S = num('warmup-seconds', args['warmup-seconds'], 0);
const MIN_ITERATIONS = Math.round(num('min-iterations', args['min-iterations'], 10));
const MAX_ITERATIONS = Math.max(MIN_ITERATIONS, Math.round(num('max-iterations', args['max-iterations'], 10)));
const FIXED_ITERATIONS = args.iterations === undefined ? undefined : Math.round(num('iterations', args.iterations, 10));

/** 10:00 on Wednesday 25 November 2026, Bangkok (the test suite's clock): a weekday, office hours. */
const NOW = Date.parse('2026-11-25T10:00:00+07:00');

// ── The flows, the context and the states the cases start from ────────────────────────────────────────────

const flows = benchFlows();
/** As the server builds it per event (bot/flow-handler.ts), built once here: the cost is a Map of four flows. */
const ctx: EngineContext = {
  flows: new MemoryFlowSet(flows),
  texts: createEngineTexts(i18n),
  conditions: CONDITIONS,
  now: NOW,
  idleMs: 30 * 60_000,
  menuFlow: 'menu',
};
const text = (t: string) => ({ type: 'text' as const, text: t });
const inputs = CONVERSATION.map(text);

/**
 * Plays the whole conversation once, through JSON between steps as through the database, and checks where it
 * goes. Returns the state each step starts from, and the middle step's result.
 */
function rehearse(): { starts: ConversationState[]; middle: StepResult } {
  let state = initialState('th', NOW);
  const starts: ConversationState[] = [];
  let middle: StepResult | undefined;
  for (const [i, input] of inputs.entries()) {
    starts.push(state);
    const r = step(state, input, ctx);
    if (i === MIDDLE_STEP) middle = r;
    if (r.action) throw new Error(`step ${i} stopped at action ${r.action.name}`);
    if (i < inputs.length - 1 && r.state.flow?.id !== BENCH_FLOW && r.state.flow?.id !== CONTACT_FLOW)
      throw new Error(`answer ${i} (${input.text}) left the flow: now at ${r.state.flow?.id}/${r.state.node}`);
    state = deserializeState(serializeState(r.state));
  }
  if (state.flow !== null) throw new Error(`the conversation did not end: at ${state.flow.id}/${state.node}`);
  const before = starts[MIDDLE_STEP]!;
  if (!middle || before.node !== 'national_id' || middle.state.node !== 'phone' || middle.messages.length !== 2)
    throw new Error(`the middle step is not national_id → id_check → id_thanks → phone: ${before.node} → ${middle?.state.node}`);
  return { starts, middle };
}

const { starts, middle } = rehearse();
const before = starts[MIDDLE_STEP]!;
const middleInput = inputs[MIDDLE_STEP]!;
const jsonBefore = serializeState(before);
const after = middle.state;
const stateBytes = Buffer.byteLength(serializeState(after));

// The baseline must do the same work: the same state and the same LINE messages as the engine.
{
  const hand = handWrittenStep(before, middleInput.text, NOW);
  if (!isDeepStrictEqual(hand.messages, middle.messages))
    throw new Error(`the hand-written step's messages differ:\n${JSON.stringify(hand.messages)}\n${JSON.stringify(middle.messages)}`);
  if (!isDeepStrictEqual(hand.state, middle.state))
    throw new Error(`the hand-written step's state differs:\n${JSON.stringify(hand.state)}\n${JSON.stringify(middle.state)}`);
}

/** How many texts (i18next lookups) the engine asks for: in the middle step, and in the whole conversation. */
function textLookups() {
  const count = { system: 0, flow: 0 };
  const counting: EngineContext = {
    ...ctx,
    texts: {
      system: (...a) => (count.system++, ctx.texts.system(...a)),
      flow: (...a) => (count.flow++, ctx.texts.flow(...a)),
    },
  };
  step(before, middleInput, counting);
  const atMiddle = { ...count };
  count.system = count.flow = 0;
  let state = initialState('th', NOW);
  for (const input of inputs) state = step(state, input, counting).state;
  return { middle: atMiddle, conversation: { ...count } };
}
const lookups = textLookups();

// ── Measuring ──────────────────────────────────────────────────────────────────────────────────────────────

/** Keeps results alive so the JIT cannot drop the work. */
let sink: unknown;
/** A full collection on demand: before each turn of a case (one case's garbage is not another's), and to count allocation. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Bytes allocated per call, roughly: heap growth over a few calls made right after a full collection and one
 * unmeasured call (a collection drops V8's compiled regular expressions, and the first call compiles them again),
 * few enough that no scavenge runs in between; the median of several tries.
 */
function allocatedBytes(fn: () => unknown, tries = 9): number {
  const perCall = (k: number) => {
    gc();
    sink = fn();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < k; i++) sink = fn();
    return (process.memoryUsage().heapUsed - before) / k;
  };
  // Stay well under the young generation (16 MiB semi-spaces by default on 64-bit).
  const k = Math.max(1, Math.min(50, Math.floor((4 * 2 ** 20) / Math.max(1, perCall(1)))));
  const values = Array.from({ length: tries }, () => perCall(k)).sort((x, y) => x - y);
  return Math.max(0, percentile(values, 50));
}

const elapsedUs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e3;

interface Case {
  id: string;
  name: string;
  /** Steps one call of `unit` makes. */
  size: number;
  /** Does `size` steps, timing each into `record`. */
  unit: (record: (us: number) => void) => void;
  /** Bytes allocated per step. */
  alloc: () => number;
  baseline?: string;
}

interface CaseResult {
  id: string;
  name: string;
  iterations: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  stepsPerS: number;
  /** CPU time of this process over wall time while measuring: under 100 % when other processes took the CPU. */
  cpuPercent: number;
  /** Heap allocated per step, bytes (see allocatedBytes). */
  allocBytes: number;
  /** The row this one is compared with, and how many times slower it is (mean over mean, p50 over p50). */
  baseline?: string;
  ratio?: number;
  p50Ratio?: number;
}

/** One call per step, each timed on its own with process.hrtime.bigint(). */
function single(id: string, name: string, fn: () => unknown, baseline?: string): Case {
  return {
    id,
    name,
    size: 1,
    unit: (record) => {
      const t0 = process.hrtime.bigint();
      sink = fn();
      record(Number(process.hrtime.bigint() - t0) / 1e3);
    },
    alloc: () => allocatedBytes(fn),
    ...(baseline ? { baseline } : {}),
  };
}

const CONVERSATION_CASE = 'G';
const cases: Case[] = [
  single('A', 'baseline: hand-written step (switch, flows/inputs parser, template strings)', () => handWrittenStep(before, middleInput.text, NOW)),
  single('B', `baseline: JSON.stringify + JSON.parse of the state alone (${fmtInt(stateBytes)} B)`, () => JSON.parse(JSON.stringify(after))),
  single('C', 'baseline: A with the state through JSON (parse, step, stringify)', () =>
    JSON.stringify(handWrittenStep(JSON.parse(jsonBefore) as ConversationState, middleInput.text, NOW).state),
  ),
  single('D', 'engine step (50-node flow, messages through i18next)', () => step(before, middleInput, ctx), 'A'),
  single(
    'E',
    'engine step + state round trip (deserializeState, step, serializeState)',
    () => serializeState(step(deserializeState(jsonBefore), middleInput, ctx).state),
    'C',
  ),
  single('F', 'serializeState + deserializeState alone (JSON + zod)', () => deserializeState(serializeState(after)), 'B'),
  {
    id: CONVERSATION_CASE,
    name: `whole conversation, ${inputs.length} steps from the menu to the end, per step`,
    size: inputs.length,
    unit: (record) => {
      let state = initialState('th', NOW);
      for (const input of inputs) {
        const t0 = process.hrtime.bigint();
        state = step(state, input, ctx).state;
        record(Number(process.hrtime.bigint() - t0) / 1e3);
      }
      sink = state;
    },
    // Step by step, from the state each starts from: a whole conversation allocates more than the young generation.
    alloc: () => starts.reduce((sum, from, i) => sum + allocatedBytes(() => step(from, inputs[i]!, ctx), 3), 0) / inputs.length,
    baseline: 'A',
  },
];

/** Warm-up, then how many calls of `unit` each round makes. */
function calibrate(c: Case): number {
  const noop = () => {};
  const w0 = process.hrtime.bigint();
  let warm = 0;
  do {
    c.unit(noop);
    warm++;
  } while (warm < 10 || elapsedUs(w0) < WARMUP_S * 1e6);
  const steps =
    FIXED_ITERATIONS ?? Math.min(MAX_ITERATIONS, Math.max(MIN_ITERATIONS, ((SECONDS * 1e6) / (elapsedUs(w0) / warm)) * c.size));
  return Math.ceil(steps / c.size / ROUNDS);
}

function summarize(c: Case, samples: Float64Array, cpuPercent: number, allocBytes: number): CaseResult {
  let sum = 0;
  for (const s of samples) sum += s;
  const sorted = Float64Array.from(samples).sort();
  const meanUs = sum / samples.length;
  return {
    id: c.id,
    name: c.name,
    iterations: samples.length,
    meanUs,
    p50Us: percentile(sorted, 50),
    p99Us: percentile(sorted, 99),
    maxUs: sorted[sorted.length - 1]!,
    stepsPerS: 1e6 / meanUs,
    cpuPercent,
    allocBytes,
    ...(c.baseline ? { baseline: c.baseline } : {}),
  };
}

/** What process.hrtime.bigint() itself costs per timed call (two reads), ns. */
function timerOverheadNs(): number {
  const n = 200_000;
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  return percentile(samples.sort(), 50);
}

// ── The run ────────────────────────────────────────────────────────────────────────────────────────────────

const cpuList = cpus();
const machine = {
  cpu: cpuList[0]?.model ?? 'unknown',
  cores: cpuList.length,
  node: process.version,
  os: `${process.platform} ${release()}`,
  loadAverageBefore: loadavg(),
  timerOverheadNs: timerOverheadNs(),
};
const machineLine = `CPU: ${machine.cpu} × ${machine.cores} cores, node ${machine.node} on ${machine.os}`;
console.log(machineLine);
console.log(`load average before start: ${machine.loadAverageBefore.map((l) => l.toFixed(2)).join(' ')}`);
if (machine.loadAverageBefore[0]! > machine.cores / 2)
  console.log('warning: the machine is busy; other processes will take CPU from the measurements (see "on CPU" per case)');
console.log(
  `flow ${BENCH_FLOW}: ${Object.keys(flows[0]!.nodes).length} nodes; measured step: national_id → id_check (and/or/regex) → ` +
    `id_thanks (say) → phone; state ${fmtInt(Buffer.byteLength(jsonBefore))} B before, ${fmtInt(stateBytes)} B after`,
);
console.log(
  `i18next lookups by the engine: ${lookups.middle.system + lookups.middle.flow} in the measured step (${lookups.middle.system} system, ` +
    `${lookups.middle.flow} flow texts) for ${middle.messages.length} messages; ` +
    `${fmtInt(lookups.conversation.system + lookups.conversation.flow)} in the whole conversation`,
);
console.log(
  `per case: ${WARMUP_S} s warm-up, then ` +
    (FIXED_ITERATIONS === undefined
      ? `about ${SECONDS} s measured (${fmtInt(MIN_ITERATIONS)} to ${fmtInt(MAX_ITERATIONS)} steps)`
      : `${fmtInt(FIXED_ITERATIONS)} steps measured`) +
    ` in ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}, the cases taking turns\n`,
);

const t0 = process.hrtime.bigint();
const unitsPerRound = new Map(cases.map((c) => [c.id, calibrate(c)]));
const samples = new Map(cases.map((c) => [c.id, new Float64Array(unitsPerRound.get(c.id)! * c.size * ROUNDS)]));
const filled = new Map(cases.map((c) => [c.id, 0]));
const cpuUs = new Map(cases.map((c) => [c.id, 0]));
const wallUs = new Map(cases.map((c) => [c.id, 0]));
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    const into = samples.get(c.id)!;
    let n = filled.get(c.id)!;
    const record = (us: number) => {
      into[n++] = us;
    };
    gc();
    const cpu0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    for (let u = unitsPerRound.get(c.id)!; u > 0; u--) c.unit(record);
    wallUs.set(c.id, wallUs.get(c.id)! + elapsedUs(w0));
    const cpu = process.cpuUsage(cpu0);
    cpuUs.set(c.id, cpuUs.get(c.id)! + cpu.user + cpu.system);
    filled.set(c.id, n);
  }
  console.log(`  round ${round + 1} of ${ROUNDS} done (${fmt(Number(process.hrtime.bigint() - t0) / 1e9, 1)} s)`);
}
const results = cases.map((c) => summarize(c, samples.get(c.id)!, (cpuUs.get(c.id)! / wallUs.get(c.id)!) * 100, c.alloc()));
const elapsedS = Number(process.hrtime.bigint() - t0) / 1e9;
for (const r of results) {
  const base = results.find((b) => b.id === r.baseline);
  if (base) {
    r.ratio = r.meanUs / base.meanUs;
    r.p50Ratio = r.p50Us / base.p50Us;
  }
}

const header = ['case', 'iterations', 'mean µs', 'p50 µs', 'p99 µs', 'steps/s', 'ratio to baseline: mean (p50)', 'KB alloc/step', 'on CPU'];
const rows = results.map((r) => [
  `${r.id}. ${r.name}`,
  fmtInt(r.iterations),
  fmt(r.meanUs, 2),
  fmt(r.p50Us, 2),
  fmt(r.p99Us, 2),
  fmtInt(r.stepsPerS),
  r.ratio === undefined ? '(baseline)' : `${fmt(r.ratio, 1)} × ${r.baseline} (${fmt(r.p50Ratio!, 1)} ×)`,
  fmt(r.allocBytes / 1024, 1),
  `${fmt(r.cpuPercent, 0)} %`,
]);
const table = markdownTable(header, rows);

// Which steps of the conversation cost the most (p50 per step).
const conversationSamples = samples.get(CONVERSATION_CASE)!;
const conversations = conversationSamples.length / inputs.length;
const stepRows = inputs.map((input, i) => {
  const mine = new Float64Array(conversations);
  for (let c = 0; c < conversations; c++) mine[c] = conversationSamples[c * inputs.length + i]!;
  return { i, answer: input.text, node: starts[i]!.node ?? '(idle)', p50Us: percentile(mine.sort(), 50) };
});
const bySlowest = [...stepRows].sort((a, b) => b.p50Us - a.p50Us);
const conversationResult = results.find((r) => r.id === CONVERSATION_CASE)!;

console.log(`\n${machineLine}`);
console.log(`timer overhead: ${fmtInt(machine.timerOverheadNs)} ns per timed call (included in every sample); measuring took ${fmt(elapsedS, 1)} s\n`);
console.log(table);
console.log(
  `\nwhole conversation: ${fmt((conversationResult.meanUs * inputs.length) / 1000, 2)} ms of engine time for ${inputs.length} steps; ` +
    `slowest steps (p50): ${bySlowest
      .slice(0, 3)
      .map((s) => `#${s.i} at ${s.node} ${fmt(s.p50Us, 0)} µs`)
      .join(', ')}; fastest: #${bySlowest.at(-1)!.i} at ${bySlowest.at(-1)!.node} ${fmt(bySlowest.at(-1)!.p50Us, 0)} µs`,
);

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = join(ROOT, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, `engine-${stamp}.json`);
writeFileSync(
  outFile,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine,
      options: {
        seconds: SECONDS,
        rounds: ROUNDS,
        warmupSeconds: WARMUP_S,
        minIterations: MIN_ITERATIONS,
        maxIterations: MAX_ITERATIONS,
        iterations: FIXED_ITERATIONS ?? null,
      },
      flow: { id: BENCH_FLOW, nodes: Object.keys(flows[0]!.nodes).length, stateBytesBefore: Buffer.byteLength(jsonBefore), stateBytesAfter: stateBytes },
      textLookups: lookups,
      results,
      conversationSteps: stepRows,
      table,
    },
    null,
    2,
  ),
);
console.log(`\nwritten to ${outFile.slice(ROOT.length + 1)}`);

if (args['cpu-prof']) await profile();

/** V8 CPU profiles of the engine step and of whole conversations, taken after (and apart from) the timings. */
async function profile(): Promise<void> {
  const dir = join(outDir, 'prof');
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  const take = async (name: string, c: Case) => {
    const noop = () => {};
    const units = Math.max(10, unitsPerRound.get(c.id)! * ROUNDS);
    await session.post('Profiler.start');
    for (let u = 0; u < units; u++) c.unit(noop);
    const { profile } = await session.post('Profiler.stop');
    const file = join(dir, `engine-${name}-${stamp}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(`profile: npx tsx bench/tools/profile-summary.ts ${file.slice(ROOT.length + 1)}`);
  };
  await take('step', cases.find((c) => c.id === 'D')!);
  await take('conversation', cases.find((c) => c.id === CONVERSATION_CASE)!);
  session.disconnect();
}

void sink;
