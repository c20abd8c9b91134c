/**
 * What every case route of the console shares: the options it is mounted with, and the loading of the case
 * named in the path. A case's district and confidentiality come from its row, never from the request; a case
 * the officer may not see is a 404, as if it did not exist.
 */
import type { Request, RequestHandler } from 'express';
import type { Database } from '../../../storage/database';
import type { DataCipher } from '../../../storage/crypto';
import type { Logger } from '../../../runtime/logger';
import { caseFileByNumber, type CaseFile } from '../../../cases/files';
import { parseTrackingNumber } from '../../../flows/inputs/tracking-number';
import type { Action, Target } from '../../auth/permissions';
import { requirePermission } from '../auth';
import type { BasicIdSource } from '../../../line/basic-id';
import { chromiumPdfRenderer, type PdfRenderer } from '../../../cases/intake-pdf';

export interface CaseFilesApiOptions {
  db: Database;
  cipher: DataCipher;
  logger: Logger;
  requireOfficer: RequestHandler;
  /** The cases' clock (tests move it). */
  now?: () => number;
  outboxClock?: () => number;
  onQueued?: () => void;
  /** The progress clock a reopened case starts again with (PROGRESS_NOTICE_DAYS, 15 by default). */
  progressNoticeDays?: number;
  /** Cases recorded in the console (record.ts): the tracking-number prefix (CENTER_PREFIX, MDH by default). */
  casePrefix?: string;
  /** Where a case that cannot be placed is notified (CENTER_DISTRICT). */
  centerDistrict?: string | null;
  /** The Official Account's basic ID for the receipt's QR code (line/basic-id.ts); none: receipts carry no QR code. */
  basicId?: BasicIdSource;
  /** Prints the intake form (cases/intake-pdf.ts); by default Chromium's. */
  pdf?: PdfRenderer;
}

const DEFAULT_PROGRESS_NOTICE_DAYS = 15;

/** The options with their defaults filled in, as the route handlers take them. */
export type CasesContext = Omit<CaseFilesApiOptions, 'now' | 'outboxClock' | 'progressNoticeDays' | 'casePrefix' | 'pdf'> & {
  casePrefix: string;
  pdf: PdfRenderer;
  now: () => number;
  /** The outbox sender's clock: a citizen's notice is due at once by it. */
  sendAt: () => number;
  progressNoticeDays: number;
};

export const contextOf = (o: CaseFilesApiOptions): CasesContext => ({
  ...o,
  now: o.now ?? Date.now,
  sendAt: o.outboxClock ?? Date.now,
  progressNoticeDays: o.progressNoticeDays ?? DEFAULT_PROGRESS_NOTICE_DAYS,
  casePrefix: o.casePrefix ?? 'MDH',
  pdf: o.pdf ?? chromiumPdfRenderer(),
});

export const caseTarget = (r: CaseFile): Target => ({ districtCode: r.district_code, provinceCode: r.province_code, confidential: Boolean(r.confidential) });

type WithCase = Request & { caseRow?: CaseFile };

/** Loads the case of the path (req.params.number) and lets the request on only if the officer may `action` it. */
export function allowedOnCase(c: CasesContext, action: Action): RequestHandler {
  return requirePermission(
    action,
    async (req) => {
      const parsed = parseTrackingNumber(String(req.params.number));
      const row = parsed.ok ? await caseFileByNumber(c.db, c.cipher, parsed.value.text) : null;
      if (!row) return null;
      (req as WithCase).caseRow = row;
      return caseTarget(row);
    },
    { hideRefused: true },
  );
}

/** The case allowedOnCase loaded. */
export const caseOfReq = (req: Request): CaseFile => (req as WithCase).caseRow!;
