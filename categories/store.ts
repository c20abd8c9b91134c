/**
 * The case categories in the database. Everything that files, routes, counts or labels a case reads them here:
 * `categoryList` for a list at most CATEGORY_CACHE_MS old, shared by every caller of one database in this process;
 * `readCategory` for the one row a filing checks inside its transaction. An admin's change (CategoryStore) is seen
 * at once by this process and within CATEGORY_CACHE_MS by the others of a deployment (several processes on
 * PostgreSQL). A category is never deleted: it is retired, and its old cases keep it.
 */
import type { Database, Tx } from '../storage/database';
import { useCategoryNames } from './labels';
import { DEFAULT_CATEGORY } from './rules';
import type { CaseCategory, CategoryEdit, CategoryInput } from './types';

export const CATEGORY_CACHE_MS = 2000;

export class CategoryNotFoundError extends Error {
  constructor(readonly code: string) {
    super(`category "${code}" does not exist`);
    this.name = 'CategoryNotFoundError';
  }
}

export class CategoryExistsError extends Error {
  constructor(readonly code: string) {
    super(`category "${code}" exists already`);
    this.name = 'CategoryExistsError';
  }
}

/** The default category cannot be retired: a case that names none is filed under it. */
export class DefaultCategoryError extends Error {
  constructor(readonly code: string) {
    super(`category "${code}" is what a case without one is filed under; it cannot be retired`);
    this.name = 'DefaultCategoryError';
  }
}

/** A database handle or a transaction: what the list is read with. */
type Source = Pick<Tx, 'query'> & { dataSource?: object; manager?: { connection?: object } };

interface CategoryRow {
  code: string;
  name_th: string;
  name_en: string;
  confidential: boolean | number;
  consent_required: boolean | number;
  national_id_required: boolean | number;
  anonymous_allowed: boolean | number;
  deadline_days: number | string | null;
  retired_at: number | string | null;
  sort_order: number | string;
  created_at: number | string;
  updated_at: number | string;
  updated_by: string;
}

const COLUMNS = `code, name_th, name_en, confidential, consent_required, national_id_required, anonymous_allowed, deadline_days,
  retired_at, sort_order, created_at, updated_at, updated_by`;
const ORDER = 'ORDER BY sort_order, code';

const flag = (v: boolean | number): boolean => v === true || Number(v) === 1;

function toCategory(r: CategoryRow): CaseCategory {
  return {
    code: r.code,
    name: { th: r.name_th, en: r.name_en },
    confidential: flag(r.confidential),
    consentRequired: flag(r.consent_required),
    nationalIdRequired: flag(r.national_id_required),
    anonymousAllowed: flag(r.anonymous_allowed),
    deadlineDays: r.deadline_days == null ? null : Number(r.deadline_days),
    retiredAt: r.retired_at == null ? null : Number(r.retired_at),
    sortOrder: Number(r.sort_order),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    updatedBy: r.updated_by,
  };
}

// ── The shared list ───────────────────────────────────────────────────────────────────────────────────────

/** One cache per database (its TypeORM DataSource: a transaction names it as `manager.connection`). */
const caches = new WeakMap<object, { list: readonly CaseCategory[]; at: number }>();
const NO_DATABASE = {};
const keyOf = (q: Source): object => q.dataSource ?? q.manager?.connection ?? NO_DATABASE;

/** Every category, retired ones too, in display order; read straight from the table (and remembered). */
export async function readCategories(q: Source): Promise<readonly CaseCategory[]> {
  const list = Object.freeze((await q.query<CategoryRow>(`SELECT ${COLUMNS} FROM category ${ORDER}`)).map(toCategory));
  caches.set(keyOf(q), { list, at: performance.now() });
  useCategoryNames(list);
  return list;
}

/**
 * Every category, retired ones too, in display order, at most CATEGORY_CACHE_MS old. Inside a transaction pass its
 * `tx`: on SQLite a unit that called the Database would wait on itself.
 */
export async function categoryList(q: Source): Promise<readonly CaseCategory[]> {
  const hit = caches.get(keyOf(q));
  if (hit && performance.now() - hit.at < CATEGORY_CACHE_MS) return hit.list;
  return readCategories(q);
}

/** One category as it is now (no cache): what a filing checks in its own transaction. */
export async function readCategory(q: Pick<Tx, 'query'>, code: string): Promise<CaseCategory | null> {
  const [row] = await q.query<CategoryRow>(`SELECT ${COLUMNS} FROM category WHERE code = $1`, [code]);
  if (!row) return null;
  const category = toCategory(row);
  useCategoryNames([category]);
  return category;
}

