/**
 * Re-encrypting the database under the ring's current key while the servers keep running (npm run keys:rotate).
 *
 * Every encrypted column is walked in batches, a batch read outside any transaction and written in one, each row
 * updated only if its value is still the one read (compared in the UPDATE's WHERE): a server that wrote the row
 * meanwhile wins, and its value (under the new key, or under the old one by a server that has not seen the new key
 * yet) is found by the next pass. Passes repeat until a count finds nothing under an old key, so an interrupted
 * rotation is finished by running it again, and a second run has nothing to do.
 *
 * The columns encrypted since the ring came in (names, addresses, places, the LINE profile, survey comments,
 * photos and files) may still hold plain values from before: they are sealed here too. The lookup hashes beside
 * the personal numbers are recomputed under the current key with the number they hash.
 */
import type { Database, Tx } from './database';
import { DecryptError, isSealed, isSealedBytes, type DataCipher, type HashKind } from './crypto';

export interface SealedColumn {
  table: string;
  /** The primary key: rows are walked in its order. */
  key: string;
  column: string;
  type: 'text' | 'bytes';
  /** Plain values are sealed too: the column was encrypted later than it was written (ciphertexts only otherwise). */
  sealPlain: boolean;
  /** Lookup hashes of this column's plaintext, kept in other columns of the row. */
  hashes?: ReadonlyArray<{ column: string; kind: HashKind }>;
  /** For bytes: the column holding the plaintext's size, so a batch stays within a memory budget. */
  sizeColumn?: string;
}

/** Every encrypted column of the database. A new encrypted column is added here, or a rotation leaves it behind. */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'cases', key: 'id', column: 'phone_enc', type: 'text', sealPlain: false, hashes: [{ column: 'phone_hash', kind: 'phone' }] },
  { table: 'cases', key: 'id', column: 'national_id_enc', type: 'text', sealPlain: false, hashes: [{ column: 'national_id_hash', kind: 'national-id' }] },
  { table: 'cases', key: 'id', column: 'free_text_enc', type: 'text', sealPlain: false },
  { table: 'cases', key: 'id', column: 'complainant_name', type: 'text', sealPlain: true },
  { table: 'cases', key: 'id', column: 'address', type: 'text', sealPlain: true },
  { table: 'cases', key: 'id', column: 'location', type: 'text', sealPlain: true },
  { table: 'case_event', key: 'id', column: 'note_enc', type: 'text', sealPlain: false },
  { table: 'citizen', key: 'id', column: 'display_name', type: 'text', sealPlain: true },
  { table: 'citizen', key: 'id', column: 'picture_url', type: 'text', sealPlain: true },
  { table: 'survey_response', key: 'id', column: 'comment', type: 'text', sealPlain: true },
  { table: 'conversation_session', key: 'chat_id', column: 'state', type: 'text', sealPlain: false },
  { table: 'inbox_event', key: 'id', column: 'payload', type: 'text', sealPlain: false },
  // A sent body is erased to "[]" (plain, and nothing in it): only the bodies still encrypted are rotated.
  { table: 'outbox_message', key: 'id', column: 'messages', type: 'text', sealPlain: false },
  { table: 'district_target', key: 'id', column: 'secret_enc', type: 'text', sealPlain: false },
  { table: 'attachment', key: 'id', column: 'bytes', type: 'bytes', sealPlain: true, sizeColumn: 'size' },
  { table: 'line_content', key: 'message_id', column: 'bytes', type: 'bytes', sealPlain: true, sizeColumn: 'size' },
  // The royal petitions' register (petitions/store.ts): always written encrypted.
  { table: 'royal_petition', key: 'id', column: 'words_enc', type: 'text', sealPlain: false },
  { table: 'royal_petition', key: 'id', column: 'summary_enc', type: 'text', sealPlain: false },
  { table: 'royal_petition', key: 'id', column: 'petitioner_name_enc', type: 'text', sealPlain: false },
  { table: 'royal_petition', key: 'id', column: 'petitioner_phone_enc', type: 'text', sealPlain: false },
  { table: 'royal_petition', key: 'id', column: 'result_enc', type: 'text', sealPlain: false },
];

export class RotationIncompleteError extends Error {
  constructor(
    readonly remaining: ReadonlyArray<{ table: string; column: string; rows: number }>,
    passes: number,
  ) {
    super(
      `after ${passes} passes, values under an old key are still being written: ${remaining.map((r) => `${r.table}.${r.column} ${r.rows}`).join(', ')}. ` +
        'A server still encrypts with an old key: restart it with the new key ring (DATA_KEY, current first), then run the rotation again.',
    );
    this.name = 'RotationIncompleteError';
  }
}

export interface ColumnTally {
  table: string;
  column: string;
  /** Values re-encrypted from an older key to the current one. */
  reencrypted: number;
  /** Plain values sealed (columns encrypted later than they were written). */
  sealed: number;
  /** Lookup hashes recomputed beside them. */
  hashes: number;
  /** Values no key of the ring opens: left as they are, named in `unreadable`. */
  unreadable: number;
}

