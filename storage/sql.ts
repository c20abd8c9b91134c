/**
 * Queries are written once, with PostgreSQL's numbered placeholders ($1, $2 ...). For SQLite they are rewritten
 * to positional `?` with the parameters reordered to match, so both engines run the same text.
 */
export type Dialect = 'sqlite' | 'postgres';

const cache = new Map<string, { text: string; order: number[] }>();

export function toDialect(dialect: Dialect, text: string, params: readonly unknown[]): [string, unknown[]] {
  if (dialect === 'postgres') return [text, params as unknown[]];
  let hit = cache.get(text);
  if (!hit) {
    const order: number[] = [];
    const out = text.replace(/\$(\d+)/g, (_m, n: string) => {
      order.push(Number(n) - 1);
      return '?';
    });
    hit = { text: out, order };
    if (cache.size < 1000) cache.set(text, hit);
  }
  return [hit.text, hit.order.map((i) => toSqliteValue(params[i]))];
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null only. */
function toSqliteValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}
