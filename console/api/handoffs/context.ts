/**
 * What every handoff route shares: the options the console mounts them with, and the loading of the handoff named
 * in the path. A handoff's district is read from the database (handoffs/queue.ts), never from the request, and
 * one the officer may not see is a 404, as if it did not exist.
 */
import type { Request, RequestHandler } from 'express';
import type { Database, Tx } from '../../../storage/database';
import type { DataCipher } from '../../../storage/crypto';
import type { Logger } from '../../../runtime/logger';
import type { EngineInput, OutMessage } from '../../../flows/engine';
import { handoffById, type HandoffRow } from '../../../handoffs/queue';
import type { Target } from '../../auth/permissions';
import { HttpError, requirePermission } from '../auth';

export interface HandoffsApiOptions {
  db: Database;
  cipher: DataCipher;
  logger: Logger;
  /** CENTER_DISTRICT: where a chat whose citizen has no placed case belongs. */
  centerDistrict: string | null;
  /** Session cookie → req.officer (console/api/auth.ts). */
  requireOfficer: RequestHandler;
  /** One conversation step in the caller's transaction (bot/flow-handler.ts `converse`, as cases/jobs.ts uses it). */
  converse(tx: Tx, c: { chatId: string; input: EngineInput; logger: Logger; stampedAt: number }): Promise<OutMessage[]>;
  now?: () => number;
  /** The outbox sender's clock (default Date.now): pushes are due at once by it. */
  outboxClock?: () => number;
  /** Wakes the outbox sender after a push was queued. */
  onQueued?: () => void;
  /** How often a live stream looks for new messages, and how often it says it is alive. */
  stream?: { pollMs?: number; heartbeatMs?: number };
}

/** The options with their defaults filled in, as the route handlers take them. */
export type HandoffsContext = Omit<HandoffsApiOptions, 'now' | 'outboxClock'> & { now: () => number; sendAt: () => number };

export const contextOf = (o: HandoffsApiOptions): HandoffsContext => ({ ...o, now: o.now ?? Date.now, sendAt: o.outboxClock ?? Date.now });

export const handoffTarget = (h: HandoffRow): Target => ({ districtCode: h.districtCode });

type WithHandoff = Request & { handoff?: HandoffRow };

/** Loads the handoff of the path (req.params.id) and lets the request on only if the officer may `action` it. */
export function allowedOnHandoff(c: HandoffsContext, action: 'handoff.claim' | 'handoff.reply'): RequestHandler {
  return requirePermission(
    action,
    async (req) => {
      const h = await handoffById(c.db, Number(req.params.id), c.centerDistrict);
      if (!h) return null;
      (req as WithHandoff).handoff = h;
      return handoffTarget(h);
    },
    { hideRefused: true },
  );
}

/** The handoff allowedOnHandoff loaded. */
export const handoffOfReq = (req: Request): HandoffRow => (req as WithHandoff).handoff!;

/** A reply or an ending needs the chat open and claimed by this officer. */
export function mustHoldClaim(h: HandoffRow, req: Request): void {
  if (h.status !== 'waiting') throw new HttpError(409, 'This chat has ended');
  if (!h.claim) throw new HttpError(409, 'Claim this chat first');
  if (h.claim.officerId !== req.officer!.id) throw new HttpError(409, 'Another officer has taken this chat');
}
