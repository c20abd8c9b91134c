/**
 * Where each district is told about its cases. A target is unique per district, kind and address; adding one that
 * exists turns it back on (and replaces a webhook's secret). Webhook secrets are kept encrypted: the sender opens
 * them to sign, nobody reads them back.
 */
import type { Tx } from '../storage/database';
import type { DataCipher } from '../storage/crypto';
import { isGroupId, isRoomId } from '../line/ids';
import { isDistrictCode, type TargetKind } from './types';
import { checkWebhookHost, hostOf, refuseLiteral, WebhookAddressRefusedError, webhookReach, type WebhookReach } from './webhook-reach';

export class InvalidTargetError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${field}: ${reason} (got ${JSON.stringify(String(value).slice(0, 120))})`);
    this.name = 'InvalidTargetError';
  }
}

export interface DistrictTarget {
  id: number;
  districtCode: string;
  kind: TargetKind;
  address: string;
  active: boolean;
  hasSecret: boolean;
  createdAt: number;
  createdBy: string;
}

export interface TargetRow {
  id: number;
  district_code: string;
  kind: TargetKind;
  address: string;
  secret_enc: string | null;
  active: boolean | number;
  created_at: number;
  created_by: string;
}

export interface NewTarget {
  districtCode: string;
  kind: TargetKind;
  address: string;
  /** Webhooks only: the shared secret the body is signed with (at least 16 characters). */
  secret?: string;
  actor: string;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Refuses what could never be delivered, naming the field: a bad address is found when it is typed, not at 2 am.
 * A webhook is https:// to a host that is not a private, loopback, link-local or otherwise non-public IP; a host
 * name is resolved by checkNewTarget (the console), and every connection is checked again when it is made.
 * `allowPrivateAddresses` (tests only) lets a webhook reach a receiver on this machine, over http:// too.
 */
export function validateTarget(t: NewTarget, reach: Pick<WebhookReach, 'allowPrivateAddresses'> = { allowPrivateAddresses: false }): void {
  if (!isDistrictCode(t.districtCode)) throw new InvalidTargetError('districtCode', t.districtCode, 'a district is a 4-digit DOPA code such as 4901');
  switch (t.kind) {
    case 'line_group':
      // A multi-person chat (room, R...) is pushed to like a group.
      if (!isGroupId(t.address) && !isRoomId(t.address)) throw new InvalidTargetError('address', t.address, 'a LINE group id is C followed by 32 hex digits');
      break;
    case 'email':
      if (t.address.length > 254 || !EMAIL.test(t.address)) throw new InvalidTargetError('address', t.address, 'not an e-mail address');
      break;
    case 'webhook': {
      let url: URL;
      try {
        url = new URL(t.address);
      } catch {
        throw new InvalidTargetError('address', t.address, 'not a URL');
      }
      // The body is signed, not encrypted: plain HTTP only to a receiver on this machine, in tests.
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && reach.allowPrivateAddresses && LOOPBACK.has(url.hostname))) {
        throw new InvalidTargetError('address', t.address, 'a webhook must use https://');
      }
      if (url.username || url.password) throw new InvalidTargetError('address', t.address, 'no credentials in the URL; the body is signed with the secret');
      const literal = refuseLiteral(hostOf(url), reach);
      if (literal) throw new InvalidTargetError('address', t.address, literal);
      if (!t.secret || t.secret.length < 16) throw new InvalidTargetError('secret', '***', 'a webhook needs a secret of at least 16 characters');
      break;
    }
    default:
      throw new InvalidTargetError('kind', t.kind, "kind is 'line_group', 'email' or 'webhook'");
  }
}

/**
 * validateTarget, then a webhook's host name resolved: refused unless every address it has is public, or when it
 * does not resolve. Outside any transaction: a lookup may take seconds.
 */
export async function checkNewTarget(t: NewTarget, reach: WebhookReach = webhookReach()): Promise<void> {
  validateTarget(t, reach);
  if (t.kind !== 'webhook') return;
  try {
    await checkWebhookHost(hostOf(new URL(t.address)), reach);
  } catch (err) {
    if (err instanceof WebhookAddressRefusedError) throw new InvalidTargetError('address', t.address, err.message);
    throw err;
  }
}

/** Adds a target, or turns an existing one back on. Returns its id. */
export async function addTarget(
  tx: Tx,
  t: NewTarget,
  cipher: DataCipher | null,
  now: number,
  reach: Pick<WebhookReach, 'allowPrivateAddresses'> = webhookReach(),
): Promise<number> {
  validateTarget(t, reach);
  if (t.kind === 'webhook' && !cipher) throw new InvalidTargetError('secret', '***', 'a cipher is needed to store a webhook secret');
  const secretEnc = t.kind === 'webhook' ? cipher!.encrypt(t.secret!) : null;
  const rows = await tx.query<{ id: number }>(
    `INSERT INTO district_target (district_code, kind, address, secret_enc, active, created_at, created_by, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $7)
     ON CONFLICT (district_code, kind, address) DO UPDATE SET active = excluded.active, secret_enc = excluded.secret_enc,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by
     RETURNING id`,
    [t.districtCode, t.kind, t.address, secretEnc, true, now, t.actor],
  );
  return Number(rows[0]!.id);
}

/** Turns a target off; its rows stay, so past notifications still say where they went. */
export async function deactivateTarget(tx: Tx, id: number, actor: string, now: number): Promise<boolean> {
  const rows = await tx.query<{ id: number }>(
    `UPDATE district_target SET active = $1, updated_at = $2, updated_by = $3 WHERE id = $4 AND active = $5 RETURNING id`,
    [false, now, actor, id, true],
  );
  return rows.length > 0;
}

/** The district a target (active or not) belongs to, or null when there is no such target. */
export async function districtOfTarget(q: Pick<Tx, 'query'>, id: number): Promise<string | null> {
  const [row] = await q.query<{ district_code: string }>('SELECT district_code FROM district_target WHERE id = $1', [id]);
  return row ? row.district_code : null;
}

/** Every target of a line group off: the bot was removed from it. */
export async function deactivateGroup(tx: Tx, groupId: string, actor: string, now: number): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    `UPDATE district_target SET active = $1, updated_at = $2, updated_by = $3 WHERE kind = 'line_group' AND address = $4 AND active = $5 RETURNING id`,
    [false, now, actor, groupId, true],
  );
  return rows.length;
}

export async function listTargets(tx: Tx, districtCode: string, o: { activeOnly?: boolean } = {}): Promise<DistrictTarget[]> {
  const rows = await tx.query<TargetRow>(
    `SELECT * FROM district_target WHERE district_code = $1 ${o.activeOnly ? 'AND active = $2' : ''} ORDER BY id`,
    o.activeOnly ? [districtCode, true] : [districtCode],
  );
  return rows.map(toTarget);
}

/** The districts a LINE group is bound to (usually one). */
export async function districtsOfGroup(tx: Tx, groupId: string): Promise<string[]> {
  const rows = await tx.query<{ district_code: string }>(
    `SELECT district_code FROM district_target WHERE kind = 'line_group' AND address = $1 AND active = $2 ORDER BY district_code`,
    [groupId, true],
  );
  return rows.map((r) => r.district_code);
}

export function toTarget(r: TargetRow): DistrictTarget {
  return {
    id: Number(r.id),
    districtCode: r.district_code,
    kind: r.kind,
    address: r.address,
    active: r.active === true || r.active === 1,
    hasSecret: r.secret_enc !== null,
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
  };
}
