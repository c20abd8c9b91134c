/**
 * GET /cases/:number/receipt: what the walk-in's printed slip shows (the console's receipt page lays it out and
 * prints it): the center, the number, the category, the channel, the dates, and the QR code that opens the
 * center's LINE chat with "ติดตาม <number>" typed (cases/track-link.ts). No personal number is on it; the name is,
 * as on any receipt handed to its owner. Every print is written to the audit log.
 */
import type { RequestHandler } from 'express';
import { qrSvg, trackingLineUrl, trackingMessage } from '../../../cases/track-link';
import { districtName } from '../../../notify/messages';
import { recordAudit } from '../../auth/audit';
import { caseOfReq, type CasesContext } from './context';

/** The Official Account's basic ID, or null (not set and LINE not reached): a receipt is printed without its QR then. */
export async function basicIdOf(c: CasesContext): Promise<string | null> {
  if (!c.basicId) return null;
  try {
    return await c.basicId();
  } catch (err) {
    c.logger.warn({ err }, 'printing without the LINE QR code: the basic ID is not known');
    return null;
  }
}

export function receipt(c: CasesContext): RequestHandler {
  return async (req, res) => {
    const row = caseOfReq(req);
    const basicId = await basicIdOf(c);
    const lineUrl = basicId ? trackingLineUrl(basicId, row.tracking_number) : null;
    const svg = lineUrl ? await qrSvg(lineUrl) : null;
    await recordAudit(c.db, { officerId: req.officer!.id, action: 'case.print_receipt', target: row.tracking_number, ip: req.ip ?? null, at: c.now() });
    const district = row.district_code;
    res.json({
      number: row.tracking_number,
      category: row.category,
      channel: row.channel,
      status: row.status,
      createdAt: row.created_at,
      dueAt: row.due_at,
      complainantName: row.anonymous ? null : row.complainant_name,
      center: district ? { districtCode: district, th: districtName(district, 'th'), en: districtName(district, 'en') } : null,
      track: lineUrl && svg ? { basicId, lineUrl, message: trackingMessage(row.tracking_number), qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` } : null,
    });
  };
}
