/**
 * `npm run nlu:publish -- <version>`: makes a stored language model version live (the newest published one is
 * live); every running server reads it within a second, with no restart. `--unpublish` takes it back: the one
 * published before it, or the shipped language/model.json, is live again. Admins do the same in the console
 * ("ภาษา / Language"). Versions are stored by `npm run nlu:train -- --with-examples`.
 *   --database <url>   the database (else DATABASE_URL, as the server reads it, from the environment or .env)
 *   --by <name>        who published it, as the console shows it (else cli:<the system user>)
 *   --list             the stored versions, and which one is live
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { Database } from '../storage/database';
import { recordAudit } from '../console/auth/audit';
import { liveVersion, modelVersions, ModelVersionError, publishModel, unpublishModel } from '../understanding/models';
import { databaseUrlOf } from './nlu-train';

const USAGE = 'npm run nlu:publish -- <version> [--unpublish] [--database <url>] [--by <name>]   |   npm run nlu:publish -- --list';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { unpublish: { type: 'boolean', default: false }, list: { type: 'boolean', default: false }, database: { type: 'string' }, by: { type: 'string' } },
  });
  const version = Number(positionals[0]);
  if (!values.list && (positionals.length !== 1 || !Number.isSafeInteger(version) || version <= 0)) {
    console.error(`Usage: ${USAGE}`);
    return 2;
  }
  const db = await Database.open(databaseUrlOf(values.database));
  try {
    if (values.list) {
      const live = await liveVersion(db);
      for (const v of await modelVersions(db)) {
        const accuracy = v.accuracy === null ? '-' : `${(100 * v.accuracy).toFixed(1)} %`;
        const published = v.publishedAt === null ? 'not published' : `published ${new Date(v.publishedAt).toISOString()} by ${v.publishedBy}`;
        console.log(`${v.version === live ? '*' : ' '} ${v.version}  ${v.examples} examples  accuracy ${accuracy}  trained ${new Date(v.trainedAt).toISOString()} by ${v.trainedBy}  ${published}`);
      }
      if (live === null) console.log('live: the shipped model (language/model.json)');
      return 0;
    }
    const by = values.by ?? `cli:${userInfo().username}`;
    const at = Date.now();
    // As the console does it, with its audit line; no officer: the audit log shows the system (CLI) and who.
    const live = await db.transaction(async (tx) => {
      if (values.unpublish) await unpublishModel(tx, version);
      else await publishModel(tx, version, by, at);
      await recordAudit(tx, { officerId: null, action: values.unpublish ? 'language.model_unpublish' : 'language.model_publish', target: `model ${version}`, detail: { by }, at });
      return liveVersion(tx);
    });
    console.log(`${values.unpublish ? 'unpublished' : 'published'} version ${version}; live now: ${live === null ? 'the shipped model (language/model.json)' : `version ${live}`}`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ModelVersionError ? `Not changed: ${err.message}` : err);
    process.exit(1);
  },
);
