/** GET /handoffs/:id/messages: the chat since the handoff, whole, for the page to open with. */
import type { RequestHandler } from 'express';
import { chatSince, handoffStartEvent } from '../../../handoffs/chat';
import { recordView } from '../../auth/audit';
import { handoffOfReq, type HandoffsContext } from './context';

export function readChat(c: HandoffsContext): RequestHandler {
  return async (req, res) => {
    const h = handoffOfReq(req);
    const start = await handoffStartEvent(c.db, h);
    const { messages } = await chatSince(c.db, c.cipher, h, { afterInbox: 0, afterOut: 0 }, start);
    // What a citizen types to an officer is often personal (an address, a phone number): who read it is logged.
    await recordView(c.db, { officerId: req.officer!.id, action: 'handoff.view_chat', target: `handoff:${h.id}`, ip: req.ip ?? null, at: c.now() });
    res.json({ handoff: { id: h.id, status: h.status, displayName: c.cipher.reveal(h.displayName), reason: h.reason, requestedAt: h.requestedAt, closedAt: h.closedAt }, messages });
  };
}