export interface RotationReport {
  currentKeyId: string;
  passes: number;
  columns: ColumnTally[];
  /** Rows whose value no key of the ring opens, by table, column and key: they cannot be rotated. */
  unreadable: Array<{ table: string; column: string; key: string }>;
}

export interface RotationOptions {
  /** Rows read, and updated in one transaction, at a time (200 by default). */
  batchSize?: number;
  /** Bytes of files held at once, at most (32 MB by default; one larger file is still taken alone). */
  batchBytes?: number;
  /** Passes before giving up on a server that keeps writing under an old key (20 by default). */
  maxPasses?: number;
  /** The pause between passes, long enough for the servers to notice the new key file (1.5 s by default). */
  pauseMs?: number;
  /**
   * When every server will encrypt with the new key (epoch ms): a server sees a new key file within a second, and
   * until then may write under the old key, so a count that finds nothing before this time is not the last one.
   */
  serversSwitchedBy?: number;
  /** Told after each batch written. */
  progress?: (table: string, column: string, rows: number) => void;
}

/** Re-encrypts every encrypted column under the cipher's current key, pass after pass, until nothing is left. */
export async function rotateKeys(db: Database, cipher: DataCipher, o: RotationOptions = {}): Promise<RotationReport> {
  const tallies = new Map<SealedColumn, ColumnTally>(
    SEALED_COLUMNS.map((c) => [c, { table: c.table, column: c.column, reencrypted: 0, sealed: 0, hashes: 0, unreadable: 0 }]),
  );
  const unreadable = new Map<string, { table: string; column: string; key: string }>();
  const maxPasses = o.maxPasses ?? 20;
  for (let pass = 1; ; pass++) {
    const passStarted = Date.now();
    for (const c of SEALED_COLUMNS) await rotateColumn(db, cipher, c, tallies.get(c)!, unreadable, o);
    const switched = passStarted >= (o.serversSwitchedBy ?? 0);
    const left = (await staleValues(db, cipher))
      .map((r) => ({ ...r, rows: r.rows - [...unreadable.values()].filter((u) => u.table === r.table && u.column === r.column).length }))
      .filter((r) => r.rows > 0);
    if (!left.length && switched) {
      for (const u of unreadable.values()) tallies.get(SEALED_COLUMNS.find((c) => c.table === u.table && c.column === u.column)!)!.unreadable++;
      return { currentKeyId: cipher.currentKeyId, passes: pass, columns: [...tallies.values()], unreadable: [...unreadable.values()] };
    }
    if (pass >= maxPasses) throw new RotationIncompleteError(left, pass);
    const pause = left.length ? (o.pauseMs ?? 1500) : Math.max(0, (o.serversSwitchedBy ?? 0) - Date.now());
    await new Promise((r) => setTimeout(r, pause));
  }
}

/**
 * How many values of each encrypted column are not under the current key (older keys, "v1:" values, plain values
 * of the columns sealed later), read by SQL alone. Zero everywhere: the old keys can be retired.
 */
