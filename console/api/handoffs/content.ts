/**
 * GET /content/:messageId: a photo or file a citizen sent, served only by the record it belongs to: to an officer
 * who may read the handoff chat it was sent in (within that handoff's span, not merely any chat of the citizen),
 * or who may see a case it is evidence of (a confidential case only to those the permission table allows). Any
 * other reader gets the same 404 as for a file that does not exist. Every download is written to the audit log.
 */
import type { RequestHandler, Response } from 'express';
import { handoffOfContent, storedContent } from '../../../handoffs/content';
import { attachmentOfCase, evidenceHoldersOf } from '../../../cases/files';
import { recordAudit } from '../../auth/audit';
import { can } from '../../auth/permissions';
import { actorOf, HttpError } from '../auth';
import { handoffTarget, type HandoffsContext } from './context';

/** Sends stored bytes: only media is shown inline as what it says it is; anything else is bytes, never a page of this origin. */
export function sendStoredFile(res: Response, contentType: string, bytes: Buffer, saveAs?: string): void {
  res.setHeader('Content-Type', /^(image|video|audio)\/[\w.+-]+$/i.test(contentType) ? contentType : 'application/octet-stream');
  res.setHeader('Content-Disposition', saveAs ? `attachment; filename="${saveAs}"` : 'inline');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Length', String(bytes.length));
  res.end(bytes);
}

export function sendContent(c: HandoffsContext): RequestHandler {
  return async (req, res) => {
    const actor = actorOf(req);
    const messageId = String(req.params.messageId);
    const audit = (action: string, target: string, detail: Record<string, unknown>) =>
      recordAudit(c.db, { officerId: actor.id, action, target, detail: { messageId, ...detail }, ip: req.ip ?? null, at: c.now() });

    const handoff = await handoffOfContent(c.db, c.cipher, messageId, c.centerDistrict, (h) => can(actor, 'handoff.reply', handoffTarget(h)));
    if (handoff) {
      const content = await storedContent(c.db, c.cipher, messageId);
      if (content) {
        await audit('handoff.download_file', `handoff:${handoff.id}`, {});
        return sendStoredFile(res, content.contentType, content.bytes);
      }
    }
    // Evidence is served from the case's own copy, kept even when the chat's is not.
    const holder = (await evidenceHoldersOf(c.db, messageId)).find((e) =>
      can(actor, 'case.view', { districtCode: e.districtCode, provinceCode: e.provinceCode, confidential: e.confidential }),
    );
    const evidence = holder ? await attachmentOfCase(c.db, c.cipher, holder.caseId, holder.attachmentId) : null;
    if (holder && evidence) {
      await audit('case.download_file', holder.trackingNumber, { attachmentId: evidence.id });
      return sendStoredFile(res, evidence.contentType, evidence.bytes);
    }
    throw new HttpError(404, 'Not found');
  };
}
