/**
 * Personal data at rest: AES-256-GCM for what must be read back (a phone number an officer calls, a photo), and a
 * keyed hash (HMAC-SHA256) for what must only be found (the same phone on another case). Both keys are derived
 * from a master key with HKDF, so the hash key is never the encryption key.
 *
 * A key ring, not one key: the current key encrypts, older keys only decrypt, so the keys can be rotated while
 * the servers run (storage/key-rotation.ts). Every ciphertext names its key by a fingerprint of it (the key id),
 * so nothing has to be named by hand and a reader knows at once whether it holds the key:
 *   text   "v2:<kid>:" + base64(iv | tag | body), the prefix bound to the ciphertext as associated data;
 *   bytes  "EC2" + kid (4 bytes) + iv + tag + body, the header bound the same way.
 * Values from before the ring ("v1:", no key id) were made with the first key; every key of the ring is tried
 * and GCM's tag tells which one fits.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomFillSync } from 'node:crypto';

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

const V1 = 'v1:';
const V2 = 'v2:';
const SEALED_TEXT = /^(v1:|v2:[0-9a-f]{8}:)/;
const BYTES_MAGIC = Buffer.from('EC2', 'latin1');
const BYTES_HEADER = BYTES_MAGIC.length + 4;
const IV = 12;
const TAG = 16;

/** Whether a stored text is a ciphertext; anything else is a value written before its column was encrypted. */
export function isSealed(value: string): boolean {
  return SEALED_TEXT.test(value);
}

/** Whether stored bytes carry the encrypted header; anything else is a file stored before files were encrypted. */
export function isSealedBytes(bytes: Uint8Array): boolean {
  return bytes.length >= BYTES_HEADER + IV + TAG && Buffer.from(bytes.buffer, bytes.byteOffset, BYTES_MAGIC.length).equals(BYTES_MAGIC);
}

/** The key id of a master key: 8 hex digits, derived (not a hash of the key itself, which would be one more use). */
export function keyIdOfMaster(master: Buffer): string {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'echannel/key-id/v2', 4)).toString('hex');
}

/** One master key and what is derived from it. */
class DataKey {
  readonly id: string;
  readonly idBytes: Buffer;
  readonly encKey: Buffer;
  readonly hashKey: Buffer;

  constructor(master: Buffer) {
    if (master.length !== 32) throw new DataKeyError(`the data key must be 32 bytes, got ${master.length}`);
    // The same derivations as before the ring: values and hashes made with the first key stay valid.
    this.encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'echannel/encrypt/v1', 32));
    this.hashKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'echannel/lookup-hash/v1', 32));
    this.id = keyIdOfMaster(master);
    this.idBytes = Buffer.from(this.id, 'hex');
  }
}

function ringOf(masters: readonly Buffer[]): DataKey[] {
  if (!masters.length) throw new DataKeyError('the key ring is empty: give at least one 32-byte key');
  const ring: DataKey[] = [];
  for (const m of masters) {
    const k = new DataKey(m);
    if (!ring.some((r) => r.id === k.id)) ring.push(k);
  }
  return ring;
}

export type HashKind = 'phone' | 'national-id';

export class DataCipher {
  private ring: DataKey[];
  private reloader: (() => Buffer[] | null) | null = null;

  /** One key, or a ring of them, the current (encrypting) key first. */
  constructor(keys: Buffer | readonly Buffer[]) {
    this.ring = ringOf(Buffer.isBuffer(keys) ? [keys] : keys);
  }

  /** The key ids of the ring, the current key first. */
  get keyIds(): string[] {
    return this.ring.map((k) => k.id);
  }

  get currentKeyId(): string {
    return this.ring[0]!.id;
  }

  /** A new ring, in place: every part of the server holding this cipher encrypts with its first key from now on. */
  useKeys(keys: readonly Buffer[]): void {
    this.ring = ringOf(keys);
  }

  /**
   * Where to look when a value names a key the ring does not hold (another server rotated the keys a moment ago):
   * the loader returns the ring anew, or null when nothing changed.
   */
  reloadWith(loader: () => Buffer[] | null): void {
    this.reloader = loader;
  }

  encrypt(plain: string): string {
    const key = this.ring[0]!;
    const prefix = `${V2}${key.id}:`;
    return prefix + seal(key, Buffer.from(plain, 'utf8'), Buffer.from(prefix, 'latin1')).toString('base64');
  }

  decrypt(token: string): string {
    if (token.startsWith(V2)) {
      if (!SEALED_TEXT.test(token)) throw new DecryptError('malformed key id');
      const prefix = token.slice(0, V2.length + 9);
      const key = this.keyNamed(token.slice(V2.length, V2.length + 8));
      return open(key, Buffer.from(token.slice(prefix.length), 'base64'), Buffer.from(prefix, 'latin1')).toString('utf8');
    }
    if (token.startsWith(V1)) return this.openV1(Buffer.from(token.slice(V1.length), 'base64')).toString('utf8');
    throw new DecryptError('unknown format');
  }

