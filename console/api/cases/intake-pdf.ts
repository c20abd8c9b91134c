/**
 * GET /cases/:number/intake-form.pdf: the case as the center's paper intake form (cases/intake-form.ts), printed
 * by Chromium (cases/intake-pdf.ts). The national ID and phone are on it only for those who may see them
 * (case.view_personal); every print is in the audit log, saying whether they were. 503 when this machine cannot
 * print (no Chromium, no Thai font).
 */
import type { RequestHandler } from 'express';
import { caseAttachments, caseTimeline } from '../../../cases/files';
import { intakeFormHtml } from '../../../cases/intake-form';
import { FormFontMissingError, PdfUnavailableError } from '../../../cases/intake-pdf';
import { qrSvg, trackingLineUrl } from '../../../cases/track-link';
import { recordAudit } from '../../auth/audit';
import { officerNames } from '../../auth/officer-directory';
import { can } from '../../auth/permissions';
import { actorOf, HttpError } from '../auth';
import { caseOfReq, caseTarget, type CasesContext } from './context';
import { basicIdOf } from './receipt';

export function intakeFormPdf(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const row = caseOfReq(req);
    const actor = actorOf(req);
    const personal = can(actor, 'case.view_personal', caseTarget(row));
    const created = (await caseTimeline(c.db, row.id)).find((e) => e.kind === 'created');
    const recorder = created?.actor_type === 'officer' && /^\d+$/.test(String(created.actor_id)) ? Number(created.actor_id) : null;
    const me = req.officer!.id;
    const names = await officerNames(c.db, [me, ...(recorder !== null ? [recorder] : [])]);
    const basicId = await basicIdOf(c);
    const number = row.tracking_number;
    const html = intakeFormHtml({
      locale: 'th',
      trackingNumber: number,
      districtCode: row.district_code,
      createdAt: row.created_at,
      channel: row.channel,
      category: row.category,
      complainant: {
        anonymous: Boolean(row.anonymous),
        name: row.complainant_name,
        address: row.address,
        phone: personal ? (row.phone_enc ? c.cipher.decrypt(row.phone_enc) : null) : undefined,
        nationalId: personal ? (row.national_id_enc ? c.cipher.decrypt(row.national_id_enc) : null) : undefined,
      },
      story: row.story,
      occurredOn: row.occurred_on,
      location: row.location,
      subject: row.subject,
      request: row.request,
      evidence: (await caseAttachments(c.db, row.id)).map((a) => ({ fileName: a.file_name, contentType: a.content_type, size: Number(a.size) })),
      receivedBy: recorder !== null ? (names.get(recorder) ?? null) : null,
      printedAt: c.now(),
      printedBy: names.get(me) ?? actor.username,
      track: basicId && !row.anonymous ? { qrSvg: await qrSvg(trackingLineUrl(basicId, number)) } : null,
    });
    let pdf: Buffer;
    try {
      pdf = await c.pdf(html);
    } catch (err) {
      if (err instanceof PdfUnavailableError || err instanceof FormFontMissingError) {
        c.logger.error({ err }, 'the intake form could not be printed');
        throw new HttpError(503, 'The PDF cannot be printed on this server now', { problem: err.name });
      }
      throw err;
    }
    await recordAudit(c.db, { officerId: me, action: 'case.print_form', target: number, detail: { personal }, ip: req.ip ?? null, at: c.now() });
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="intake-${number}.pdf"`);
    res.send(pdf);
  };
}
