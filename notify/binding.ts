/**
 * Binding a LINE group to a district. An officer asks the console for a code (DTC-4821-XK), adds the bot to the
 * officers' group and types the code there. The code is valid for 24 hours and works once; only its SHA-256 is
 * stored, so a list of codes read from the database or a backup binds nothing. A group that keeps typing wrong
 * codes is stopped after a few a day: codes are short enough to type, so they must not be guessable by trying.
 */
import { createHmac, randomInt } from 'node:crypto';
import type { DataCipher } from '../storage/crypto';
import type { Tx } from '../storage/database';
import { addTarget } from './targets';
import { isDistrictCode } from './types';
import { InvalidTargetError } from './targets';

export const BINDING_CODE_TTL_MS = 24 * 3_600_000;
/** Wrong codes a group may type in a day before codes from it are no longer looked at. */
export const MAX_WRONG_CODES_PER_DAY = 10;
const DAY = 86_400_000;

/** Letters nobody confuses with a digit or each other when reading a code aloud: no I, L, O, Q. */
const LETTERS = 'ABCDEFGHJKMNPRSTUVWXYZ';
const CODE_IN_TEXT = /(?<![A-Z0-9])DTC[-\s]*(\d{4})[-\s]*([A-Z]{2})(?![A-Z0-9])/;

export function newBindingCode(random: (max: number) => number = randomInt): string {
  const digits = String(random(10_000)).padStart(4, '0');
  const letters = LETTERS[random(LETTERS.length)]! + LETTERS[random(LETTERS.length)]!;
  return `DTC-${digits}-${letters}`;
}

/** The code in what a person typed, however they typed it ("dtc 4821 xk", Thai digits, inside a sentence), or null. */
export function findBindingCode(text: string): string | null {
  const plain = text.replace(/[๐-๙]/g, (c) => String(c.charCodeAt(0) - 0x0e50)).toUpperCase();
  const m = CODE_IN_TEXT.exec(plain);
  return m ? `DTC-${m[1]}-${m[2]}` : null;
}

export class BindingCodeKeyMissingError extends Error {
  constructor() {
    super('binding codes need the data key: call useBindingCodeKey(cipher) at start (server/start.ts does)');
    this.name = 'BindingCodeKeyMissingError';
  }
}

/**
 * The data cipher binding codes are hashed with, set once at start. A module setting rather than a parameter:
 * the code is made in the console and spent in the bot's group handler, and both reach here through several
 * layers that have no other use for a key. Every server of a deployment shares DATA_KEY, so all agree on it.
 */
let codeCipher: DataCipher | null = null;

export function useBindingCodeKey(cipher: DataCipher): void {
  codeCipher = cipher;
}

// DataCipher keeps its keys to itself; its lookup HMAC of a fixed label that no phone number can be is a key
// derived from a data key (HMAC as a PRF) and used for nothing else. One per key of the ring: a code made just
// before a key rotation is still found after it.
const LABEL = 'key:group-binding-code/v1';
const codeHash = (key: string, code: string) => createHmac('sha256', Buffer.from(key, 'hex')).update(`group-binding:${code}`).digest('hex');

/**
 * Rows stored by the earlier plain SHA-256 form simply stop matching (the code is then "unknown"): codes live
 * 24 hours, so an officer at most asks the console for a new one.
 */
export function hashBindingCode(code: string): string {
  if (!codeCipher) throw new BindingCodeKeyMissingError();
  return codeHash(codeCipher.hash('phone', LABEL), code);
}

/** The code's hash under every key of the ring, the current first: what a typed code is looked up by. */
export function bindingCodeHashes(code: string): string[] {
  if (!codeCipher) throw new BindingCodeKeyMissingError();
  return codeCipher.hashesFor('phone', LABEL).map((key) => codeHash(key, code));
}

/** `code_hash IN ($from, ...)` over the code's hashes, and those hashes as parameters. */
function anyHashOf(code: string, from: number): { sql: string; params: string[] } {
  const params = bindingCodeHashes(code);
  return { sql: `code_hash IN (${params.map((_, i) => `$${from + i}`).join(', ')})`, params };
}

export interface BindingCode {
  code: string;
  districtCode: string;
  expiresAt: number;
}

