/** GET /handoffs: the open handoffs the officer may take, oldest first, with how long each has waited. */
import type { RequestHandler } from 'express';
import { firstAnswer, openHandoffs } from '../../../handoffs/queue';
import { can } from '../../auth/permissions';
import { actorOf } from '../auth';
import { handoffTarget, type HandoffsContext } from './context';

export function listQueue(c: HandoffsContext): RequestHandler {
  return async (req, res) => {
    const actor = actorOf(req);
    const at = c.now();
    const visible = (await openHandoffs(c.db, c.centerDistrict)).filter((h) => can(actor, 'handoff.claim', handoffTarget(h)));
    res.json({
      handoffs: visible.map((h) => ({
        id: h.id,
        displayName: c.cipher.reveal(h.displayName),
        reason: h.reason,
        royalPetition: h.reason === 'royal_petition',
        districtCode: h.districtCode,
        requestedAt: h.requestedAt,
        waitingSeconds: Math.max(0, Math.floor((at - h.requestedAt) / 1000)),
        claimedBy: h.claim ? { officerId: h.claim.officerId, name: h.claim.officerName, at: h.claim.claimedAt } : null,
        ...firstAnswer(h, at),
      })),
    });
  };
}
