/**
 * The record of retention runs (retention_run, migration 0019): one row per run, dry or not, with the settings it
 * used, the clock it measured ages from, what it erased of each kind, and, while unfinished, where it goes on.
 * Counts only: the record names no one, so supervisors may read it whatever their province.
 */
import type { Tx } from '../storage/database';
import type { RetentionSettings } from '../config/settings';
import { RETENTION_KINDS, zeroCounts, type RetentionKind, type RunCounts } from './retention-policy';

type Queryable = Pick<Tx, 'query'>;

/** Who started a run: the daily job, `npm run retention`, or an officer in the console. */
export type RunTrigger = 'schedule' | 'command' | 'console';

/** Where an unfinished run goes on: the kind it is at, after which key. */
export interface NextStep {
  kind: RetentionKind;
  after: string | number | null;
}

export interface RetentionRun {
  id: number;
  trigger: RunTrigger;
  dryRun: boolean;
  /** The clock every age was measured from. */
  asOf: number;
  startedAt: number;
  finishedAt: number | null;
  /** The officer's username for a run started in the console. */
  requestedBy: string | null;
  policy: RetentionSettings;
  /** What it erased; for a dry run, what it would have. */
  counts: RunCounts;
  nextStep: NextStep | null;
  /** When it last took a step (or started). */
  progressAt: number;
  error: string | null;
}

/**
 * An unfinished run that has taken no step for this long has stopped (a command killed mid-run; the scheduler's
 * runs retry a failing step within minutes and then end with the error): it is shown as stopped and holds nothing
 * back. Its erasures stay done; a later run takes up what it left.
 */
export const RUN_STALE_MS = 15 * 60_000;

export type RunState = 'running' | 'done' | 'failed' | 'stopped';

export function stateOf(r: Pick<RetentionRun, 'finishedAt' | 'error' | 'progressAt'>, now: number): RunState {
  if (r.error !== null) return 'failed';
  if (r.finishedAt !== null) return 'done';
  return r.progressAt > now - RUN_STALE_MS ? 'running' : 'stopped';
}

export class RetentionRunNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`no retention run ${id}`);
    this.name = 'RetentionRunNotFoundError';
  }
}

interface Row {
  id: unknown;
  run_trigger: RunTrigger;
  dry_run: unknown;
  as_of: unknown;
  started_at: unknown;
  finished_at: unknown;
  requested_by: string | null;
  policy: string;
  counts: string;
  next_step: string | null;
  progress_at: unknown;
  error: string | null;
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Counts as stored, with every kind present (a run recorded before a kind existed shows 0 for it). */
function countsOf(json: string): RunCounts {
  const stored = JSON.parse(json) as Partial<RunCounts>;
  return { purged: { ...zeroCounts(), ...stored.purged }, rows: { ...stored.rows } };
}

function toRun(r: Row): RetentionRun {
  return {
    id: Number(r.id),
    trigger: r.run_trigger,
    dryRun: r.dry_run === true || r.dry_run === 1 || r.dry_run === '1',
    asOf: Number(r.as_of),
    startedAt: Number(r.started_at),
    finishedAt: numOrNull(r.finished_at),
    requestedBy: r.requested_by,
    policy: JSON.parse(r.policy) as RetentionSettings,
    counts: countsOf(r.counts),
    nextStep: r.next_step ? (JSON.parse(r.next_step) as NextStep) : null,
    progressAt: Number(r.progress_at),
    error: r.error,
  };
}

export interface NewRun {
  trigger: RunTrigger;
  dryRun: boolean;
  asOf: number;
  policy: RetentionSettings;
  requestedBy?: string | null;
  /** A dry run is recorded finished, with what it would erase. */
  counts?: RunCounts;
  now: number;
}

export async function startRun(q: Queryable, r: NewRun): Promise<RetentionRun> {
  const counts = r.counts ?? { purged: zeroCounts(), rows: {} };
  const first: NextStep = { kind: RETENTION_KINDS[0], after: null };
  const [row] = await q.query<Row>(
    `INSERT INTO retention_run (run_trigger, dry_run, as_of, started_at, finished_at, requested_by, policy, counts, next_step, progress_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $4) RETURNING *`,
    [
      r.trigger,
      r.dryRun,
      r.asOf,
      r.now,
      r.dryRun ? r.now : null,
      r.requestedBy?.slice(0, 64) ?? null,
      JSON.stringify(r.policy),
      JSON.stringify(counts),
      r.dryRun ? null : JSON.stringify(first),
    ],
  );
  return toRun(row!);
}

export async function runById(q: Queryable, id: number): Promise<RetentionRun | null> {
  const [row] = await q.query<Row>('SELECT * FROM retention_run WHERE id = $1', [id]);
  return row ? toRun(row) : null;
}

/** After a batch: the counts so far and where to go on, or finished when there is nowhere. */
export async function saveProgress(q: Queryable, id: number, counts: RunCounts, next: NextStep | null, now: number): Promise<void> {
  await q.query('UPDATE retention_run SET counts = $2, next_step = $3, finished_at = $4, progress_at = $5 WHERE id = $1 AND finished_at IS NULL', [
    id,
    JSON.stringify(counts),
    next ? JSON.stringify(next) : null,
    next ? null : now,
    now,
  ]);
}

/** A run that cannot go on: finished with its error; what it erased before stays counted. */
export async function failRun(q: Queryable, id: number, error: string, now: number): Promise<void> {
  await q.query('UPDATE retention_run SET finished_at = $2, next_step = NULL, error = $3 WHERE id = $1 AND finished_at IS NULL', [id, now, error.slice(0, 2000)]);
}

/** Newest first. */
export async function listRuns(q: Queryable, limit = 20): Promise<RetentionRun[]> {
  const rows = await q.query<Row>('SELECT * FROM retention_run ORDER BY started_at DESC, id DESC LIMIT $1', [Math.max(1, Math.min(limit, 200))]);
  return rows.map(toRun);
}

/** A run still erasing at `now` (not stopped), if any: another is not started beside it from the console. */
export async function runInProgress(q: Queryable, now: number): Promise<RetentionRun | null> {
  const [row] = await q.query<Row>('SELECT * FROM retention_run WHERE finished_at IS NULL AND progress_at > $1 ORDER BY id LIMIT 1', [now - RUN_STALE_MS]);
  return row ? toRun(row) : null;
}
