/** GET /content/:messageId: a photo or file the citizen sent, only to an officer who may read a chat of that citizen. */
import type { RequestHandler } from 'express';
import { handoffOfContent, storedContent } from '../../../handoffs/content';
import { HttpError, requirePermission } from '../auth';
import { handoffTarget, type HandoffsContext } from './context';

/** The permission is that of the citizen's latest chat: whoever may reply there may see what they sent. */
export function allowedOnContent(c: HandoffsContext): RequestHandler {
  return requirePermission(
    'handoff.reply',
    async (req) => {
      const handoff = await handoffOfContent(c.db, String(req.params.messageId), c.centerDistrict);
      return handoff ? handoffTarget(handoff) : null;
    },
    { hideRefused: true },
  );
}

export function sendContent(c: HandoffsContext): RequestHandler {
  return async (req, res) => {
    const content = await storedContent(c.db, String(req.params.messageId));
    if (!content) throw new HttpError(404, 'Not found');
    const { bytes } = content;
    // Only media is shown inline as what it says it is; anything else is bytes, never a page of this origin.
    res.setHeader('Content-Type', /^(image|video|audio)\/[\w.+-]+$/i.test(content.contentType) ? content.contentType : 'application/octet-stream');
    res.setHeader('Content-Disposition', 'inline');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Length', String(bytes.length));
    res.end(bytes);
  };
}
