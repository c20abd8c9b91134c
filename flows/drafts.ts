import type { Database, Tx } from '../storage/database';

/**
 * Drafts of flows, as admins edit them in the console: the YAML as typed, kept even while it is not valid (a draft
 * with errors may be saved, never published; publishing is FlowStore.publishDraft). A draft belongs to one flow
 * and remembers the version it started from; its revision rises with each save, so two tabs saving the same draft
 * cannot silently overwrite each other.
 */

export interface FlowDraftInfo {
  id: number;
  flowId: string;
  /** The version the draft was started from; null for a flow that was imported and never published. */
  baseVersion: number | null;
  revision: number;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string;
}

export interface FlowDraft extends FlowDraftInfo {
  source: string;
}

export class FlowDraftNotFoundError extends Error {
  constructor(readonly draftId: number) {
    super(`draft ${draftId} does not exist`);
    this.name = 'FlowDraftNotFoundError';
  }
}

/** The draft was saved by someone else (or another tab) since this one was read. */
export class FlowDraftConflictError extends Error {
  constructor(readonly draftId: number, readonly revision: number, readonly current: number) {
    super(`draft ${draftId} is at revision ${current}, not ${revision}: it was saved elsewhere meanwhile`);
    this.name = 'FlowDraftConflictError';
  }
}

/** A draft is a YAML file of a flow: a few kB, 200 nodes about 60 kB. */
export const MAX_DRAFT_BYTES = 1024 * 1024;

interface DraftRow {
  id: number;
  flow_id: string;
  base_version: number | null;
  source?: string;
  revision: number;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
}

const COLUMNS = 'id, flow_id, base_version, revision, created_at, created_by, updated_at, updated_by';

type Q = Pick<Tx, 'query'>;

export class FlowDrafts {
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    opts: { now?: () => number } = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Every draft, or a flow's, newest first; without their text. */
  async list(flowId?: string): Promise<FlowDraftInfo[]> {
    const rows = await this.db.query<DraftRow>(
      `SELECT ${COLUMNS} FROM flow_draft${flowId === undefined ? '' : ' WHERE flow_id = $1'} ORDER BY updated_at DESC, id DESC`,
      flowId === undefined ? [] : [flowId],
    );
    return rows.map(toInfo);
  }

  async get(id: number, q: Q = this.db): Promise<FlowDraft> {
    const [row] = await q.query<DraftRow>(`SELECT ${COLUMNS}, source FROM flow_draft WHERE id = $1`, [id]);
    if (!row) throw new FlowDraftNotFoundError(id);
    return { ...toInfo(row), source: row.source ?? '' };
  }

  async create(d: { flowId: string; baseVersion: number | null; source: string; actor: string }, q: Q = this.db): Promise<FlowDraft> {
    const at = this.now();
    const [row] = await q.query<{ id: number }>(
      `INSERT INTO flow_draft (flow_id, base_version, source, revision, created_at, created_by, updated_at, updated_by)
       VALUES ($1, $2, $3, 1, $4, $5, $4, $5) RETURNING id`,
      [d.flowId, d.baseVersion, d.source, at, d.actor],
    );
    return this.get(Number(row!.id), q);
  }

  /** Saves new text over revision `revision`; the draft's revision after the save. */
  /** Saves new text over revision `revision`, in the caller's transaction; the draft as it is after the save. */
  async save(tx: Q, id: number, d: { source: string; revision: number; actor: string }): Promise<FlowDraftInfo> {
    const current = await this.get(id, tx);
    if (current.revision !== d.revision) throw new FlowDraftConflictError(id, d.revision, current.revision);
    const at = this.now();
    const updated = await tx.query<{ id: number }>(
      'UPDATE flow_draft SET source = $1, revision = revision + 1, updated_at = $2, updated_by = $3 WHERE id = $4 AND revision = $5 RETURNING id',
      [d.source, at, d.actor, id, d.revision],
    );
    if (updated.length === 0) throw new FlowDraftConflictError(id, d.revision, (await this.get(id, tx)).revision);
    return toInfo({ ...rowOf(current), revision: current.revision + 1, updated_at: at, updated_by: d.actor });
  }

  async discard(id: number, q: Q = this.db): Promise<void> {
    const gone = await q.query<{ id: number }>('DELETE FROM flow_draft WHERE id = $1 RETURNING id', [id]);
    if (gone.length === 0) throw new FlowDraftNotFoundError(id);
  }
}

function toInfo(r: DraftRow): FlowDraftInfo {
  return {
    id: Number(r.id),
    flowId: r.flow_id,
    baseVersion: r.base_version == null ? null : Number(r.base_version),
    revision: Number(r.revision),
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
    updatedAt: Number(r.updated_at),
    updatedBy: r.updated_by,
  };
}

function rowOf(d: FlowDraftInfo): DraftRow {
  return {
    id: d.id,
    flow_id: d.flowId,
    base_version: d.baseVersion,
    revision: d.revision,
    created_at: d.createdAt,
    created_by: d.createdBy,
    updated_at: d.updatedAt,
    updated_by: d.updatedBy,
  };
}