export async function staleValues(db: Pick<Database, 'query' | 'dialect'>, cipher: DataCipher): Promise<Array<{ table: string; column: string; rows: number }>> {
  const out: Array<{ table: string; column: string; rows: number }> = [];
  for (const c of SEALED_COLUMNS) {
    const stale = staleSql(db.dialect, cipher, c, 1);
    const [row] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${c.table} WHERE ${stale.sql}`, stale.params);
    const rows = Number(row?.n ?? 0);
    if (rows) out.push({ table: c.table, column: c.column, rows });
  }
  return out;
}

/** The SQL condition of a value not under the current key, its parameters numbered from `from`. */
function staleSql(dialect: Database['dialect'], cipher: DataCipher, c: SealedColumn, from: number): { sql: string; params: unknown[] } {
  if (c.type === 'bytes') {
    // The header of a file sealed under the current key; anything else (older key, plain) is stale.
    const header = cipher.encryptBytes(Buffer.alloc(0)).subarray(0, 7);
    const head = dialect === 'postgres' ? `substring(${c.column} from 1 for 7)` : `substr(${c.column}, 1, 7)`;
    return { sql: `${head} <> $${from}`, params: [header] };
  }
  const current = `v2:${cipher.currentKeyId}:%`;
  if (c.sealPlain) return { sql: `${c.column} IS NOT NULL AND ${c.column} <> '' AND ${c.column} NOT LIKE $${from}`, params: [current] };
  return { sql: `(${c.column} LIKE 'v1:%' OR (${c.column} LIKE 'v2:%' AND ${c.column} NOT LIKE $${from}))`, params: [current] };
}

type Row = Record<string, unknown>;

async function rotateColumn(
  db: Database,
  cipher: DataCipher,
  c: SealedColumn,
  tally: ColumnTally,
  unreadable: Map<string, { table: string; column: string; key: string }>,
  o: RotationOptions,
): Promise<void> {
  const batchSize = Math.max(1, o.batchSize ?? 200);
  let after: unknown = null;
  for (;;) {
    const params: unknown[] = [];
    const where: string[] = [];
    if (after !== null) {
      params.push(after);
      where.push(`${c.key} > $1`);
    }
    const stale = staleSql(db.dialect, cipher, c, params.length + 1);
    params.push(...stale.params);
    where.push(stale.sql);
    // Files: their keys and sizes first, the bytes a budget at a time below; text: the values themselves.
    const wanted = c.type === 'bytes' ? `${c.key} AS k, ${c.sizeColumn} AS size` : `${c.key} AS k, ${c.column} AS v`;
    const rows = await db.query<Row>(`SELECT ${wanted} FROM ${c.table} WHERE ${where.join(' AND ')} ORDER BY ${c.key} LIMIT ${batchSize}`, params);
    if (!rows.length) return;
    after = rows[rows.length - 1]!.k;
    const chunks = c.type === 'bytes' ? byBudget(rows, o.batchBytes ?? 32 * 1024 * 1024) : [rows];
    for (const chunk of chunks) {
      const values = c.type === 'bytes' ? await bytesOf(db, c, chunk) : chunk;
      const updates: Update[] = [];
      for (const r of values) {
        const u = resealed(cipher, c, r);
        if (u === 'unreadable') unreadable.set(`${c.table}.${c.column}.${String(r.k)}`, { table: c.table, column: c.column, key: String(r.k) });
        else if (u) updates.push(u);
      }
      if (!updates.length) continue;
      const written = await db.transaction(async (tx) => {
        const done: Update[] = [];
        for (const u of updates) if (await writeIfUnchanged(tx, c, u)) done.push(u);
        return done;
      });
      tally.reencrypted += written.filter((u) => u.wasSealed).length;
      tally.sealed += written.filter((u) => !u.wasSealed).length;
      tally.hashes += written.length * (c.hashes?.length ?? 0);
      o.progress?.(c.table, c.column, written.length);
    }
  }
}

interface Update {
  key: unknown;
  old: unknown;
  value: string | Buffer;
  hashes: Array<{ column: string; value: string }>;
  wasSealed: boolean;
}

/** The row's value under the current key (and its hashes), null when it needs nothing, or 'unreadable'. */
function resealed(cipher: DataCipher, c: SealedColumn, r: Row): Update | null | 'unreadable' {
  try {
    if (c.type === 'bytes') {
      const stored = r.v as Uint8Array;
      if (cipher.isCurrent(stored)) return null;
      return { key: r.k, old: stored, value: cipher.encryptBytes(cipher.decryptBytes(stored)), hashes: [], wasSealed: isSealedBytes(stored) };
    }
    const stored = r.v as string;
    if (cipher.isCurrent(stored)) return null;
    const wasSealed = isSealed(stored);
    if (!wasSealed && !c.sealPlain) return null;
    const plain = wasSealed ? cipher.decrypt(stored) : stored;
    const hashes = (c.hashes ?? []).map((h) => ({ column: h.column, value: cipher.hash(h.kind, plain) }));
    return { key: r.k, old: stored, value: cipher.encrypt(plain), hashes, wasSealed };
  } catch (err) {
    if (err instanceof DecryptError) return 'unreadable';
    throw err;
  }
}

/** Writes the new value only if the row still holds the one read: what a server wrote meanwhile is never overwritten. */
async function writeIfUnchanged(tx: Tx, c: SealedColumn, u: Update): Promise<boolean> {
  const sets = [`${c.column} = $3`, ...u.hashes.map((h, i) => `${h.column} = $${4 + i}`)];
  const rows = await tx.query(
    `UPDATE ${c.table} SET ${sets.join(', ')} WHERE ${c.key} = $1 AND ${c.column} = $2 RETURNING ${c.key}`,
    [u.key, u.old, u.value, ...u.hashes.map((h) => h.value)],
  );
  return rows.length > 0;
}

function byBudget(rows: Row[], budget: number): Row[][] {
  const chunks: Row[][] = [];
  let chunk: Row[] = [];
  let bytes = 0;
  for (const r of rows) {
    const size = Number(r.size ?? 0);
    if (chunk.length && bytes + size > budget) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(r);
    bytes += size;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

async function bytesOf(db: Database, c: SealedColumn, chunk: Row[]): Promise<Row[]> {
  const keys = chunk.map((r) => r.k);
  return db.query<Row>(`SELECT ${c.key} AS k, ${c.column} AS v FROM ${c.table} WHERE ${c.key} IN (${keys.map((_, i) => `$${i + 1}`).join(', ')})`, keys);
}
