/**
 * The officer console's work API (handoffs, live chat, cases, canned replies), one Router for `/console/api`,
 * mounted beside the accounts router (consoleAuthRouter) that signs officers in:
 *
 *   app.use('/console/api', consoleAuthRouter({db, logger, settings}));
 *   app.use('/console/api', consoleApi({db, cipher, logger, settings, converse, onQueued}));
 */
import { districtsRouter } from './districts';
import express, { type Router } from 'express';
import type { Database } from '../../storage/database';
import type { DataCipher } from '../../storage/crypto';
import type { Logger } from '../../runtime/logger';
import { consoleErrorHandler, createConsoleAuth, type ConsoleAuth } from './auth';
import { handoffsRouter, type HandoffsApiOptions } from './handoffs/index';
import { caseFilesRouter } from './cases/index';
import { cannedRepliesRouter } from './canned-replies';
import { districtDirectoryRouter } from './district-directory';
import { languageRouter } from './language/index';
import { dataRequestsRouter } from './data-requests';
import { faqEditorRouter } from './faq-editor';
import { categoriesRouter } from './categories';
import { categoryList } from '../../categories';
import { petitionsRouter } from './petitions';
import type { FaqStore } from '../../faq/store';
import { retentionRouter } from './retention';
import type { RetentionSettings } from '../../config/settings';
import { flowsEditorRouter } from './flows-editor/index';
import { reportsRouter } from './reports/index';
import { FlowStore } from '../../flows/store';
import { caseDistrictRouter } from './case-district';
import type { PinPlacer } from '../../flows/engine';
import { securityHeaders } from '../security-headers';
import type { DistrictOfficeStore } from '../../office/store';
import type { BasicIdSource } from '../../line/basic-id';
import type { PdfRenderer } from '../../cases/intake-pdf';

export interface ConsoleApiOptions {
  db: Database;
  cipher: DataCipher;
  logger: Logger;
  settings: { centerDistrict: string | null; secureCookies?: boolean; progressNoticeDays?: number; retentionYears?: number; casePrefix?: string };
  /** The Official Account's basic ID, for the QR code on a recorded case's receipt (line/basic-id.ts). */
  lineBasicId?: BasicIdSource;
  /** Prints a case's intake form as a PDF; by default Chromium's (cases/intake-pdf.ts). */
  pdf?: PdfRenderer;
  converse: HandoffsApiOptions['converse'];
  /** The accounts side, when the caller already made one; else one over the same database (sessions are rows). */
  auth?: ConsoleAuth;
  /** The cases' and chats' clock (tests move it). */
  now?: () => number;
  /** The outbox sender's clock: pushes are due at once by it. */
  outboxClock?: () => number;
  /** Wakes the outbox sender after a push was queued. */
  onQueued?: () => void;
  stream?: HandoffsApiOptions['stream'];
  /** Each district's office hours, shared with the conversations (office/store.ts); else one over the defaults. */
  offices?: DistrictOfficeStore;
  /** The bot's FAQ store, so an admin's edit reaches this process's chats at once; else one over the database. */
  faq?: FaqStore;
  /** The bot's flow store, so a publish in the console reaches this process's conversations at once; else one over the database. */
  flows?: FlowStore;
  /** BOUNDARIES_DIR, for the reports' map (geo/); none: the map's numbers show as a table. */
  boundariesDir?: string | null;
  /** The retention purge's settings (the server's); its page is served only with them. */
  retention?: { policy: RetentionSettings; onQueued?: () => void };
  /** Places a case's LINE pin (geo/), to propose a district for a case that has none. */
  placePin?: PinPlacer;
}

