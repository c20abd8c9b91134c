/**
 * POST /handoffs/:id/end: the officer holding the chat ends it. The chat goes back to the bot, which asks the
 * citizen how it was (a 1-5 rating), in the same transaction as the closing.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { queueMessages } from '../../../storage/outbox';
import { loadSession, saveSession } from '../../../flows/sessions';
import { closeHandoff } from '../../../handoffs/claims';
import { HttpError } from '../auth';
import { handoffOfReq, mustHoldClaim, type HandoffsContext } from './context';

/** The flow that asks a citizen to rate a chat an officer ended (flows/definitions/chat-rating.yaml). */
export const CHAT_RATING_FLOW = 'chat-rating';

const endBody = z.strictObject({ reason: z.string().trim().min(1).max(64).optional() });

export function endChat(c: HandoffsContext): RequestHandler {
  return async (req, res) => {
    const h = handoffOfReq(req);
    const body = endBody.safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(400, 'Send {"reason": ...}');
    mustHoldClaim(h, req);
    const reason = body.data.reason ?? 'resolved';
    const at = c.now();
    const ended = await c.db.transaction(async (tx) => {
      if (!(await closeHandoff(tx, { handoffId: h.id, at, reason }))) return false;
      // The chat goes back to the bot, which asks how the chat was.
      const session = await loadSession(tx, h.chatId, c.cipher);
      if (session.state?.handoff) await saveSession(tx, h.chatId, { ...session.state, handoff: null }, session.revision, at, c.cipher);
      const messages = await c.converse(tx, {
        chatId: h.chatId,
        input: { type: 'start', flow: CHAT_RATING_FLOW, slots: { handoff: String(h.id) } },
        logger: c.logger,
        stampedAt: at,
      });
      if (messages.length) await queueMessages(tx, { chatId: h.chatId, messages }, c.sendAt());
      return true;
    });
    if (!ended) throw new HttpError(409, 'This chat has ended');
    c.onQueued?.();
    c.logger.info({ handoff: h.id, officer: req.officer!.id, reason }, 'chat ended by officer');
    res.json({ id: h.id, status: 'closed', closedAt: at });
  };
}
