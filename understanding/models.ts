/**
 * The language model the conversations use: the newest published version in language_model, else the one shipped
 * with the code (language/model.json). Trained models are stored as versions and go live when published, as flows
 * do; every process sees a publish within LIVE_CACHE_MS, with no restart.
 */
import { defaultLanguageModel, loadLanguageModel, type LanguageModel } from '../language';
import type { Database, Tx } from '../storage/database';

/** How stale a process's view of the live model may be: one small query a second at most. */
export const LIVE_CACHE_MS = 1000;

type Q = Pick<Tx, 'query'>;

export interface ModelVersion {
  version: number;
  examples: number;
  accuracy: number | null;
  trainedAt: number;
  trainedBy: string;
  publishedAt: number | null;
  publishedBy: string | null;
}

/** A model version that is not stored, or a model file that does not load, refused before anything changes. */
export class ModelVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelVersionError';
  }
}

export class LanguageModels {
  private checked: { version: number | null; at: number } | null = null;
  private loaded: { version: number; model: LanguageModel } | null = null;

  /** The live model, read in the caller's transaction; the shipped one while none is published. */
  async liveCached(q: Q): Promise<LanguageModel> {
    if (!this.checked || performance.now() - this.checked.at >= LIVE_CACHE_MS) {
      this.checked = { version: await liveVersion(q), at: performance.now() };
    }
    const live = this.checked.version;
    if (live === null) return defaultLanguageModel();
    if (this.loaded?.version !== live) {
      const [row] = await q.query<{ model: string }>('SELECT model FROM language_model WHERE version = $1', [live]);
      // A stored model was validated when it was stored; one that no longer loads keeps the conversations on the shipped model.
      try {
        this.loaded = { version: live, model: loadLanguageModel(JSON.parse(row!.model)) };
      } catch {
        return defaultLanguageModel();
      }
    }
    return this.loaded.model;
  }
}

/** Stores a trained model as the next version (not live). Throws ModelVersionError when the file does not load. */
export async function storeModel(db: Database, m: { model: unknown; examples: number; accuracy: number | null; by: string; at: number }): Promise<number> {
  try {
    loadLanguageModel(m.model);
  } catch (err) {
    throw new ModelVersionError(`the trained model does not load: ${(err as Error).message}`);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ next: number | string }>('SELECT COALESCE(MAX(version), 0) + 1 AS next FROM language_model');
    const version = Number(row!.next);
    await tx.query(
      'INSERT INTO language_model (version, model, examples, accuracy, trained_at, trained_by) VALUES ($1, $2, $3, $4, $5, $6)',
      [version, JSON.stringify(m.model), m.examples, m.accuracy, m.at, m.by.slice(0, 64)],
    );
    return version;
  });
}

/** Makes a stored version the live one (the newest published wins); publishing it again is a no-op. */
export async function publishModel(db: Q, version: number, by: string, at: number): Promise<void> {
  const rows = await db.query<{ version: number }>(
    'UPDATE language_model SET published_at = $2, published_by = $3 WHERE version = $1 RETURNING version',
    [version, at, by.slice(0, 64)],
  );
  if (rows.length === 0) throw new ModelVersionError(`no stored language model has version ${version}`);
}

/** Takes a published version back: the one published before it (or the shipped model) is live again. */
export async function unpublishModel(db: Q, version: number): Promise<void> {
  const rows = await db.query<{ version: number }>('UPDATE language_model SET published_at = NULL, published_by = NULL WHERE version = $1 RETURNING version', [version]);
  if (rows.length === 0) throw new ModelVersionError(`no stored language model has version ${version}`);
}

export async function modelVersions(q: Q): Promise<ModelVersion[]> {
  const rows = await q.query<{ version: number; examples: number; accuracy: number | null; trained_at: number; trained_by: string; published_at: number | null; published_by: string | null }>(
    'SELECT version, examples, accuracy, trained_at, trained_by, published_at, published_by FROM language_model ORDER BY version DESC',
  );
  return rows.map((r) => ({
    version: Number(r.version),
    examples: Number(r.examples),
    accuracy: r.accuracy === null ? null : Number(r.accuracy),
    trainedAt: Number(r.trained_at),
    trainedBy: r.trained_by,
    publishedAt: r.published_at === null ? null : Number(r.published_at),
    publishedBy: r.published_by,
  }));
}

/** The version the conversations use: the newest published one; null while the shipped model is live. */
export async function liveVersion(q: Q): Promise<number | null> {
  const [row] = await q.query<{ version: number | string | null }>('SELECT MAX(version) AS version FROM language_model WHERE published_at IS NOT NULL');
  return row?.version === null || row?.version === undefined ? null : Number(row.version);
}