export function consoleApi(o: ConsoleApiOptions): Router {
  const auth = o.auth ?? createConsoleAuth({ db: o.db, logger: o.logger, settings: { secureCookies: !!o.settings.secureCookies } });
  const requireOfficer = auth.requireOfficer();
  const common = {
    db: o.db,
    cipher: o.cipher,
    logger: o.logger,
    requireOfficer,
    ...(o.now ? { now: o.now } : {}),
    ...(o.outboxClock ? { outboxClock: o.outboxClock } : {}),
    ...(o.onQueued ? { onQueued: o.onQueued } : {}),
  };
  const router = express.Router();
  router.use(securityHeaders({ https: !!o.settings.secureCookies }));
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store'); // answers carry personal data
    next();
  });
  router.use(express.json({ limit: '32kb' }));
  // Pages, receipts, intake forms and report files name categories as the table does (categories/labels.ts): the
  // list is read (at most every CATEGORY_CACHE_MS) before any of them is made, in whichever process answers.
  router.use(async (_req, _res, next) => {
    await categoryList(o.db);
    next();
  });
  router.use(handoffsRouter({ ...common, centerDistrict: o.settings.centerDistrict, converse: o.converse, ...(o.stream ? { stream: o.stream } : {}) }));
  router.use(cannedRepliesRouter({ db: o.db, centerDistrict: o.settings.centerDistrict, requireOfficer, ...(o.now ? { now: o.now } : {}) }));
  router.use(
    caseFilesRouter({
      ...common,
      ...(o.settings.progressNoticeDays ? { progressNoticeDays: o.settings.progressNoticeDays } : {}),
      ...(o.settings.casePrefix ? { casePrefix: o.settings.casePrefix } : {}),
      centerDistrict: o.settings.centerDistrict,
      ...(o.lineBasicId ? { basicId: o.lineBasicId } : {}),
      ...(o.pdf ? { pdf: o.pdf } : {}),
    }),
  );
  router.use(caseDistrictRouter({ ...common, centerDistrict: o.settings.centerDistrict, ...(o.placePin ? { placePin: o.placePin } : {}) }));
  router.use(districtDirectoryRouter({ requireOfficer }));
  router.use(districtsRouter({ db: o.db, cipher: o.cipher, requireOfficer, ...(o.now ? { now: o.now } : {}), ...(o.offices ? { offices: o.offices } : {}) }));
  router.use(languageRouter({ db: o.db, requireOfficer, ...(o.now ? { now: o.now } : {}) }));
  router.use(faqEditorRouter({ db: o.db, requireOfficer, ...(o.faq ? { faq: o.faq } : {}) }));
  router.use(
    reportsRouter({
      db: o.db,
      cipher: o.cipher,
      requireOfficer,
      centerDistrict: o.settings.centerDistrict,
      ...(o.settings.progressNoticeDays ? { noticeDays: o.settings.progressNoticeDays } : {}),
      boundariesDir: o.boundariesDir ?? null,
      ...(o.offices ? { offices: o.offices } : {}),
      ...(o.pdf ? { pdf: o.pdf } : {}),
      ...(o.now ? { now: o.now } : {}),
    }),
  );
  router.use(petitionsRouter({ db: o.db, cipher: o.cipher, requireOfficer, ...(o.now ? { now: o.now } : {}) }));
  router.use(
    dataRequestsRouter({
      db: o.db,
      requireOfficer,
      ...(o.now ? { now: o.now } : {}),
      ...(o.outboxClock ? { outboxClock: o.outboxClock } : {}),
      ...(o.onQueued ? { onQueued: o.onQueued } : {}),
      ...(o.settings.retentionYears ? { retentionYears: o.settings.retentionYears } : {}),
    }),
  );
  if (o.retention) {
    const { policy, onQueued } = o.retention;
    router.use(retentionRouter({ db: o.db, requireOfficer, policy, ...(o.now ? { now: o.now } : {}), ...(onQueued ? { onQueued } : {}) }));
  }
  const flows = o.flows ?? new FlowStore(o.db);
  router.use(categoriesRouter({ db: o.db, requireOfficer, flows, ...(o.now ? { now: o.now } : {}) }));
  router.use(flowsEditorRouter({ db: o.db, flows, requireOfficer, ...(o.faq ? { faq: o.faq } : {}), ...(o.now ? { now: o.now } : {}) }));
  router.use(consoleErrorHandler(o.logger));
  return router;
}
