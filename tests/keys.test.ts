/**
 * The data key ring (storage/crypto.ts) and where its keys come from (storage/data-key.ts, config/settings.ts):
 * every ciphertext names its key, values from before the ring stay readable, a value under a key the ring does not
 * hold is refused saying which key, lookups find rows hashed under any key of the ring, and the key file is kept
 * out of the database folder, watched, and rotated in place.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataCipher, DecryptError, DataKeyError, isSealed, keyIdOfMaster } from '../storage/crypto';
import { addKeyToFile, keyFileBesideDatabase, loadDataKeys, parseKeys, readKeyFile, retireOldKeys, writeKeyFile } from '../storage/data-key';
import { defaultDataKeyFile, loadSettings, SettingsError } from '../config/settings';
import { startServer, type RunningServer } from '../server/start';
import { createLogger } from '../runtime/logger';
import { waitFor } from './support/server';

const OLD = Buffer.alloc(32, 7);
const NEW = Buffer.alloc(32, 9);
const b64 = (k: Buffer) => k.toString('base64');
const tempDir = () => mkdtempSync(join(tmpdir(), 'echannel-keys-'));

/** A value as the code before the key ring wrote it: "v1:" + base64(iv | tag | body), no key id. */
function v1Token(master: Buffer, plain: string): string {
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'echannel/encrypt/v1', 32));
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
}

/** A lookup hash as the code before the key ring made it. */
function v1Hash(master: Buffer, kind: string, value: string): string {
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'echannel/lookup-hash/v1', 32));
  return createHmac('sha256', key).update(`${kind}:${value}`).digest('hex');
}

