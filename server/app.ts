import express, { type Express } from 'express';
import type { RequestListener } from 'node:http';
import type { Database } from '../storage/database';
import { webhookIntake, webhookRouter, type WebhookHandler } from '../bot/webhook';
import { opsRouter } from './ops';
import { flowsAdminRouter } from '../console/api/flows';
import type { FlowStore } from '../flows/store';
import type { FaqStore } from '../faq/store';
import type { DataCipher } from '../storage/crypto';
import { faqAdminRouter } from '../console/api/faq';
import { casesAdminRouter } from '../console/api/cases/admin';
import type { AdminToken } from '../console/api/admin-token';
import { exportRouter, EXPORT_PATH } from '../cases/my-data';
import type { Router } from 'express';
import type { Logger } from '../runtime/logger';
import { consolePages, CONSOLE_DIST } from '../console/web/serve';
import { bearer } from '../console/api/admin-token';
import { metricsRoute } from '../metrics';
import { open311Router, OPEN311_PATH } from './open311';

export interface AppOptions {
  db: Database;
  logger: Logger;
  channelSecret: string;
  webhookMaxBodyBytes: number;
  isReady: () => boolean;
  onStored: () => void;
  simulatorUrl?: string | null;
  opsToken?: string | null;
  flows: FlowStore;
  faq: FaqStore;
  cipher: DataCipher;
  /** The admin APIs' bearer token and its holder, the actor of every change made with it; null: the APIs are off. */
  adminToken?: AdminToken | null;
  onQueued?: () => void;
  /** The clock officers' changes are stamped with; tests move it with the conversations' clock. */
  casesClock?: () => number;
  /** Whose X-Forwarded-* headers are believed (TRUST_PROXY); default loopback. */
  trustProxy?: string | number;
  /** OPEN_DATA: the Open311 read endpoints at /open311/v2 (off: 404). */
  openData?: boolean;
  /** The officer console's routers, mounted at /console/api in order (accounts first). */
  consoleRouters?: Router[];
}

const webhooks = new WeakMap<Express, WebhookHandler>();

/**
 * What to serve an app with (http.createServer(listener(app))): POST /webhook goes straight to the webhook's handler
 * on Node's request and response, everything else through express. Express's router and its request and response
 * decorations cost about 100 µs a request, as much again as storing the event (the benchmark's profile), and the
 * webhook is most of the traffic; served by express alone (app.listen, in tests) the same handler runs as a route.
 */
export function listener(app: Express): RequestListener {
  const webhook = webhooks.get(app);
  if (!webhook) return app;
  return (req, res) => {
    if (req.method === 'POST' && isWebhookPath(req.url)) webhook(req, res);
    else app(req, res);
  };
}

/** '/webhook' as express matches it: a trailing slash, a query string and upper case allowed. */
function isWebhookPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?', 1)[0]!.toLowerCase();
  return path === '/webhook' || path === '/webhook/';
}

/**
 * The HTTP surface. The webhook route comes first and reads its own raw body and checks its signature
 * (bot/webhook.ts); no body parser is mounted globally, so nothing touches the webhook's bytes before the signature
 * check.
 */
export function createApp(o: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Only a proxy we run may say who the client is and that it came over HTTPS: anyone else could forge the headers.
  app.set('trust proxy', o.trustProxy ?? 'loopback');
  const webhookOptions = {
    channelSecret: o.channelSecret,
    maxBodyBytes: o.webhookMaxBodyBytes,
    db: o.db,
    logger: o.logger,
    onStored: o.onStored,
    sealPayload: (json: string) => o.cipher.encrypt(json),
  };
  app.use(webhookRouter(webhookOptions));
  webhooks.set(app, webhookIntake(webhookOptions));

  app.use('/ops', opsRouter({ db: o.db, token: o.opsToken ?? null }));
  // Prometheus, with the operations token (404 without OPS_TOKEN): the queue depths and LINE use are no one else's.
  app.get('/metrics', bearer(o.opsToken ?? null), metricsRoute);
  app.use('/api/admin/flows', flowsAdminRouter({ store: o.flows, db: o.db, token: o.adminToken ?? null, logger: o.logger }));
  app.use('/api/admin/faq', faqAdminRouter({ store: o.faq, db: o.db, token: o.adminToken ?? null, logger: o.logger }));
  app.use('/api/admin/cases', casesAdminRouter({
      db: o.db,
      token: o.adminToken ?? null,
      logger: o.logger,
      ...(o.onQueued ? { onQueued: o.onQueued } : {}),
      ...(o.casesClock ? { now: o.casesClock } : {}),
    }));
  app.use(OPEN311_PATH, open311Router({ db: o.db, enabled: !!o.openData, ...(o.casesClock ? { now: o.casesClock } : {}) }));
  app.use(EXPORT_PATH, exportRouter({ db: o.db, cipher: o.cipher, logger: o.logger }));
  // The officer console's API: accounts and sessions first, then handoffs, chats and cases (console/api/).
  for (const router of o.consoleRouters ?? []) app.use('/console/api', router);
  // The console's pages (console/web, built into console/dist) at /console, page routes falling back to index.html.
  app.use(consolePages(CONSOLE_DIST));
  app.get('/healthz', (_req, res) => void res.json({ status: 'alive' }));
  app.get('/readyz', async (_req, res) => {
    const database = await o.db.ping();
    const worker = o.isReady();
    res.status(database && worker ? 200 : 503).json({ status: database && worker ? 'ready' : 'not ready', database, worker });
  });
  app.get('/', (_req, res) => {
    res.type('text/plain; charset=utf-8').send(
      [
        'E-Channel, District Damrongdhama Center (ศูนย์ดำรงธรรมอำเภอ)',
        'LINE webhook: POST /webhook',
        o.simulatorUrl ? `LINE emulator chat page: ${o.simulatorUrl}` : '',
      ].filter(Boolean).join('\n'),
    );
  });
  app.use((_req, res) => void res.status(404).json({ message: 'Not found' }));
  return app;
}
