/** POST /handoffs/:id/claim: the officer takes a waiting chat; a chat another officer holds is a 409. */
import type { RequestHandler } from 'express';
import { claimHandoff } from '../../../handoffs/claims';
import { HttpError } from '../auth';
import { handoffOfReq, type HandoffsContext } from './context';

export function claim(c: HandoffsContext): RequestHandler {
  return async (req, res) => {
    const h = handoffOfReq(req);
    if (h.status !== 'waiting') throw new HttpError(409, 'This chat has ended');
    const officer = req.officer!;
    const at = c.now();
    if (!(await claimHandoff(c.db, { handoffId: h.id, officerId: officer.id, at }))) throw new HttpError(409, 'Another officer has taken this chat');
    c.logger.info({ handoff: h.id, officer: officer.id }, 'handoff claimed');
    res.json({ id: h.id, claimedBy: { officerId: officer.id, name: officer.displayName, at } });
  };
}
