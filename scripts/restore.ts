/**
 * `npm run restore -- --from FILE`: a backup made by `npm run backup` into an empty database: DATABASE_URL (the
 * environment, else .env), or --to. It refuses a target that holds tables: stop the server, move the old database
 * aside (or create a new PostgreSQL database), then restore. Start the server on the result with the same data
 * key as when the backup was taken; it applies any migrations newer than the backup.
 *
 *   npm run restore -- --from backups/echannel-sqlite-20261207T010000Z.sqlite --to sqlite:data/echannel.sqlite
 *   npm run restore -- --from nightly.dump --to postgres://echannel@127.0.0.1:5432/echannel_restored
 */
import { parseArgs } from 'node:util';
import { BackupError, RestoreTargetNotEmptyError, restoreDatabase } from '../storage/backup';

try {
  process.loadEnvFile?.('.env');
} catch {
  // No .env file: the environment alone is used.
}

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    schema: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || !values.from) {
  console.log('npm run restore -- --from FILE [--to DATABASE_URL] [--schema NAME]');
  process.exit(values.help ? 0 : 1);
}

const url = values.to ?? process.env.DATABASE_URL ?? 'sqlite:data/echannel.sqlite';
try {
  const r = await restoreDatabase(values.from, url, values.schema ? { schema: values.schema } : {});
  console.log(`restored ${values.from} into ${r.target} (${r.ms} ms)`);
  console.log('start the server on it with the data key in use when the backup was taken: without it the personal data cannot be read');
} catch (err) {
  if (!(err instanceof BackupError || err instanceof RestoreTargetNotEmptyError)) throw err;
  console.error(`not restored: ${err.message}`);
  process.exit(1);
}