describe('the key ring', () => {
  it('names the key in every ciphertext: a fingerprint of the current key, no naming by hand', () => {
    const ring = new DataCipher([NEW, OLD]);
    const token = ring.encrypt('สมศรี ใจดี');
    expect(token).toMatch(/^v2:[0-9a-f]{8}:/);
    expect(ring.keyIdOf(token)).toBe(keyIdOfMaster(NEW));
    expect(ring.currentKeyId).toBe(keyIdOfMaster(NEW));
    expect(ring.keyIds).toEqual([keyIdOfMaster(NEW), keyIdOfMaster(OLD)]);
    expect(ring.decrypt(token)).toBe('สมศรี ใจดี');
    // The same key gives the same id on every server; another key another id.
    expect(keyIdOfMaster(Buffer.alloc(32, 9))).toBe(keyIdOfMaster(NEW));
    expect(keyIdOfMaster(OLD)).not.toBe(keyIdOfMaster(NEW));
  });

  it('reads the "v1:" values written before the ring, with whichever key of the ring made them', () => {
    const token = v1Token(OLD, '0812345678');
    expect(new DataCipher(OLD).decrypt(token)).toBe('0812345678');
    expect(new DataCipher([NEW, OLD]).decrypt(token)).toBe('0812345678');
    expect(new DataCipher([NEW, OLD]).keyIdOf(token)).toBeNull();
    expect(new DataCipher([NEW, OLD]).isCurrent(token)).toBe(false);
  });

  it('refuses a value under a key it does not hold, naming that key and the keys it has', () => {
    const foreign = new DataCipher(Buffer.alloc(32, 1)).encrypt('x');
    const ring = new DataCipher([NEW, OLD]);
    expect(() => ring.decrypt(foreign)).toThrow(DecryptError);
    expect(() => ring.decrypt(foreign)).toThrow(new RegExp(`key ${keyIdOfMaster(Buffer.alloc(32, 1))}, which is not in the key ring \\(${ring.keyIds.join(', ')}\\)`));
    expect(() => ring.decrypt(v1Token(Buffer.alloc(32, 1), 'x'))).toThrow(/tried every key of the ring/);
    expect(() => ring.decrypt('plain text')).toThrow(/unknown format/);
  });

  it('binds the key id to the ciphertext: a value relabelled with another key of the ring does not open', () => {
    const ring = new DataCipher([NEW, OLD]);
    const token = ring.encrypt('secret');
    const relabelled = token.replace(keyIdOfMaster(NEW), keyIdOfMaster(OLD));
    expect(() => ring.decrypt(relabelled)).toThrow(DecryptError);
  });

  it('hashes with every key of the ring for lookups, the current first, and with the current key for writes', () => {
    const ring = new DataCipher([NEW, OLD]);
    expect(ring.hash('phone', '+66812345678')).toBe(v1Hash(NEW, 'phone', '+66812345678'));
    expect(ring.hashesFor('phone', '+66812345678')).toEqual([v1Hash(NEW, 'phone', '+66812345678'), v1Hash(OLD, 'phone', '+66812345678')]);
    // The original key's hashes are those made before the ring: rows filed then are still found.
    expect(new DataCipher(OLD).hash('national-id', '1101700230703')).toBe(v1Hash(OLD, 'national-id', '1101700230703'));
  });

  it('encrypts files with a header naming the format and the key, and reads files stored before as they are', () => {
    const ring = new DataCipher([NEW, OLD]);
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    const sealed = ring.encryptBytes(jpeg);
    expect(sealed.subarray(0, 3).toString('latin1')).toBe('EC2');
    expect(sealed.subarray(3, 7).toString('hex')).toBe(keyIdOfMaster(NEW));
    expect(sealed.includes(jpeg)).toBe(false);
    expect(ring.decryptBytes(sealed).equals(jpeg)).toBe(true);
    expect(ring.decryptBytes(jpeg).equals(jpeg)).toBe(true);
    expect(ring.isCurrent(sealed)).toBe(true);
    expect(ring.isCurrent(new DataCipher(OLD).encryptBytes(jpeg))).toBe(false);
    expect(ring.decryptBytes(new DataCipher(OLD).encryptBytes(jpeg)).equals(jpeg)).toBe(true);
    expect(() => new DataCipher(NEW).decryptBytes(new DataCipher(OLD).encryptBytes(jpeg))).toThrow(DecryptError);
  });

  it('reveals stored values: decrypted when sealed, as they are when written before their column was encrypted', () => {
    const ring = new DataCipher(NEW);
    expect(ring.reveal(ring.encrypt('บุญมี'))).toBe('บุญมี');
    expect(ring.reveal('บุญมี')).toBe('บุญมี');
    expect(ring.reveal(null)).toBeNull();
    expect(isSealed('v2:0123abcd:xyz')).toBe(true);
    expect(isSealed('v2:not a key id')).toBe(false);
    expect(isSealed('{"type":"message"}')).toBe(false);
  });

  it('takes a new ring in place, and asks its loader when a value names a key it does not hold yet', () => {
    const server = new DataCipher(OLD);
    const other = new DataCipher([NEW, OLD]);
    let loads = 0;
    server.reloadWith(() => {
      loads++;
      return [NEW, OLD];
    });
    expect(server.decrypt(other.encrypt('from a rotated server'))).toBe('from a rotated server');
    expect(loads).toBe(1);
    expect(server.currentKeyId).toBe(keyIdOfMaster(NEW));
    expect(() => new DataCipher([])).toThrow(DataKeyError);
    expect(() => new DataCipher(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('where the keys come from', () => {
  it('reads a ring from DATA_KEY (commas) or a key file (lines, # comments), the current first', () => {
    expect(parseKeys(`${b64(NEW)}, ${b64(OLD)}`, 'DATA_KEY')).toEqual([NEW, OLD]);
    expect(parseKeys(`# rotated 2569-12-08\n${b64(NEW)}\n\n${b64(OLD)}\n`, 'file')).toEqual([NEW, OLD]);
    expect(() => parseKeys(`${b64(NEW)},short`, 'DATA_KEY')).toThrow(/DATA_KEY: entry 2 is not a 32-byte base64 key/);
    expect(() => parseKeys('\n# nothing\n', 'file')).toThrow(/holds no key/);
    const s = loadSettings({ DATA_KEY: `${b64(NEW)},${b64(OLD)}` });
    expect(loadDataKeys(s.dataKey).cipher.keyIds).toEqual([keyIdOfMaster(NEW), keyIdOfMaster(OLD)]);
    expect(() => loadSettings({ DATA_KEY: `${b64(NEW)},nope` })).toThrow(SettingsError);
  });

  it('keeps the key file outside the database folder by default: the configuration folder of the user', () => {
    expect(defaultDataKeyFile({ XDG_CONFIG_HOME: '/etc/xdg-home', HOME: '/home/somchai' })).toBe('/etc/xdg-home/echannel/data-key');
    expect(defaultDataKeyFile({ HOME: '/home/somchai' })).toBe('/home/somchai/.config/echannel/data-key');
    expect(defaultDataKeyFile({ XDG_CONFIG_HOME: 'relative', HOME: '/home/somchai' })).toBe('/home/somchai/.config/echannel/data-key');
    const s = loadSettings({ HOME: '/home/somchai' });
    expect(s.dataKey).toEqual({ key: null, file: '/home/somchai/.config/echannel/data-key', legacyFile: 'data/data-key' });
    // A key file named by the operator is used as it is, with no fallback to the old place.
    expect(loadSettings({ DATA_KEY_FILE: '/srv/keys/k' }).dataKey).toEqual({ key: null, file: '/srv/keys/k', legacyFile: null });
  });

  it('makes the key file on first start, readable by its owner only, in a folder only its owner enters', () => {
    const home = tempDir();
    const file = join(home, 'config', 'echannel', 'data-key');
    const made: string[] = [];
    const { cipher } = loadDataKeys({ key: null, file }, { created: (f) => made.push(f) });
    expect(made).toEqual([file]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'config', 'echannel')).mode & 0o777).toBe(0o700);
    expect(readKeyFile(file)).toHaveLength(1);
    // The next start reads the same key.
    expect(loadDataKeys({ key: null, file }).cipher.currentKeyId).toBe(cipher.currentKeyId);
    expect(() => loadDataKeys({ key: null, file: join(home, 'none') }, {}, { create: false })).toThrow(/does not exist/);
  });

  it('keeps using the key file of an earlier install (data/data-key) when the new default is not there, and says so', () => {
    const dir = tempDir();
    const legacy = join(dir, 'data', 'data-key');
    mkdirSync(join(dir, 'data'));
    writeFileSync(legacy, `${b64(OLD)}\n`, { mode: 0o600 });
    const told: string[][] = [];
    const loaded = loadDataKeys({ key: null, file: join(dir, 'config', 'data-key'), legacyFile: legacy }, { legacy: (l, d) => told.push([l, d]) });
    expect(loaded.file).toBe(legacy);
    expect(loaded.cipher.currentKeyId).toBe(keyIdOfMaster(OLD));
    expect(told).toEqual([[legacy, join(dir, 'config', 'data-key')]]);
    expect(existsSync(join(dir, 'config', 'data-key'))).toBe(false);
  });

  it('tells when the key file sits in the SQLite database folder or below it', () => {
    expect(keyFileBesideDatabase('data/data-key', 'sqlite:data/echannel.sqlite')).toBe(true);
    expect(keyFileBesideDatabase('data/keys/data-key', 'sqlite:data/echannel.sqlite')).toBe(true);
    expect(keyFileBesideDatabase('/home/a/.config/echannel/data-key', 'sqlite:data/echannel.sqlite')).toBe(false);
    expect(keyFileBesideDatabase('database/data-key', 'sqlite:data/echannel.sqlite')).toBe(false);
    expect(keyFileBesideDatabase('data/data-key', 'postgres://db/echannel')).toBe(false);
    expect(keyFileBesideDatabase('data-key', 'sqlite::memory:')).toBe(false);
  });

  it('rotates the key file in place: a new key first, the old ones kept, then retired', () => {
    const file = join(tempDir(), 'data-key');
    writeKeyFile(file, [OLD]);
    expect(addKeyToFile(file, NEW)).toEqual([NEW, OLD]);
    expect(readKeyFile(file)).toEqual([NEW, OLD]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(retireOldKeys(file)).toEqual([OLD]);
    expect(readFileSync(file, 'utf8')).toBe(`${b64(NEW)}\n`);
  });

  it('watches the key file: a server encrypts with the key a rotation put first, without a restart', async () => {
    const file = join(tempDir(), 'data-key');
    writeKeyFile(file, [OLD]);
    const loaded = loadDataKeys({ key: null, file });
    const changes: string[] = [];
    const stop = loaded.watch({ intervalMs: 20, changed: (kid) => changes.push(kid) });
    try {
      // A change after the watcher has looked once: one made before its first look is what it starts from.
      await new Promise((r) => setTimeout(r, 200));
      addKeyToFile(file, NEW);
      await waitFor(() => changes.length > 0, 5000, 'the watcher');
      expect(changes).toEqual([keyIdOfMaster(NEW)]);
      expect(loaded.cipher.keyIdOf(loaded.cipher.encrypt('x'))).toBe(keyIdOfMaster(NEW));
    } finally {
      stop();
    }
  });
});

describe('the server and its key file', () => {
  let server: RunningServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const start = async (env: Record<string, string>) => {
    const warnings: unknown[][] = [];
    const logger = createLogger('silent');
    const spy = Object.assign(Object.create(logger) as typeof logger, { warn: (...args: unknown[]) => void warnings.push(args) });
    server = await startServer(loadSettings({ PORT: '0', EMULATOR_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env }), { logger: spy });
    return warnings.map((w) => String(w[1]));
  };

  it('warns at start, saying what to do, when the key file sits beside the SQLite database', async () => {
    const dir = tempDir();
    const warnings = await start({ DATABASE_URL: `sqlite:${join(dir, 'echannel.sqlite')}`, DATA_KEY_FILE: join(dir, 'data-key') });
    expect(warnings).toContainEqual(expect.stringMatching(/data key sits in the database folder.*move the key out and set DATA_KEY_FILE, or set DATA_KEY/));
  });

  it('starts without that warning when the key file is elsewhere', async () => {
    const dir = tempDir();
    const warnings = await start({ DATABASE_URL: `sqlite:${join(dir, 'db', 'echannel.sqlite')}`, DATA_KEY_FILE: join(dir, 'keys', 'data-key') });
    expect(warnings.filter((w) => /database folder/.test(w))).toEqual([]);
    expect(warnings).toContainEqual(expect.stringMatching(/made a data key file/));
  });
});