  /** Encrypts only when there is something to encrypt. */
  encryptOptional(plain: string | null | undefined): string | null {
    return plain === null || plain === undefined || plain === '' ? null : this.encrypt(plain);
  }

  /**
   * A stored value as the reader wants it: decrypted when encrypted, as it is when it was written before its
   * column was encrypted (those are sealed by the next key rotation).
   */
  reveal(stored: string | null | undefined): string | null {
    if (stored === null || stored === undefined) return null;
    return isSealed(stored) ? this.decrypt(stored) : stored;
  }

  /** A value that finds equal inputs without revealing them: e.g. every case filed with one phone number. */
  hash(kind: HashKind, value: string): string {
    return hmac(this.ring[0]!, kind, value);
  }

  /** The hash under every key of the ring, the current first: a lookup finds rows hashed before a rotation too. */
  hashesFor(kind: HashKind, value: string): string[] {
    return this.ring.map((k) => hmac(k, kind, value));
  }

  /** The key id a stored text or file names; null for plain values and for "v1:" values, which name none. */
  keyIdOf(stored: string | Uint8Array): string | null {
    if (typeof stored === 'string') return stored.startsWith(V2) && isSealed(stored) ? stored.slice(V2.length, V2.length + 8) : null;
    return isSealedBytes(stored) ? Buffer.from(stored.buffer, stored.byteOffset + BYTES_MAGIC.length, 4).toString('hex') : null;
  }

  /** Whether a stored text or file is encrypted under the current key: what a rotation leaves alone. */
  isCurrent(stored: string | Uint8Array): boolean {
    return this.keyIdOf(stored) === this.currentKeyId;
  }

  /** A file's bytes encrypted: the header names the format and the key. */
  encryptBytes(plain: Uint8Array): Buffer {
    const key = this.ring[0]!;
    const header = Buffer.concat([BYTES_MAGIC, key.idBytes]);
    return Buffer.concat([header, seal(key, Buffer.from(plain), header)]);
  }

  /** A stored file's bytes: decrypted when they carry the header, as they are when stored before files were encrypted. */
  decryptBytes(stored: Uint8Array): Buffer {
    const bytes = Buffer.from(stored);
    if (!isSealedBytes(bytes)) return bytes;
    const header = bytes.subarray(0, BYTES_HEADER);
    const key = this.keyNamed(header.subarray(BYTES_MAGIC.length).toString('hex'));
    return open(key, bytes.subarray(BYTES_HEADER), header);
  }

  private keyNamed(id: string): DataKey {
    const found = this.ring.find((k) => k.id === id);
    if (found) return found;
    const fresh = this.reloader?.();
    if (fresh) this.useKeys(fresh);
    const again = this.ring.find((k) => k.id === id);
    if (again) return again;
    throw new DecryptError(
      `the value was encrypted with key ${id}, which is not in the key ring (${this.keyIds.join(', ')}): add that key to DATA_KEY or the key file`,
    );
  }

  private openV1(raw: Buffer): Buffer {
    for (const key of this.ring) {
      try {
        return open(key, raw, null);
      } catch {
        // Not this key: GCM's tag said so. The next one.
      }
    }
    throw new DecryptError(`wrong key or altered data (a v1 value, tried every key of the ring: ${this.keyIds.join(', ')})`);
  }
}

function hmac(key: DataKey, kind: HashKind, value: string): string {
  return createHmac('sha256', key.hashKey).update(`${kind}:${value}`).digest('hex');
}

/**
 * Random IVs drawn from a pool refilled 4 KiB at a time: the same generator, one system call per 341 encryptions
 * instead of one each (it was a third of the cost of sealing a short text, and every event seals three).
 */
const ivPool = Buffer.allocUnsafe(IV * 341);
let ivTaken = ivPool.length;

function nextIv(): Buffer {
  if (ivTaken + IV > ivPool.length) {
    randomFillSync(ivPool);
    ivTaken = 0;
  }
  ivTaken += IV;
  // A copy: the pool is overwritten at the next refill.
  return Buffer.from(ivPool.subarray(ivTaken - IV, ivTaken));
}

function seal(key: DataKey, plain: Buffer, aad: Buffer): Buffer {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key.encKey, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(key: DataKey, raw: Buffer, aad: Buffer | null): Buffer {
  if (raw.length < IV + TAG) throw new DecryptError('too short');
  const decipher = createDecipheriv('aes-256-gcm', key.encKey, raw.subarray(0, IV));
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(raw.subarray(IV, IV + TAG));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV + TAG)), decipher.final()]);
  } catch {
    throw new DecryptError(`wrong key or altered data (key ${key.id})`);
  }
}
