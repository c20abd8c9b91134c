import type { Database, Tx } from '../storage/database';
import type { FlowDefinition, FlowError, KnownCategories, ValidationContext, ValidationResult } from './definition';
import { readCategories } from '../categories';
import { checkFlow } from './check';
import { categoryErrors } from './definition/validate';
import { validationContext } from './registry';
import { checkFlowFiles, formatFlowError, listFlowFiles, type LocatedFlowError } from './files';
import type { Logger } from '../runtime/logger';

/**
 * Flow versions in the database. A stored version never changes; going live is one row per flow in flow_live,
 * read on every `liveVersions()` call, so a publish by any server process takes effect in all of them without a
 * restart. Nothing goes live without passing validation against the code running now, and against the case
 * categories as they are now (a choice filing into a category that does not exist, or was retired, is an error).
 */

export class FlowNotFoundError extends Error {
  constructor(readonly flowId: string) {
    super(`flow "${flowId}" does not exist`);
    this.name = 'FlowNotFoundError';
  }
}

export class FlowVersionNotFoundError extends Error {
  constructor(readonly flowId: string, readonly version: number) {
    super(`flow "${flowId}" has no version ${version}`);
    this.name = 'FlowVersionNotFoundError';
  }
}

export class FlowVersionConflictError extends Error {
  constructor(readonly flowId: string, readonly version: number, readonly latest: number) {
    super(`flow "${flowId}" already has version ${latest}; a new version must be greater than ${latest}, not ${version}`);
    this.name = 'FlowVersionConflictError';
  }
}

export class NothingToRollBackError extends Error {
  constructor(readonly flowId: string) {
    super(`flow "${flowId}" has no earlier live version to roll back to`);
    this.name = 'NothingToRollBackError';
  }
}

/** Another publish or rollback of the same flow won the race; the caller may look again and retry. */
export class FlowChangedError extends Error {
  constructor(readonly flowId: string) {
    super(`flow "${flowId}" was published by someone else meanwhile; look at it again and retry`);
    this.name = 'FlowChangedError';
  }
}

/** Shipped or live flows that do not pass validation: the server must not start with them. */
export class FlowsInvalidError extends Error {
  constructor(readonly errors: LocatedFlowError[]) {
    super(`flows are invalid:\n${errors.map((e) => `  ${formatFlowError(e)}`).join('\n')}`);
    this.name = 'FlowsInvalidError';
  }
}

export interface FlowVersionInfo {
  version: number;
  createdAt: number;
  createdBy: string;
  live: boolean;
  /** The last time this version went live, if it ever did. */
  lastPublishedAt: number | null;
  lastPublishedBy: string | null;
}

export interface FlowSummary {
  id: string;
  live: number | null;
  latest: number;
  versions: FlowVersionInfo[];
}

export interface Publication {
  id: number;
  flowId: string;
  version: number;
  previousVersion: number | null;
  action: 'publish' | 'rollback';
  actor: string;
  at: number;
  /** Why, as the admin wrote it when publishing or rolling back in the console; null when none was given. */
  note: string | null;
}

export interface StoredFlowVersion {
  id: string;
  version: number;
  definition: FlowDefinition;
  /** The YAML as uploaded, comments and all; null for JSON uploads. */
  source: string | null;
  createdAt: number;
  createdBy: string;
}

export type UploadResult = { ok: true; id: string; version: number } | { ok: false; errors: FlowError[] };
export type PublishResult =
  | { ok: true; id: string; version: number; previousVersion: number | null; changed: boolean }
  | { ok: false; errors: FlowError[] };

export interface FlowStoreOptions {
  /** What the running code provides (actions, conditions, inputs); tests swap it to play a code change. */
  context?: (file: string, flowIds: Iterable<string>) => ValidationContext;
  /** The case categories flows are checked against; by default the `category` table's, read at each check. */
  categories?: () => Promise<KnownCategories | undefined>;
  now?: () => number;
}

/** How stale the conversation worker's view of the live versions may be (see liveVersionsCached). */
export const LIVE_CACHE_MS = 1000;

/** Constant half of the PostgreSQL advisory lock key that serialises changes to one flow. */
const FLOW_LOCK = 49_011_568;

