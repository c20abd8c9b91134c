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

/** A file name safe in a header: the stored name's letters and digits (Thai too, percent-free), else one made up. */
function safeFileName(stored: string | null, id: number, contentType: string): string {
  const ext = contentType.split('/')[1]?.replace(/[^a-z0-9]/gi, '').slice(0, 5) || 'bin';
  const clean = (stored ?? '').replace(/[^\p{L}\p{N}._ -]/gu, '').trim().slice(0, 100);
  // A header carries Latin-1 only: a Thai name becomes the id, the page keeps the name it shows.
  return clean && /^[\x20-\x7e]+$/.test(clean) ? clean : `evidence-${id}.${ext}`;
}

/** Where the console fetches an attachment's bytes. */
export const attachmentUrl = (trackingNumber: string, id: number) => `/console/api/cases/${encodeURIComponent(trackingNumber)}/attachments/${id}`;

export function downloadAttachment(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const row = caseOfReq(req);
    const id = /^\d{1,15}$/.test(String(req.params.id)) ? Number(req.params.id) : 0;
    const a = await attachmentOfCase(c.db, c.cipher, row.id, id);
    if (!a) throw new HttpError(404, 'Not found');
    // Shown in the page (a thumbnail, the viewer) or saved as a file: both audited, told apart.
    const download = req.query.download === '1';
    await recordAudit(c.db, {
      officerId: req.officer!.id,
      action: download ? 'case.download_file' : 'case.view_file',
      target: row.tracking_number,
      detail: { attachmentId: a.id, ...(a.lineMessageId ? { messageId: a.lineMessageId } : {}) },
      ip: req.ip ?? null,
      at: c.now(),
    });
    sendStoredFile(res, a.contentType, a.bytes, download ? safeFileName(a.fileName, a.id, a.contentType) : undefined);
  };
}
