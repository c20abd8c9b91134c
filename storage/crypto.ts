/**
 * Personal numbers at rest: AES-256-GCM for what must be read back (a phone number an officer calls), and a keyed
 * hash (HMAC-SHA256) for what must only be found (the same phone on another case). Both keys are derived from
 * one master key (DATA_KEY) with HKDF, so the hash key is never the encryption key. A ciphertext names its format
 * ("v1:"), so a future key or algorithm can sit beside it.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class DecryptError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt: ${reason}`);
    this.name = 'DecryptError';
  }
}

export class DataKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataKeyError';
  }
}

const FORMAT = 'v1:';

export class DataCipher {
  private readonly encKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(master: Buffer) {
    if (master.length !== 32) throw new DataKeyError(`the data key must be 32 bytes, got ${master.length}`);
    this.encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'echannel/encrypt/v1', 32));
    this.hashKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'echannel/lookup-hash/v1', 32));
  }

  /**
   * The key from DATA_KEY, or else from the key file, made (mode 0600) on first use: enough for one machine and a
   * first run; a deployment of several servers sets DATA_KEY on all of them.
   */
  static load(o: { key: string | null; file: string }, onCreated?: (file: string) => void): DataCipher {
    if (o.key) return new DataCipher(Buffer.from(o.key, 'base64'));
    if (existsSync(o.file)) {
      const text = readFileSync(o.file, 'utf8').trim();
      const key = Buffer.from(text, 'base64');
      if (key.length !== 32) throw new DataKeyError(`${o.file} does not hold a 32-byte base64 key`);
      return new DataCipher(key);
    }
    const key = randomBytes(32);
    mkdirSync(dirname(o.file), { recursive: true });
    writeFileSync(o.file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(o.file, 0o600);
    onCreated?.(o.file);
    return new DataCipher(key);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return FORMAT + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(token: string): string {
    if (!token.startsWith(FORMAT)) throw new DecryptError('unknown format');
    const raw = Buffer.from(token.slice(FORMAT.length), 'base64');
    if (raw.length < 28) throw new DecryptError('too short');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptError('wrong key or altered data');
    }
  }

  /** A value that finds equal inputs without revealing them: e.g. every case filed with one phone number. */
  hash(kind: 'phone' | 'national-id', value: string): string {
    return createHmac('sha256', this.hashKey).update(`${kind}:${value}`).digest('hex');
  }

  /** Encrypts only when there is something to encrypt. */
  encryptOptional(plain: string | null | undefined): string | null {
    return plain === null || plain === undefined || plain === '' ? null : this.encrypt(plain);
  }
}
