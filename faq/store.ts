import { readFile } from 'node:fs/promises';
import type { Database, Tx } from '../storage/database';
import { parseFaqDefaults } from './defaults';
import type { FaqEntry, FaqEntryInput } from './types';

/**
 * FAQ entries in the database. The bot reads `active()` for every message at the menu, so it is cached; the
 * cache lives FAQ_CACHE_MS, which is how long an admin's edit in one process takes to reach the others (the
 * process that made the edit reads again at once).
 */

export class FaqEntryNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`FAQ entry ${id} does not exist`);
    this.name = 'FaqEntryNotFoundError';
  }
}

export const FAQ_CACHE_MS = 5000;

/** Who stored the shipped defaults, in updated_by. */
const SHIPPED = 'shipped';

export interface FaqStoreOptions {
  now?: () => number;
  cacheMs?: number;
}

export interface SeedResult {
  /** How many defaults this call stored: 0 when the table already had entries (or another process won). */
  stored: number;
}

interface FaqRow {
  id: number | string;
  seed_key: string | null;
  question_th: string;
  question_en: string;
  answer_th: string;
  answer_en: string;
  keywords_th: string;
  keywords_en: string;
  active: boolean | number;
  sort_order: number | string;
  created_at: number | string;
  updated_at: number | string;
  updated_by: string;
}

type Queryable = Pick<Tx, 'query'>;

const COLUMNS = `id, seed_key, question_th, question_en, answer_th, answer_en, keywords_th, keywords_en, active, sort_order,
  created_at, updated_at, updated_by`;
const ORDER = 'ORDER BY sort_order, id';

export class FaqStore {
  private cache: { entries: readonly FaqEntry[]; signature: string; at: number } | null = null;
  private loading: Promise<readonly FaqEntry[]> | null = null;
  private readonly now: () => number;
  private readonly cacheMs: number;

  constructor(
    private readonly db: Database,
    opts: FaqStoreOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.cacheMs = opts.cacheMs ?? FAQ_CACHE_MS;
  }

  /**
   * The active entries in display order, at most cacheMs old. While the cache is fresh every caller gets the
   * same frozen array, which lets faqMatcher reuse its index. Inside a transaction pass its `tx`: on SQLite the
   * transaction is a group commit that waits for its units, so a unit that called the Database would wait on
   * itself.
   */
  async active(tx?: Queryable): Promise<readonly FaqEntry[]> {
    const started = this.now();
    if (this.cache && started - this.cache.at < this.cacheMs) return this.cache.entries;
    if (tx) return this.remember(await this.selectActive(tx), started);
    this.loading ??= this.selectActive(this.db)
      .then((entries) => this.remember(entries, started))
      .finally(() => (this.loading = null));
    return this.loading;
  }

  /** Every entry, removed ones too, in display order: what the admin console shows. */
  async list(): Promise<FaqEntry[]> {
    return (await this.db.query<FaqRow>(`SELECT ${COLUMNS} FROM faq_entry ${ORDER}`)).map(toEntry);
  }

  async get(id: number): Promise<FaqEntry> {
    const [row] = await this.db.query<FaqRow>(`SELECT ${COLUMNS} FROM faq_entry WHERE id = $1`, [id]);
    if (!row) throw new FaqEntryNotFoundError(id);
    return toEntry(row);
  }

  /** Stores a validated entry (faqEntryInput); new entries go last unless they say where. */
  async create(input: FaqEntryInput, actor: string): Promise<FaqEntry> {
    const now = this.now();
    const [row] = await this.db.transaction(async (tx) => {
      const order = input.sortOrder ?? (await nextSortOrder(tx));
      return tx.query<FaqRow>(
        `INSERT INTO faq_entry (question_th, question_en, answer_th, answer_en, keywords_th, keywords_en, active, sort_order,
           created_at, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING ${COLUMNS}`,
        [...texts(input), input.active ?? true, order, now, actor],
      );
    });
    this.expire();
    return toEntry(row!);
  }

