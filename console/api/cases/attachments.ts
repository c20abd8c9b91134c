/**
 * GET /cases/:number/attachments/:id: a piece of a case's evidence, to those who may see the case (a confidential
 * one only to those the permission table allows; anyone else, and an attachment of another case, gets a 404).
 * Every download is written to the audit log.
 */
import type { RequestHandler } from 'express';
import { attachmentOfCase } from '../../../cases/files';
import { recordAudit } from '../../auth/audit';
import { HttpError } from '../auth';
import { sendStoredFile } from '../handoffs/content';
import { caseOfReq, type CasesContext } from './context';

/** Where the console fetches an attachment's bytes. */
export const attachmentUrl = (trackingNumber: string, id: number) => `/console/api/cases/${encodeURIComponent(trackingNumber)}/attachments/${id}`;

export function downloadAttachment(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const row = caseOfReq(req);
    const id = /^\d{1,15}$/.test(String(req.params.id)) ? Number(req.params.id) : 0;
    const a = await attachmentOfCase(c.db, row.id, id);
    if (!a) throw new HttpError(404, 'Not found');
    await recordAudit(c.db, {
      officerId: req.officer!.id,
      action: 'case.download_file',
      target: row.tracking_number,
      detail: { attachmentId: a.id, ...(a.lineMessageId ? { messageId: a.lineMessageId } : {}) },
      ip: req.ip ?? null,
      at: c.now(),
    });
    sendStoredFile(res, a.contentType, a.bytes);
  };
}
