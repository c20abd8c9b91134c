/**
 * POST /cases/:number/unlink-line: an officer undoes a citizen's link of a case filed another way to their LINE
 * account (cases/linking.ts), say when the complainant says the phone that linked it is not theirs. The case's
 * notices go to no chat from then on; the chat that was linked is told once. An event on the timeline and a line
 * in the audit log, in one transaction with the change.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { unlinkCase } from '../../../cases/linking';
import { i18n } from '../../../locales/i18n';
import { queueMessages } from '../../../storage/outbox';
import { recordAudit } from '../../auth/audit';
import { HttpError } from '../auth';
import { caseOfReq, type CasesContext } from './context';

const unlinkBody = z.strictObject({ note: z.string().trim().max(2000).optional() });

export function unlinkLine(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const body = unlinkBody.safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(400, 'Send {"note": ...} or nothing');
    const row = caseOfReq(req);
    const officerId = req.officer!.id;
    const at = c.now();
    await c.db.transaction(async (tx) => {
      const was = await unlinkCase(tx, { caseId: row.id, by: { type: 'officer', officerId }, note: body.data.note || null, now: at });
      if (!was) throw new HttpError(409, 'The case is not linked to a LINE account', { problem: 'not_linked' });
      await recordAudit(tx, { officerId, action: 'case.unlink_line', target: row.tracking_number, ip: req.ip ?? null, at });
      const text = i18n.t('unlinked', { lng: was.locale, ns: 'notices', number: row.tracking_number }) as string;
      await queueMessages(tx, { chatId: was.lineUserId, messages: [{ type: 'text', text }] }, c.sendAt());
    });
    c.onQueued?.();
    c.logger.info({ case: row.tracking_number, officer: officerId }, 'case unlinked from LINE in the console');
    res.json({ ok: true });
  };
}
