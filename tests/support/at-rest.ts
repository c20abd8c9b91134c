/**
 * Everything a test server's database holds, as text, for scans that a personal number or a secret is nowhere in
 * it: on SQLite every byte of the database file and its write-ahead log (what a stolen disk shows), on PostgreSQL
 * every row of every table of the test's schema, as PostgreSQL prints it.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { TestServer } from './server';

export async function everythingAtRest(server: TestServer): Promise<string> {
  if (server.db.dialect === 'sqlite') {
    const file = server.testDb.url.replace(/^sqlite:/, '');
    return [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('utf8')).join('\n');
  }
  const tables = await server.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  let all = '';
  for (const { table_name } of tables) {
    const rows = await server.db.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
    all += rows.map((r) => r.row).join('\n');
  }
  return all;
}
