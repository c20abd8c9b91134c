/** POST /handoffs/:id/reply: the officer holding the chat answers, in their words or with a canned reply of the district. */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { cannedTextFor } from '../../../handoffs/canned-replies';
import { sendOfficerReply } from '../../../handoffs/replies';
import { HttpError } from '../auth';
import { handoffOfReq, mustHoldClaim, type HandoffsContext } from './context';

const replyBody = z.union([z.strictObject({ text: z.string().trim().min(1).max(5000) }), z.strictObject({ cannedId: z.number().int().positive() })]);

export function reply(c: HandoffsContext): RequestHandler {
  return async (req, res) => {
    const h = handoffOfReq(req);
    const body = replyBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Send {"text": ...} or {"cannedId": ...}');
    mustHoldClaim(h, req);
    let text: string;
    if ('text' in body.data) text = body.data.text;
    else {
      const canned = await cannedTextFor(c.db, body.data.cannedId, h.districtCode ?? '');
      if (!canned) throw new HttpError(404, 'No such canned reply');
      // The citizen reads it in the language they chat in.
      text = h.locale === 'en' ? canned.textEn : canned.textTh;
    }
    const at = c.now();
    const officerId = req.officer!.id;
    const id = await c.db.transaction((tx) => sendOfficerReply(tx, { chatId: h.chatId, handoffId: h.id, officerId, text, at }, c.sendAt()));
    c.onQueued?.();
    c.logger.info({ handoff: h.id, officer: officerId }, 'officer replied in chat');
    res.status(201).json({ id: `out-${id}`, at, text });
  };
}
