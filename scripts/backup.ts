/**
 * `npm run backup`: one consistent backup of the database in DATABASE_URL (the environment, else .env), taken
 * while the server runs. SQLite through its online backup API, PostgreSQL through pg_dump (custom format).
 *
 *   npm run backup                               backups/echannel-<engine>-<UTC time>.{sqlite,dump}
 *   npm run backup -- --out /var/backups/echannel/nightly.dump
 *   npm run backup -- --schema t_123             PostgreSQL: one schema only (tests)
 *
 * The backup does not hold the data key: keep the key (DATA_KEY or the key file) safe separately, or the personal
 * data in a restore cannot be read. Exit 0 and one line saying what was written; 1 and the reason otherwise.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { BackupError, backupDatabase, engineOf, redactUrl } from '../storage/backup';

try {
  process.loadEnvFile?.('.env');
} catch {
  // No .env file: the environment alone is used.
}

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    schema: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('npm run backup -- [--out FILE] [--schema NAME]   (DATABASE_URL from the environment or .env)');
  process.exit(0);
}

const url = process.env.DATABASE_URL || 'sqlite:data/echannel.sqlite';
try {
  const engine = engineOf(url);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const out = values.out ?? join('backups', `echannel-${engine}-${stamp}.${engine === 'sqlite' ? 'sqlite' : 'dump'}`);
  const r = await backupDatabase(url, out, values.schema ? { schema: values.schema } : {});
  console.log(`backup of ${redactUrl(url)} written to ${r.file} (${(r.bytes / 1024).toFixed(0)} KiB, ${r.ms} ms)`);
  console.log('it does not hold the data key: without that key (kept separately) the personal data in it cannot be read');
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  console.error(`no backup: ${err.message}`);
  process.exit(1);
}