export class FlowStore {
  private readonly cache = new Map<string, FlowDefinition>();
  private liveCache: { live: Map<string, number>; at: number } | null = null;
  private readonly context: NonNullable<FlowStoreOptions['context']>;
  private readonly categories: NonNullable<FlowStoreOptions['categories']>;
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    opts: FlowStoreOptions = {},
  ) {
    this.context = opts.context ?? validationContext;
    this.categories = opts.categories ?? (async () => (await readCategories(this.db)).map((c) => ({ code: c.code, retired: c.retiredAt !== null })));
    this.now = opts.now ?? Date.now;
  }

  /** One small query, on purpose on every call: this is how another process's publish reaches this one. */
  async liveVersions(q: Pick<Tx, 'query'> = this.db): Promise<Map<string, number>> {
    const rows = await q.query<{ flow_id: string; version: number }>('SELECT flow_id, version FROM flow_live');
    const live = new Map(rows.map((r) => [r.flow_id, Number(r.version)]));
    this.liveCache = { live, at: performance.now() };
    return live;
  }

  /**
   * The live versions as the conversation worker reads them, once per LIVE_CACHE_MS at most: at thousands of
   * events a second a query per event is a cost, and a publish by another process reaches this one within that
   * time (one published here is seen at once). `q` is the event's transaction.
   */
  async liveVersionsCached(q: Pick<Tx, 'query'>): Promise<Map<string, number>> {
    const c = this.liveCache;
    if (c && performance.now() - c.at < LIVE_CACHE_MS) return c.live;
    return this.liveVersions(q);
  }

  /** A stored version never changes, so it is parsed once and kept; frozen, since every caller shares it. */
  async get(id: string, version: number, q: Pick<Tx, 'query'> = this.db): Promise<FlowDefinition | null> {
    const key = `${id}@${version}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const [row] = await q.query<{ definition: string }>(
      'SELECT definition FROM flow_version WHERE flow_id = $1 AND version = $2',
      [id, version],
    );
    if (!row) return null;
    const flow = deepFreeze(JSON.parse(row.definition) as FlowDefinition);
    this.cache.set(key, flow);
    return flow;
  }

  async live(id: string): Promise<FlowDefinition | null> {
    const [row] = await this.db.query<{ version: number }>('SELECT version FROM flow_live WHERE flow_id = $1', [id]);
    return row ? this.get(id, Number(row.version)) : null;
  }

  async list(): Promise<FlowSummary[]> {
    return this.summaries(null);
  }

  async flow(id: string): Promise<FlowSummary> {
    const [summary] = await this.summaries(id);
    if (!summary) throw new FlowNotFoundError(id);
    return summary;
  }

  /** Publications and rollbacks, newest first. */
  async history(id: string): Promise<Publication[]> {
    return (await this.publications(this.db, id)).reverse();
  }

  async version(id: string, version: number): Promise<StoredFlowVersion> {
    const [row] = await this.db.query<{ definition: string; source: string | null; created_at: number; created_by: string }>(
      'SELECT definition, source, created_at, created_by FROM flow_version WHERE flow_id = $1 AND version = $2',
      [id, version],
    );
    if (!row) throw await this.notFound(id, version);
    const definition = (await this.get(id, version))!;
    return { id, version, definition, source: row.source, createdAt: Number(row.created_at), createdBy: row.created_by };
  }

  /** The case categories flows are checked against now (the editor checks drafts against the same). */
  knownCategories(): Promise<KnownCategories | undefined> {
    return this.categories();
  }

  /** Validation as on upload, storing nothing: `call` may name a live flow or the flow itself. */
  async validate(definition: unknown, file = 'upload'): Promise<ValidationResult> {
    const live = await this.liveVersions();
    return this.check(definition, file, [...live.keys(), ...ownId(definition)], await this.categories());
  }

  /** Stores a new version; it is not live until published. */
  async upload(definition: unknown, o: { actor: string; source?: string | null; file?: string }): Promise<UploadResult> {
    const result = await this.validate(definition, o.file);
    if (!result.ok) return result;
    const flow = result.flow;
    await this.db.transaction(async (tx) => {
      await lockFlow(tx, flow.id);
      const [row] = await tx.query<{ latest: number | null }>('SELECT MAX(version) AS latest FROM flow_version WHERE flow_id = $1', [flow.id]);
      const latest = row?.latest == null ? null : Number(row.latest);
      if (latest !== null && latest >= flow.version) throw new FlowVersionConflictError(flow.id, flow.version, latest);
      await insertVersion(tx, flow, o.source ?? null, o.actor, this.now());
    });
    return { ok: true, id: flow.id, version: flow.version };
  }

  /** Makes a stored version live, after validating it against the code running now. */
  async publish(id: string, version: number, actor: string, note: string | null = null): Promise<PublishResult> {
    const flow = await this.require(id, version);
    const live = await this.liveVersions();
    const result = this.check(flow, `${id} v${version}`, [...live.keys(), id], await this.categories());
    if (!result.ok) return result;
    const published = await this.db.transaction(async (tx) => {
      await lockFlow(tx, id);
      return goLive(tx, id, version, actor, 'publish', this.now(), note);
    });
    this.liveCache = null;
    return published;
  }

  /**
   * Publishes a draft: stored as the next version (its number given here, whatever the text says) and made live in
   * one transaction, the draft gone with it. `expectLive` is the live version the admin compared the draft with: if
   * another publish came first, FlowChangedError, so that what goes live is what was compared.
   */
  async publishDraft(
    definition: unknown,
    o: { actor: string; note: string | null; source: string | null; expectLive: number | null; draftId?: number },
  ): Promise<PublishResult> {
    const id = ownId(definition)[0];
    if (id === undefined) {
      const r = await this.validate(definition, 'draft');
      return r.ok ? { ok: false, errors: [{ file: 'draft', path: 'id', message: 'the flow has no id' }] } : r;
    }
    const numbered = async (): Promise<number> => {
      const [row] = await this.db.query<{ latest: number | null }>('SELECT MAX(version) AS latest FROM flow_version WHERE flow_id = $1', [id]);
      return (row?.latest == null ? 0 : Number(row.latest)) + 1;
    };
    const version = await numbered();
    const flow = { ...(definition as object), version } as unknown;
    const result = await this.validate(flow, `${id} draft`);
    if (!result.ok) return result;
    const published = await this.db.transaction(async (tx) => {
      await lockFlow(tx, id);
      const [live] = await tx.query<{ version: number }>('SELECT version FROM flow_live WHERE flow_id = $1', [id]);
      if ((live ? Number(live.version) : null) !== o.expectLive) throw new FlowChangedError(id);
      const [row] = await tx.query<{ latest: number | null }>('SELECT MAX(version) AS latest FROM flow_version WHERE flow_id = $1', [id]);
      if ((row?.latest == null ? 0 : Number(row.latest)) + 1 !== version) throw new FlowChangedError(id);
      await insertVersion(tx, result.flow, o.source, o.actor, this.now());
      if (o.draftId !== undefined) await tx.query('DELETE FROM flow_draft WHERE id = $1', [o.draftId]);
      return goLive(tx, id, version, o.actor, 'publish', this.now(), o.note);
    });
    this.liveCache = null;
    return published;
  }

  /** Makes live again the version that was live before the current one; repeated, it keeps going back. */
  async rollback(id: string, actor: string, note: string | null = null): Promise<PublishResult> {
    const pubs = await this.publications(this.db, id);
    const target = rollbackTarget(pubs);
    if (target === undefined) {
      if (pubs.length === 0) await this.flow(id); // an unknown flow says so, rather than "nothing to roll back"
      throw new NothingToRollBackError(id);
    }
    const flow = await this.require(id, target);
    const live = await this.liveVersions();
    const result = this.check(flow, `${id} v${target}`, [...live.keys(), id], await this.categories());
    if (!result.ok) return result;
    return this.db.transaction(async (tx) => {
      await lockFlow(tx, id);
      if (rollbackTarget(await this.publications(tx, id)) !== target) throw new FlowChangedError(id);
      return goLive(tx, id, target, actor, 'rollback', this.now(), note);
    }).finally(() => {
      this.liveCache = null;
    });
  }

  /**
   * Stores the shipped flows and publishes each one that is newer than what is live (or the first of its id); an
   * admin's newer version stays live. Then every live version must still pass against this code, or it throws.
   * The case categories are the admins' data, not the code's: a shipped version offering a category they retired is
   * stored but not published, and a live version naming one that is not in use is kept live (its cases go under the
   * default category, as before categories were checked); both with a warning, neither stops the server.
   */
  async seed(shipped: ReadonlyArray<{ file: string; flow: FlowDefinition; source: string | null }>, logger?: FlowLogger): Promise<void> {
    const live = await this.liveVersions();
    const ids = [...live.keys(), ...shipped.map((s) => s.flow.id)];
    const categories = await this.categories();
    const errors = shipped.flatMap((s) => {
      const r = this.check(s.flow, s.file, ids, undefined);
      return r.ok ? [] : r.errors;
    });
    if (errors.length > 0) throw new FlowsInvalidError(errors);

    // One line for a person starting the server ("9 stored, 9 published: complaint v7, …"); each flow at debug.
    const published: string[] = [];
    let storedCount = 0;
    for (const { file, flow, source } of shipped) {
      const stored = await this.db.transaction(async (tx) => {
        const [row] = await tx.query<{ definition: string }>(
          'SELECT definition FROM flow_version WHERE flow_id = $1 AND version = $2',
          [flow.id, flow.version],
        );
        if (row) return row.definition === JSON.stringify(flow) ? 'present' : 'differs';
        // Two processes starting at once may both get here: the key keeps one row.
        await tx.query(
          `INSERT INTO flow_version (flow_id, version, definition, source, created_at, created_by)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (flow_id, version) DO NOTHING`,
          [flow.id, flow.version, JSON.stringify(flow), source, this.now(), SHIPPED],
        );
        return 'stored';
      });
      if (stored === 'stored') {
        storedCount += 1;
        logger?.debug({ flow: flow.id, version: flow.version, file }, 'shipped flow version stored');
      }
      if (stored === 'differs') {
        logger?.warn({ flow: flow.id, version: flow.version, file }, 'shipped flow file changed without a new version; the stored version is kept, raise the version to ship the change');
      }
      const offTheList = categories ? categoryErrors(flow, categories, file) : [];
      if (offTheList.length) {
        logger?.warn({ flow: flow.id, version: flow.version, errors: offTheList.map((e) => `${e.path}: ${e.message}`) }, 'shipped flow version files into categories not in use: stored, not published; add the categories or change the flow in the editor');
        continue;
      }
      const wentLive = await this.db.transaction(async (tx) => {
        await lockFlow(tx, flow.id);
        const [row] = await tx.query<{ version: number }>('SELECT version FROM flow_live WHERE flow_id = $1', [flow.id]);
        if (row && Number(row.version) >= flow.version) return null;
        return goLive(tx, flow.id, flow.version, SHIPPED, 'publish', this.now());
      });
      if (wentLive?.ok) {
        published.push(`${flow.id} v${flow.version}`);
        logger?.debug({ flow: flow.id, version: flow.version, previous: wentLive.previousVersion }, 'shipped flow published');
      }
    }
    if (storedCount || published.length) {
      logger?.info({ stored: storedCount, published }, `shipped flows: ${storedCount} stored, ${published.length} published${published.length ? `: ${published.join(', ')}` : ''}`);
    }
    this.liveCache = null;
    await this.assertLiveValid(logger);
  }

  /**
   * Every live version against the code running now: an action the code dropped must stop the start. A choice filing
   * into a category not in use (published before categories were checked) is a warning: the case goes under the
   * default category, and the editor shows the error to fix.
   */
  async assertLiveValid(logger?: FlowLogger): Promise<void> {
    const live = await this.liveVersions();
    const categories = await this.categories();
    const errors: FlowError[] = [];
    for (const [id, version] of live) {
      const flow = await this.get(id, version);
      const r = this.check(flow, `${id} v${version} (live)`, live.keys(), undefined);
      if (!r.ok) errors.push(...r.errors);
      const offTheList = r.ok && categories ? categoryErrors(r.flow, categories, `${id} v${version} (live)`) : [];
      if (offTheList.length) logger?.warn({ flow: id, version, errors: offTheList.map((e) => `${e.path}: ${e.message}`) }, 'live flow files into categories not in use; such cases go under the default category until the flow is changed');
    }
    if (errors.length > 0) throw new FlowsInvalidError(errors);
  }

  private check(definition: unknown, file: string, flowIds: Iterable<string>, categories: KnownCategories | undefined): ValidationResult {
    const context = categories === undefined ? this.context : (f: string, ids: Iterable<string>) => ({ ...this.context(f, ids), categories });
    return checkFlow(definition, file, flowIds, context);
  }

  private async require(id: string, version: number): Promise<FlowDefinition> {
    const flow = await this.get(id, version);
    if (!flow) throw await this.notFound(id, version);
    return flow;
  }

  private async notFound(id: string, version: number): Promise<Error> {
    const [any] = await this.db.query('SELECT 1 AS one FROM flow_version WHERE flow_id = $1 LIMIT 1', [id]);
    return any ? new FlowVersionNotFoundError(id, version) : new FlowNotFoundError(id);
  }

  private async publications(q: Pick<Tx, 'query'>, id: string): Promise<Publication[]> {
    const rows = await q.query<PublicationRow>(
      'SELECT id, flow_id, version, previous_version, action, actor, at, note FROM flow_publication WHERE flow_id = $1 ORDER BY id',
      [id],
    );
    return rows.map(toPublication);
  }

  private async summaries(id: string | null): Promise<FlowSummary[]> {
    const where = id === null ? '' : ' WHERE flow_id = $1';
    const params = id === null ? [] : [id];
    const versions = await this.db.query<{ flow_id: string; version: number; created_at: number; created_by: string }>(
      `SELECT flow_id, version, created_at, created_by FROM flow_version${where} ORDER BY flow_id, version`,
      params,
    );
    const live = await this.db.query<{ flow_id: string; version: number }>(`SELECT flow_id, version FROM flow_live${where}`, params);
    const pubs = await this.db.query<PublicationRow>(
      `SELECT id, flow_id, version, previous_version, action, actor, at, note FROM flow_publication${where} ORDER BY id`,
      params,
    );
    const liveOf = new Map(live.map((r) => [r.flow_id, Number(r.version)]));
    const lastPublished = new Map(pubs.map((r) => [`${r.flow_id}@${Number(r.version)}`, toPublication(r)]));
    const byId = new Map<string, FlowSummary>();
    for (const r of versions) {
      const version = Number(r.version);
      const summary = byId.get(r.flow_id) ?? { id: r.flow_id, live: liveOf.get(r.flow_id) ?? null, latest: version, versions: [] };
      byId.set(r.flow_id, summary);
      const last = lastPublished.get(`${r.flow_id}@${version}`);
      summary.latest = Math.max(summary.latest, version);
      summary.versions.push({
        version,
        createdAt: Number(r.created_at),
        createdBy: r.created_by,
        live: summary.live === version,
        lastPublishedAt: last?.at ?? null,
        lastPublishedBy: last?.actor ?? null,
      });
    }
    return [...byId.values()];
  }
}

export type FlowLogger = Pick<Logger, 'info' | 'warn' | 'debug'>;

const SHIPPED = 'shipped';

/** Run at every server start: the shipped files must all be valid, or the server does not start. */
export async function seedShippedFlows(store: FlowStore, dir: string, logger?: FlowLogger): Promise<void> {
  const checked = await checkFlowFiles(await listFlowFiles(dir));
  if (!checked.ok) throw new FlowsInvalidError(checked.errors);
  await store.seed(
    checked.flows.map((c) => ({ file: c.file, flow: c.flow, source: c.source.format === 'yaml' ? c.source.text : null })),
    logger,
  );
}

interface PublicationRow {
  id: number;
  flow_id: string;
  version: number;
  previous_version: number | null;
  action: 'publish' | 'rollback';
  actor: string;
  at: number;
  note?: string | null;
}

function toPublication(r: PublicationRow): Publication {
  return {
    id: Number(r.id),
    flowId: r.flow_id,
    version: Number(r.version),
    previousVersion: r.previous_version == null ? null : Number(r.previous_version),
    action: r.action,
    actor: r.actor,
    at: Number(r.at),
    note: r.note ?? null,
  };
}

/**
 * Publications replayed as an undo stack: a publish pushes, a rollback pops. The top is live; the one beneath
 * is where a rollback goes, so rolling back twice goes back two versions, never forth again.
 */
function rollbackTarget(pubs: readonly Publication[]): number | undefined {
  const stack: number[] = [];
  for (const p of pubs) {
    if (p.action === 'rollback') stack.pop();
    else stack.push(p.version);
  }
  return stack.length >= 2 ? stack[stack.length - 2] : undefined;
}

/** PostgreSQL: changes to one flow, from any process, one at a time. SQLite writes one at a time anyway. */
async function lockFlow(tx: Tx, id: string): Promise<void> {
  if (tx.dialect === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(${FLOW_LOCK}, hashtext($1))`, [id]);
}