  /** Replaces an entry's texts and keywords; `active` and `sortOrder` stay as they were unless given. */
  async update(id: number, input: FaqEntryInput, actor: string): Promise<FaqEntry> {
    const [row] = await this.db.query<FaqRow>(
      `UPDATE faq_entry SET question_th = $1, question_en = $2, answer_th = $3, answer_en = $4, keywords_th = $5,
         keywords_en = $6, active = COALESCE($7, active), sort_order = COALESCE($8, sort_order), updated_at = $9,
         updated_by = $10
       WHERE id = $11 RETURNING ${COLUMNS}`,
      [...texts(input), input.active ?? null, input.sortOrder ?? null, this.now(), actor, id],
    );
    if (!row) throw new FaqEntryNotFoundError(id);
    this.expire();
    return toEntry(row);
  }

  /** Takes an entry out of matching. The row stays (who removed it and when; an update can bring it back). */
  async remove(id: number, actor: string): Promise<FaqEntry> {
    const [row] = await this.db.query<FaqRow>(
      `UPDATE faq_entry SET active = $1, updated_at = $2, updated_by = $3 WHERE id = $4 RETURNING ${COLUMNS}`,
      [false, this.now(), actor, id],
    );
    if (!row) throw new FaqEntryNotFoundError(id);
    this.expire();
    return toEntry(row);
  }

  /**
   * At start: stores the shipped defaults (faq/defaults.yaml) when the table is empty, never over an admin's
   * work. Throws FaqDefaultsInvalidError on a bad file. Two processes starting at once may both find the table
   * empty; each default's unique seed_key lets only one of them store it.
   */
  async seedDefaults(path: string): Promise<SeedResult> {
    const defaults = parseFaqDefaults(await readFile(path, 'utf8'), path);
    const now = this.now();
    const stored = await this.db.transaction(async (tx) => {
      const [count] = await tx.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM faq_entry');
      if (Number(count?.n ?? 0) > 0) return 0;
      let n = 0;
      for (const [i, d] of defaults.entries()) {
        const rows = await tx.query(
          `INSERT INTO faq_entry (seed_key, question_th, question_en, answer_th, answer_en, keywords_th, keywords_en, active,
             sort_order, created_at, updated_at, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) ON CONFLICT (seed_key) DO NOTHING RETURNING id`,
          [d.key, ...texts(d), d.active ?? true, d.sortOrder ?? (i + 1) * 10, now, SHIPPED],
        );
        n += rows.length;
      }
      return n;
    });
    if (stored > 0) this.expire();
    return { stored };
  }

  private async selectActive(q: Queryable): Promise<FaqEntry[]> {
    return (await q.query<FaqRow>(`SELECT ${COLUMNS} FROM faq_entry WHERE active = $1 ${ORDER}`, [true])).map(toEntry);
  }

  /**
   * Unchanged entries keep the array they were handed out in, so the matcher's index outlives a refresh.
   * Compared by content: two edits within one millisecond share an updated_at.
   */
  private remember(entries: FaqEntry[], at: number): readonly FaqEntry[] {
    const signature = JSON.stringify(entries);
    const kept = this.cache?.signature === signature ? this.cache.entries : Object.freeze(entries);
    this.cache = { entries: kept, signature, at };
    return kept;
  }

  /** Stale at once, but kept: the next read compares against it. */
  private expire(): void {
    if (this.cache) this.cache = { ...this.cache, at: -Infinity };
  }
}

async function nextSortOrder(tx: Tx): Promise<number> {
  const [row] = await tx.query<{ m: number | string | null }>('SELECT MAX(sort_order) AS m FROM faq_entry');
  return row?.m == null ? 10 : Number(row.m) + 10;
}

function texts(input: FaqEntryInput): string[] {
  return [
    input.question.th,
    input.question.en,
    input.answer.th,
    input.answer.en,
    JSON.stringify(input.keywords.th),
    JSON.stringify(input.keywords.en),
  ];
}

function toEntry(r: FaqRow): FaqEntry {
  return {
    id: Number(r.id),
    key: r.seed_key,
    question: { th: r.question_th, en: r.question_en },
    answer: { th: r.answer_th, en: r.answer_en },
    keywords: { th: JSON.parse(r.keywords_th) as string[], en: JSON.parse(r.keywords_en) as string[] },
    active: r.active === true || Number(r.active) === 1,
    sortOrder: Number(r.sort_order),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    updatedBy: r.updated_by,
  };
}