/** Forgets this process's list of the database: the next reader reads the table. */
export function expireCategories(q: Source): void {
  caches.delete(keyOf(q));
}

// ── Changes, by admins ────────────────────────────────────────────────────────────────────────────────────

export interface CategoryStoreOptions {
  now?: () => number;
}

export class CategoryStore {
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    opts: CategoryStoreOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Every category, retired ones too, read now: what the console shows. */
  list(): Promise<readonly CaseCategory[]> {
    return readCategories(this.db);
  }

  async get(code: string): Promise<CaseCategory> {
    const found = await readCategory(this.db, code);
    if (!found) throw new CategoryNotFoundError(code);
    return found;
  }

  /** A new category, in use at once; it goes last unless it says where. */
  async create(input: CategoryInput, actor: string, tx?: Tx): Promise<CaseCategory> {
    const work = async (q: Tx) => {
      if (await readCategory(q, input.code)) throw new CategoryExistsError(input.code);
      const [max] = await q.query<{ m: number | string | null }>('SELECT MAX(sort_order) AS m FROM category');
      const order = input.sortOrder ?? (max?.m == null ? 10 : Number(max.m) + 10);
      const now = this.now();
      const [row] = await q.query<CategoryRow>(
        `INSERT INTO category (code, name_th, name_en, confidential, consent_required, national_id_required, anonymous_allowed,
           deadline_days, retired_at, sort_order, created_at, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, $10, $11) ON CONFLICT (code) DO NOTHING RETURNING ${COLUMNS}`,
        [input.code, ...this.values(q, input), order, now, actor],
      );
      if (!row) throw new CategoryExistsError(input.code);
      return toCategory(row);
    };
    return this.changed(tx ? await work(tx) : await this.db.transaction(work));
  }

  /** New names and rules; the code stays, and so do the cases filed under it. */
  async update(code: string, input: CategoryEdit, actor: string, tx?: Tx): Promise<CaseCategory> {
    const q = tx ?? this.db;
    const [row] = await q.query<CategoryRow>(
      `UPDATE category SET name_th = $2, name_en = $3, confidential = $4, consent_required = $5, national_id_required = $6,
         anonymous_allowed = $7, deadline_days = $8, sort_order = COALESCE($9, sort_order), updated_at = $10, updated_by = $11
       WHERE code = $1 RETURNING ${COLUMNS}`,
      [code, ...this.values(q, input), input.sortOrder ?? null, this.now(), actor],
    );
    if (!row) throw new CategoryNotFoundError(code);
    return this.changed(toCategory(row));
  }

  /** No new case is filed into it from now on; its cases keep it, its names and its rules. */
  async retire(code: string, actor: string, tx?: Tx): Promise<CaseCategory> {
    if (code === DEFAULT_CATEGORY) throw new DefaultCategoryError(code);
    const q = tx ?? this.db;
    const now = this.now();
    const [row] = await q.query<CategoryRow>(
      `UPDATE category SET retired_at = COALESCE(retired_at, $2), updated_at = $2, updated_by = $3 WHERE code = $1 RETURNING ${COLUMNS}`,
      [code, now, actor],
    );
    if (!row) throw new CategoryNotFoundError(code);
    return this.changed(toCategory(row));
  }

  /** In use again. */
  async restore(code: string, actor: string, tx?: Tx): Promise<CaseCategory> {
    const q = tx ?? this.db;
    const [row] = await q.query<CategoryRow>(
      `UPDATE category SET retired_at = NULL, updated_at = $2, updated_by = $3 WHERE code = $1 RETURNING ${COLUMNS}`,
      [code, this.now(), actor],
    );
    if (!row) throw new CategoryNotFoundError(code);
    return this.changed(toCategory(row));
  }

  private values(q: Pick<Tx, 'dialect'>, c: CategoryEdit): unknown[] {
    const b = (v: boolean) => (q.dialect === 'sqlite' ? (v ? 1 : 0) : v);
    return [c.name.th, c.name.en, b(c.confidential), b(c.consentRequired), b(c.nationalIdRequired), b(c.anonymousAllowed), c.deadlineDays];
  }

  private changed(c: CaseCategory): CaseCategory {
    expireCategories(this.db);
    useCategoryNames([c]);
    return c;
  }
}


