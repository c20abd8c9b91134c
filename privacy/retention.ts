/**
 * Retention that ends: each kind of data is erased once its period is over (privacy/retention-policy.ts says which,
 * privacy/retention-kinds.ts how), by a run recorded in retention_run. A run goes in small steps, one batch of one
 * kind per transaction, and keeps where it is in its record: the daily job (privacy/jobs.ts) takes one step per
 * attempt under the scheduler's claim, so only one process works on it at a time and a restart goes on where it
 * stopped; `npm run retention` and the tests drive the same steps in a loop. Every step is idempotent: what is
 * erased no longer matches, so a step run twice, or a second run, erases nothing more.
 *
 * A dry run reads only: how many of each kind are held and how many would be erased, and the first cases whose
 * personal data would be. What reports count survives every run: a case keeps its category, status, place and
 * dates, a handoff its times, a rating its number.
 */
import type { Database, Tx } from '../storage/database';
import type { RetentionSettings } from '../config/settings';
import { addCounts } from './erase';
import { BATCH_SIZE, casesDue, KINDS, type CaseDue } from './retention-kinds';
import { cutoffsOf, kindAfter, RETENTION_KINDS, zeroCounts, type KindCounts, type RetentionKind, type RunCounts } from './retention-policy';
import { failRun, runById, saveProgress, startRun, type RetentionRun, type RunTrigger } from './retention-runs';

type Queryable = Pick<Tx, 'query'>;

/** How many due cases a dry run lists by tracking number. */
export const DRY_RUN_CASES = 20;

/** How many rows hold each kind of data now, erased or not yet: what a run's before and after are compared by. */
export async function census(q: Queryable): Promise<KindCounts> {
  const out = zeroCounts();
  for (const kind of RETENTION_KINDS) out[kind] = await KINDS[kind].held(q);
  return out;
}

export interface RetentionPlan {
  asOf: number;
  policy: RetentionSettings;
  /** Per kind, in the order a run takes them: rows holding it now, and how many a run now would erase. */
  kinds: Array<{ kind: RetentionKind; held: number; due: number }>;
  /** The cases whose personal data would be erased, the longest closed first (within `provinceCode` if given). */
  cases: { total: number; first: CaseDue[] };
}

/** What a run at `asOf` would do, changing nothing. `provinceCode` limits the cases listed (a supervisor's). */
export async function planRetention(q: Queryable, policy: RetentionSettings, asOf: number, o: { provinceCode?: string | null } = {}): Promise<RetentionPlan> {
  const c = cutoffsOf(policy, asOf);
  const kinds: RetentionPlan['kinds'] = [];
  for (const kind of RETENTION_KINDS) kinds.push({ kind, held: await KINDS[kind].held(q), due: await KINDS[kind].due(q, c) });
  const due = await casesDue(q, c, { limit: DRY_RUN_CASES, ...(o.provinceCode !== undefined ? { provinceCode: o.provinceCode } : {}) });
  return { asOf, policy, kinds, cases: { total: due.total, first: due.cases } };
}

/** Options of a dry run: its clock, who asked, and whose cases it lists. */
export interface DryRunOptions {
  asOf: number;
  now: number;
  trigger: RunTrigger;
  requestedBy?: string | null;
  provinceCode?: string | null;
}

/**
 * A dry run in the caller's transaction, recorded as one (finished at once, its counts what a run would erase),
 * with its plan: the counts and the record agree.
 */
export async function recordDryRun(tx: Queryable, policy: RetentionSettings, o: DryRunOptions): Promise<{ run: RetentionRun; plan: RetentionPlan }> {
  const plan = await planRetention(tx, policy, o.asOf, o.provinceCode !== undefined ? { provinceCode: o.provinceCode } : {});
  const purged = zeroCounts();
  for (const k of plan.kinds) purged[k.kind] = k.due;
  const run = await startRun(tx, { trigger: o.trigger, dryRun: true, asOf: o.asOf, policy, requestedBy: o.requestedBy ?? null, counts: { purged, rows: {} }, now: o.now });
  return { run, plan };
}

export function dryRun(db: Pick<Database, 'transaction'>, policy: RetentionSettings, o: DryRunOptions): Promise<{ run: RetentionRun; plan: RetentionPlan }> {
  return db.transaction((tx) => recordDryRun(tx, policy, o));
}

/**
 * One step of a run: one batch of the kind it is at, its counts added to the record, and where it goes on (the
 * next kind once this one has nothing more due). Returns whether the run is finished. Inside the caller's
 * transaction (the scheduler's, on SQLite shared with other work): it awaits nothing but queries.
 */
export async function stepRun(tx: Queryable, runId: number, now: number): Promise<{ finished: boolean }> {
  const run = await runById(tx, runId);
  if (!run || run.finishedAt !== null || !run.nextStep) return { finished: true };
  const { kind, after } = run.nextStep;
  const batch = await KINDS[kind].purge(tx, cutoffsOf(run.policy, run.asOf), after, BATCH_SIZE[kind], now);
  const counts: RunCounts = { purged: { ...run.counts.purged, [kind]: run.counts.purged[kind] + batch.purged }, rows: addCounts({ ...run.counts.rows }, batch.rows) };
  const following = batch.done ? kindAfter(kind) : kind;
  const next = following === null ? null : { kind: following, after: following === kind ? batch.after : null };
  await saveProgress(tx, runId, counts, next, now);
  return { finished: next === null };
}

export class RetentionRunError extends Error {
  constructor(
    readonly runId: number,
    readonly reason: unknown,
  ) {
    super(`retention run ${runId} failed: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'RetentionRunError';
  }
}

/**
 * A whole run in this process, step after step, each in its own transaction (the command and the tests; the
 * server's runs go through the scheduler). A failing step ends the run with its error recorded, then throws. At the
 * end the erased bytes are flushed out of the database file too (SQLite; Database.flushErased).
 */
export async function runRetention(
  db: Pick<Database, 'transaction' | 'flushErased'>,
  policy: RetentionSettings,
  o: { asOf: number; trigger: RunTrigger; now?: () => number; requestedBy?: string | null },
): Promise<RetentionRun> {
  const now = o.now ?? (() => o.asOf);
  const run = await db.transaction((tx) => startRun(tx, { trigger: o.trigger, dryRun: false, asOf: o.asOf, policy, requestedBy: o.requestedBy ?? null, now: now() }));
  try {
    while (!(await db.transaction((tx) => stepRun(tx, run.id, now()))).finished);
  } catch (err) {
    await db.transaction((tx) => failRun(tx, run.id, errorText(err), now()));
    throw new RetentionRunError(run.id, err);
  }
  await db.flushErased();
  return (await db.transaction((tx) => runById(tx, run.id)))!;
}

/** An error as a run records it: its class and message. */
export const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));