async function insertVersion(tx: Tx, flow: FlowDefinition, source: string | null, actor: string, now: number): Promise<void> {
  await tx.query(
    'INSERT INTO flow_version (flow_id, version, definition, source, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)',
    [flow.id, flow.version, JSON.stringify(flow), source, now, actor],
  );
}

/** Inside the flow's lock. Publishing what is already live records nothing, so the undo stack stays true. */
async function goLive(tx: Tx, id: string, version: number, actor: string, action: Publication['action'], now: number, note: string | null = null): Promise<PublishResult> {
  const [row] = await tx.query<{ version: number }>('SELECT version FROM flow_live WHERE flow_id = $1', [id]);
  const previousVersion = row ? Number(row.version) : null;
  if (previousVersion === version) return { ok: true, id, version, previousVersion, changed: false };
  await tx.query(
    `INSERT INTO flow_live (flow_id, version, published_at, published_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (flow_id) DO UPDATE SET version = excluded.version, published_at = excluded.published_at, published_by = excluded.published_by`,
    [id, version, now, actor],
  );
  await tx.query(
    'INSERT INTO flow_publication (flow_id, version, previous_version, action, actor, at, note) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [id, version, previousVersion, action, actor, now, note],
  );
  return { ok: true, id, version, previousVersion, changed: true };
}

function ownId(definition: unknown): string[] {
  const id = definition !== null && typeof definition === 'object' ? (definition as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? [id] : [];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
