/**
 * Where the data keys come from: DATA_KEY (one base64 key, or several separated by commas, the current first), or
 * else the key file, one key a line, the current first, made (mode 0600, its folder 0700) on first start. The
 * file lives outside the database's folder by default, so that a copy of that folder (a backup, a stolen disk
 * image of data/) does not carry the key that opens it.
 *
 * A server reading the file watches it: a key rotation writes the new key first in the file, and every server
 * encrypts with it within a second, without a restart; a value naming a key the server does not hold yet makes
 * it read the file at once.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve, sep } from 'node:path';
import { DataCipher, DataKeyError } from './crypto';

export interface DataKeySettings {
  /** DATA_KEY: one base64 key or a comma-separated ring, the current first; null when unset. */
  key: string | null;
  /** DATA_KEY_FILE, or its default outside the database folder. */
  file: string;
  /** The key file of earlier installs (data/data-key), used when `file` is the default and does not exist yet. */
  legacyFile?: string | null;
}

export interface DataKeyNotices {
  /** A key file was made: the operator must keep a copy. */
  created?(file: string): void;
  /** The key of an earlier install was found beside the database and used: it should be moved. */
  legacy?(legacyFile: string, defaultFile: string): void;
}

export interface LoadedKeys {
  cipher: DataCipher;
  /** The key file in use; null when the keys came from DATA_KEY. */
  file: string | null;
  /**
   * Watches the key file (a no-op for DATA_KEY): a new ring is taken at once, `changed` is told its current key
   * id, and `failed` a file that cannot be read (the ring in use is kept). Returns the function that stops it.
   */
  watch(o?: { intervalMs?: number; changed?: (currentKeyId: string) => void; failed?: (err: unknown) => void }): () => void;
}

/** Keys as DATA_KEY or a key file holds them: separated by commas or new lines; blank lines and # comments skipped. */
export function parseKeys(text: string, where: string): Buffer[] {
  const keys: Buffer[] = [];
  const parts = text.split(/[\n,]/).map((p) => p.trim());
  parts.forEach((p, i) => {
    if (!p || p.startsWith('#')) return;
    const key = Buffer.from(p, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(p)) {
      throw new DataKeyError(`${where}: entry ${i + 1} is not a 32-byte base64 key (make one with: openssl rand -base64 32)`);
    }
    keys.push(key);
  });
  if (!keys.length) throw new DataKeyError(`${where} holds no key`);
  return keys;
}

export const newDataKey = (): Buffer => randomBytes(32);

/** The ring a key file holds, the current key first. */
export function readKeyFile(file: string): Buffer[] {
  return parseKeys(readFileSync(file, 'utf8'), file);
}

/**
 * Writes the ring to the key file, replacing it in one rename, so that a server reading it never sees half a
 * file; mode 0600, and the folder 0700 when it is made here.
 */
export function writeKeyFile(file: string, keys: readonly Buffer[]): void {
  ensureFolder(dirname(file));
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, keys.map((k) => `${k.toString('base64')}\n`).join(''), { mode: 0o600, flag: 'wx' });
  chmodSync(temp, 0o600);
  // Run as root (sudo npm run keys:rotate), the new file would be root's, and the server's user could not read it.
  if (existsSync(file) && process.getuid?.() === 0) {
    const { uid, gid } = statSync(file);
    chownSync(temp, uid, gid);
  }
  renameSync(temp, file);
}

function ensureFolder(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * The keys to use, from DATA_KEY, the key file, or a key file made now (`create`, the server's first start; a
 * tool that only works on existing data refuses instead, rather than invent a key nothing was encrypted with).
 */
export function loadDataKeys(s: DataKeySettings, notices: DataKeyNotices = {}, o: { create?: boolean } = {}): LoadedKeys {
  if (s.key) return { cipher: new DataCipher(parseKeys(s.key, 'DATA_KEY')), file: null, watch: () => () => {} };
  let file = s.file;
  if (!existsSync(file) && s.legacyFile && existsSync(s.legacyFile)) {
    notices.legacy?.(s.legacyFile, s.file);
    file = s.legacyFile;
  }
  if (!existsSync(file)) {
    if (o.create === false) {
      throw new DataKeyError(`no data key: ${file} does not exist${s.legacyFile ? ` (nor ${s.legacyFile})` : ''}; set DATA_KEY_FILE to the key file, or DATA_KEY`);
    }
    ensureFolder(dirname(file));
    writeFileSync(file, `${newDataKey().toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    notices.created?.(file);
  }
  const cipher = new DataCipher(readKeyFile(file));
  // Read again only when the file changed: a flood of values under a foreign key costs a stat each, no more.
  let seen = stamp(file);
  const reread = (): Buffer[] | null => {
    const now = stamp(file);
    if (now === seen) return null;
    seen = now;
    return readKeyFile(file);
  };
  cipher.reloadWith(() => {
    try {
      return reread();
    } catch {
      return null;
    }
  });
  return {
    cipher,
    file,
    watch: (o = {}) => {
      const listener = () => {
        try {
          const keys = reread();
          if (!keys) return;
          const before = cipher.currentKeyId;
          cipher.useKeys(keys);
          if (cipher.currentKeyId !== before) o.changed?.(cipher.currentKeyId);
        } catch (err) {
          o.failed?.(err);
        }
      };
      watchFile(file, { interval: o.intervalMs ?? 1000, persistent: false }, listener);
      return () => unwatchFile(file, listener);
    },
  };
}

function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * Whether the key file sits in the SQLite database's folder or below it, where a copy of the folder carries both.
 * False for PostgreSQL and for an in-memory database.
 */
export function keyFileBesideDatabase(keyFile: string, databaseUrl: string): boolean {
  if (!databaseUrl.startsWith('sqlite:')) return false;
  const db = databaseUrl.slice('sqlite:'.length);
  if (db === ':memory:') return false;
  const folder = dirname(resolve(db));
  const key = resolve(keyFile);
  return key.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** Puts a new key first in the key file, keeping the others (they still decrypt): the first step of a rotation. */
export function addKeyToFile(file: string, key: Buffer = newDataKey()): Buffer[] {
  const ring = [key, ...readKeyFile(file).filter((k) => !k.equals(key))];
  writeKeyFile(file, ring);
  return ring;
}

/** Keeps only the current key in the key file; returns the keys removed. The last step of a rotation. */
export function retireOldKeys(file: string): Buffer[] {
  const [current, ...old] = readKeyFile(file);
  writeKeyFile(file, [current!]);
  return old;
}
