/**
 * Rotates the data key while the servers run, on SQLite or PostgreSQL (DATABASE_URL). Usage:
 *
 *   npm run keys:rotate                       a new key first in the key file, everything re-encrypted under it
 *   npm run keys:rotate -- --retire-old       the same (or the end of an unfinished one), then the old keys removed
 *   npm run keys:rotate -- --batch 500        rows per transaction (200 by default)
 *
 * With the key file (DATA_KEY unset): the new key is written first in the file, the old ones kept after it; the
 * servers watch the file and encrypt with the new key within a second, no restart. A key file that already holds
 * old keys is an unfinished rotation: it is finished, no key is added. Safe to interrupt and to run again.
 *
 * With DATA_KEY: servers cannot be told of a new key, so the operator sets it. Without --new-key the script only
 * makes a key and prints the new ring to set (DATA_KEY=new,old) on every server; once they all run with it, run
 * again with that ring in DATA_KEY (or --new-key <key> beside the old DATA_KEY): values are re-encrypted under the
 * ring's first key. --retire-old then prints the ring to keep (the new key alone).
 *
 * Prints, per table and column, the rows re-encrypted, the plain values sealed and the lookup hashes recomputed.
 * Never prints a key, except the new ring with DATA_KEY, which the operator has to copy.
 */
import { parseArgs } from 'node:util';
import { loadSettings, SettingsError } from '../config/settings';
import { Database } from '../storage/database';
import { DataCipher, DataKeyError, keyIdOfMaster } from '../storage/crypto';
import { addKeyToFile, loadDataKeys, newDataKey, parseKeys, readKeyFile, retireOldKeys } from '../storage/data-key';
import { rotateKeys, RotationIncompleteError, staleValues, type RotationReport } from '../storage/key-rotation';

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** How long after the key file changed every server encrypts with the new key: its watch interval, and a margin. */
const SWITCH_MS = 3000;

const redact = (url: string) => url.replace(/\/\/[^@]*@/, '//***@');
const ids = (keys: readonly Buffer[]) => keys.map(keyIdOfMaster).join(', ');

/** The rows re-encrypted, per table and column, as a table a person reads. */
export function reportTable(r: RotationReport): string {
  const head = ['table', 'column', 're-encrypted', 'sealed', 'hashes', 'unreadable'];
  const rows = r.columns.map((c) => [c.table, c.column, String(c.reencrypted), String(c.sealed), String(c.hashes), String(c.unreadable)]);
  const sum = (i: number) => String(rows.reduce((n, row) => n + Number(row[i]), 0));
  rows.push(['total', '', sum(2), sum(3), sum(4), sum(5)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'retire-old': { type: 'boolean', default: false },
      'new-key': { type: 'string' },
      batch: { type: 'string', default: '200' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('npm run keys:rotate [-- --retire-old] [--batch <rows>] [--new-key <base64 key> (with DATA_KEY)]');
    return 0;
  }
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch must be a whole number from 1 to 10000');
  try {
    process.loadEnvFile?.('.env');
  } catch {
    // No .env file: the environment alone is used.
  }
  const settings = loadSettings();
  const retire = values['retire-old'];

  let cipher: DataCipher;
  let file: string | null = null;
  let addedKey = false;
  if (settings.dataKey.key) {
    let ring = parseKeys(settings.dataKey.key, 'DATA_KEY');
    if (values['new-key']) {
      const [key] = parseKeys(values['new-key'], '--new-key');
      ring = [key!, ...ring.filter((k) => !k.equals(key!))];
    } else if (ring.length === 1) {
      const key = newDataKey();
      console.log('DATA_KEY holds one key: a new key was made, and nothing was changed yet. Set this ring on every server and restart them:');
      console.log(`\n  DATA_KEY=${[key, ...ring].map((k) => k.toString('base64')).join(',')}\n`);
      console.log('Then run npm run keys:rotate again with that DATA_KEY: it re-encrypts everything under the new key (first in the ring).');
      return 0;
    }
    cipher = new DataCipher(ring);
    console.log(`Key ring from DATA_KEY: ${ids(ring)}; re-encrypting under ${cipher.currentKeyId}. Every server must already run with this ring.`);
  } else {
    const loaded = loadDataKeys(
      settings.dataKey,
      { legacy: (legacy, def) => console.log(`Using the key file of an earlier install, ${legacy}; move it to ${def}.`) },
      { create: false },
    );
    file = loaded.file!;
    const ring = readKeyFile(file);
    if (values['new-key'] || ring.length === 1) {
      const key = values['new-key'] ? parseKeys(values['new-key'], '--new-key')[0]! : newDataKey();
      const now = addKeyToFile(file, key);
      addedKey = true;
      console.log(`Added key ${keyIdOfMaster(key)} first in ${file}; the old ones (${ids(now.slice(1))}) stay after it to read what they encrypted.`);
    } else {
      console.log(`${file} still holds old keys (${ids(ring.slice(1))}) after ${keyIdOfMaster(ring[0]!)}: finishing that rotation, no key added.`);
    }
    cipher = new DataCipher(readKeyFile(file));
  }

  const db = await Database.open(settings.databaseUrl);
  try {
    console.log(`Database: ${redact(settings.databaseUrl)} (${db.dialect}); ${batchSize} rows per transaction.`);
    let report: RotationReport;
    try {
      // The servers read the key file every second: what they write until then may be under the old key, so the
      // rotation does not end on a pass begun before they all switched.
      report = await rotateKeys(db, cipher, { batchSize, ...(addedKey ? { serversSwitchedBy: Date.now() + SWITCH_MS } : {}) });
    } catch (err) {
      if (err instanceof RotationIncompleteError) {
        console.error(err.message);
        return 1;
      }
      throw err;
    }
    console.log(`\n${reportTable(report)}\n`);
    console.log(`Nothing is left under an old key (${report.passes} pass${report.passes === 1 ? '' : 'es'}); everything is under ${report.currentKeyId}.`);
    if (report.unreadable.length) {
      console.error(`${report.unreadable.length} value(s) no key of the ring opens were left as they are:`);
      for (const u of report.unreadable.slice(0, 50)) console.error(`  ${u.table}.${u.column} at ${u.key}`);
    }
    if (!retire) {
      console.log('The old keys are kept for reading. Once every server runs with the new key, run: npm run keys:rotate -- --retire-old');
      return 0;
    }
    // Checked once more just before: nothing under an old key may be left when its key goes.
    const left = await staleValues(db, cipher);
    const leftRows = left.reduce((n, r) => n + r.rows, 0);
    if (leftRows > report.unreadable.length) {
      console.error(`Not retiring: ${left.map((r) => `${r.table}.${r.column} ${r.rows}`).join(', ')} written under an old key meanwhile. Run it again.`);
      return 1;
    }
    if (file) {
      const removed = retireOldKeys(file);
      console.log(removed.length ? `Removed the old keys ${ids(removed)} from ${file}.` : `${file} holds only the current key.`);
    } else {
      console.log(`Now set DATA_KEY to the current key alone (${cipher.currentKeyId}, the first of the ring) on every server and restart them.`);
    }
    console.log('A backup made before this rotation can only be read with the old keys: keep a copy of them with those backups, or');
    console.log('re-encrypt a restored backup by putting the old key back after the current one and running this again.');
    return 0;
  } finally {
    await db.close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof UsageError || err instanceof SettingsError || err instanceof DataKeyError) {
    console.error(err.message);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
