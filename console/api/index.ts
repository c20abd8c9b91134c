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
import { securityHeaders } from '../security-headers';
import type { DistrictOfficeStore } from '../../office/store';

export interface ConsoleApiOptions {
  db: Database;
  cipher: DataCipher;
  logger: Logger;
  settings: { centerDistrict: string | null; secureCookies?: boolean; progressNoticeDays?: number };
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
  router.use(handoffsRouter({ ...common, centerDistrict: o.settings.centerDistrict, converse: o.converse, ...(o.stream ? { stream: o.stream } : {}) }));
  router.use(cannedRepliesRouter({ db: o.db, centerDistrict: o.settings.centerDistrict, requireOfficer, ...(o.now ? { now: o.now } : {}) }));
  router.use(caseFilesRouter({ ...common, ...(o.settings.progressNoticeDays ? { progressNoticeDays: o.settings.progressNoticeDays } : {}) }));
  router.use(districtDirectoryRouter({ requireOfficer }));
  router.use(districtsRouter({ db: o.db, cipher: o.cipher, requireOfficer, ...(o.now ? { now: o.now } : {}), ...(o.offices ? { offices: o.offices } : {}) }));
  router.use(languageRouter({ db: o.db, requireOfficer, ...(o.now ? { now: o.now } : {}) }));
  router.use(consoleErrorHandler(o.logger));
  return router;
}