/** A new one-time code for a district; the console shows it once. */
export async function createBindingCode(tx: Tx, districtCode: string, actor: string, now: number): Promise<BindingCode> {
  if (!isDistrictCode(districtCode)) throw new InvalidTargetError('districtCode', districtCode, 'a district is a 4-digit DOPA code such as 4901');
  const expiresAt = now + BINDING_CODE_TTL_MS;
  // 4.8 million codes: a clash with a live one is rare; the unique index refuses it and we draw again.
  for (let i = 0; i < 5; i++) {
    const code = newBindingCode();
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO group_binding_code (code_hash, district_code, expires_at, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code_hash) DO NOTHING RETURNING id`,
      [hashBindingCode(code), districtCode, expiresAt, now, actor],
    );
    if (rows.length) return { code, districtCode, expiresAt };
    // An old used or expired code with the same text: drop it and draw again.
    const any = anyHashOf(code, 2);
    await tx.query(`DELETE FROM group_binding_code WHERE ${any.sql} AND (used_at IS NOT NULL OR expires_at <= $1)`, [now, ...any.params]);
  }
  throw new Error('could not draw a free binding code');
}

export type BindOutcome =
  | { outcome: 'bound'; districtCode: string }
  | { outcome: 'refused'; reason: 'no-code' | 'unknown' | 'expired' | 'used' | 'too-many-tries' };

/**
 * Binds the group when the text holds a valid code: the code is spent and the group becomes a line_group target
 * of the code's district. Anything else is refused with the reason (the group handler decides what to say).
 */
export async function bindGroupDetailed(tx: Tx, groupId: string, text: string, now: number): Promise<BindOutcome> {
  const code = findBindingCode(text);
  if (!code) return { outcome: 'refused', reason: 'no-code' };
  const group = await touchGroup(tx, groupId);
  const since = group.wrong_codes_since === null ? null : Number(group.wrong_codes_since);
  const wrong = since !== null && now - since < DAY ? Number(group.wrong_codes) : 0;
  if (wrong >= MAX_WRONG_CODES_PER_DAY) return { outcome: 'refused', reason: 'too-many-tries' };

  // Spent in the same statement that checks it: two groups typing one code at once bind one of them.
  const any = anyHashOf(code, 3);
  const spent = await tx.query<{ district_code: string; created_by: string }>(
    `UPDATE group_binding_code SET used_at = $1, used_by_group = $2
     WHERE ${any.sql} AND used_at IS NULL AND expires_at > $1 RETURNING district_code, created_by`,
    [now, groupId, ...any.params],
  );
  const hit = spent[0];
  if (hit) {
    await addTarget(tx, { districtCode: hit.district_code, kind: 'line_group', address: groupId, actor: `binding-code:${hit.created_by}` }, null, now);
    await tx.query(`UPDATE line_group SET wrong_codes = 0, wrong_codes_since = NULL, left_at = NULL WHERE group_id = $1`, [groupId]);
    return { outcome: 'bound', districtCode: hit.district_code };
  }
  await tx.query(`UPDATE line_group SET wrong_codes = $1, wrong_codes_since = $2 WHERE group_id = $3`, [
    wrong + 1,
    wrong === 0 ? now : since,
    groupId,
  ]);
  const anyKey = anyHashOf(code, 1);
  const known = await tx.query<{ used_at: number | null }>(`SELECT used_at FROM group_binding_code WHERE ${anyKey.sql}`, anyKey.params);
  const row = known[0];
  return { outcome: 'refused', reason: !row ? 'unknown' : row.used_at !== null ? 'used' : 'expired' };
}

/** As the brief has it: 'bound' or 'refused'. */
export async function bindGroup(tx: Tx, groupId: string, text: string, now: number): Promise<'bound' | 'refused'> {
  return (await bindGroupDetailed(tx, groupId, text, now)).outcome;
}

export interface LineGroupRow {
  group_id: string;
  joined_at: number | null;
  left_at: number | null;
  last_refusal_at: number | null;
  wrong_codes: number;
  wrong_codes_since: number | null;
}

/** The group's row, made on first sight. */
export async function touchGroup(tx: Tx, groupId: string, joinedAt: number | null = null): Promise<LineGroupRow> {
  await tx.query(`INSERT INTO line_group (group_id, joined_at, wrong_codes) VALUES ($1, $2, 0) ON CONFLICT (group_id) DO NOTHING`, [groupId, joinedAt]);
  const rows = await tx.query<LineGroupRow>(`SELECT * FROM line_group WHERE group_id = $1`, [groupId]);
  return rows[0]!;
}
