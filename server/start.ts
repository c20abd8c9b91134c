import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createServer, type Server } from 'node:http';
import { LOOPBACK, SettingsError, type Settings } from '../config/settings';
import { Database } from '../storage/database';
import { LineApi } from '../line/api';
import { basicIdSource } from '../line/basic-id';
import { InboxWorker } from '../bot/inbox-worker';
import { OutboxSender } from '../bot/outbox-sender';
import { useOutboxCipher } from '../storage/outbox';
import { FlowHandler } from '../bot/flow-handler';
import { FlowStore, seedShippedFlows } from '../flows/store';
import { isSealed, type DataCipher } from '../storage/crypto';
import { keyFileBesideDatabase, loadDataKeys } from '../storage/data-key';
import { FaqStore } from '../faq/store';
import { Scheduler } from '../scheduler';
import { caseJobHandlers } from '../cases/jobs';
import type { ActionServices } from '../bot/actions';
import { dirname, join } from 'node:path';
import { officeHoursFrom } from '../office/hours';
import { DistrictOfficeStore } from '../office/store';
import { handoffJobHandlers } from '../handoffs/jobs';
import { afterRetentionJob, ensureDailyRetention, retentionJobHandlers } from '../privacy/jobs';
import { NotificationSender } from '../notify/sender';
import { createConsoleAuth } from '../console/api/auth';
import { consoleApi } from '../console/api';
import type { EventHandler } from '../bot/event-handler';
import { createApp, listener } from './app';
import { createLogger, type Logger } from '../runtime/logger';
import type { Emulator } from '../emulator';
import { EMULATOR_CREDENTIALS } from '../emulator/credentials';
import { useBindingCodeKey } from '../notify/binding';
import { defaultLanguageModel } from '../language';
import { MetricsCollector } from '../metrics';
import { metrics } from '../runtime/metrics';
import { packageVersion, startupBanner } from './banner';
import { codesAgree, loadBoundaries, pinPlacer } from '../geo';
import type { PinPlacer } from '../flows/engine';


export interface RunningServer {
  url: string;
  port: number;
  settings: Settings;
  db: Database;
  logger: Logger;
  worker: InboxWorker;
  outbox: OutboxSender;
  emulator: Emulator | null;
  flows: FlowStore;
  scheduler: Scheduler;
  notifications: NotificationSender;
  cipher: DataCipher;
  faq: FaqStore;
  /** Reads the queue depths and LINE's message quota for /metrics on timers; `countQueues()` reads them now. */
  metrics: MetricsCollector;
  /** Graceful: stop intake, finish events in flight, close the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  handler?: EventHandler<unknown>;
  databaseSchema?: string;
  workerId?: string;
  /** The conversations' and the scheduler's clock, for tests that move time (idle sessions, 15-day notices). */
  conversationClock?: () => number;
}

export async function startServer(settings: Settings, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(settings.logLevel);
  // loadSettings refuses this too; checked again for settings built some other way.
  if (!settings.line && settings.nodeEnv === 'production') {
    throw new SettingsError([
      'LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN: are required with NODE_ENV=production; without them the server runs the local LINE emulator, whose channel secret is public',
    ]);
  }
  // Without LINE credentials the webhook checks signatures with the emulator's secret, which is in this
  // repository: anyone who reached the port could sign events. So only this machine may reach it.
  const host = settings.line ? settings.host : LOOPBACK;
  if (host !== settings.host) logger.warn({ host: settings.host, listening: host }, 'no LINE credentials set: listening on 127.0.0.1 only, not HOST');
  const placePin = await placerOf(settings, logger);
  const db = await Database.open(settings.databaseUrl, { schema: opts.databaseSchema, poolSize: settings.databasePoolSize, sqliteCacheMb: settings.sqliteCacheMb });
  const flows = new FlowStore(db);
  const faq = new FaqStore(db);
  let cipher: DataCipher;
  let stopWatchingKeys = () => {};
  let dataKeyFile: string | null = null;
  try {
    const keys = loadDataKeys(settings.dataKey, {
      created: (file) => logger.warn({ file }, 'no DATA_KEY set: made a data key file; keep a copy safe, and set DATA_KEY on every server of a deployment'),
      legacy: (legacyFile, file) =>
        logger.warn({ file: legacyFile }, `using the data key of an earlier install beside the database: move it to ${file} (mkdir -p -m 700 ${dirname(file)} && mv ${legacyFile} ${file})`),
    });
    cipher = keys.cipher;
    dataKeyFile = keys.file ?? null;
    if (keys.file && keyFileBesideDatabase(keys.file, settings.databaseUrl)) {
      logger.warn({ file: keys.file }, 'the data key sits in the database folder, so a copy of that folder opens itself: move the key out and set DATA_KEY_FILE, or set DATA_KEY');
    }
    // A key rotation (npm run keys:rotate) writes the new key into the file: it is used from then on, no restart.
    stopWatchingKeys = keys.watch({
      changed: (kid) => logger.info({ kid }, 'the data key file changed: encrypting with its first key from now on'),
      failed: (err) => logger.error({ err }, 'the data key file cannot be read; the keys in use are kept'),
    });
    useBindingCodeKey(cipher);
    // An invalid flow never goes live: the shipped files and every live version are checked before serving.
    await seedShippedFlows(flows, settings.flowsDir, logger);
    await faq.seedDefaults(join(import.meta.dirname, '..', 'faq', 'defaults.yaml'));
  } catch (err) {
    stopWatchingKeys();
    await db.close();
    throw err;
  }

  let emulator: Emulator | null = null;
  let line = settings.line;
  if (!line) {
    // Loaded only here: a server with LINE credentials never loads the emulator's code.
    const { startEmulator } = await import('../emulator');
    emulator = await startEmulator({ ...EMULATOR_CREDENTIALS, port: settings.emulatorPort, host: LOOPBACK });
    line = { ...EMULATOR_CREDENTIALS, apiBaseUrl: emulator.url, dataApiBaseUrl: emulator.url };
    logger.info({ emulator: emulator.url }, 'no LINE credentials set: talking to the local LINE emulator');
  }

  const lineApi = new LineApi({
    channelAccessToken: line.channelAccessToken,
    apiBaseUrl: line.apiBaseUrl,
    dataApiBaseUrl: line.dataApiBaseUrl,
    timeoutMs: settings.worker.lineRequestTimeoutMs,
    // Replies, pushes and profiles on a thread of their own: their HTTP work off the event loop (line/http-thread.ts).
    offThread: true,
  });
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  useOutboxCipher(db, cipher);
  const outbox = new OutboxSender({ db, line: lineApi, cipher, logger, workerId, settings: settings.worker });
  // publicUrl is known once the server listens (PUBLIC_URL, else its own address): filled in below.
  const services: ActionServices = {
    cipher,
    cases: settings.cases,
    publicUrl: settings.publicUrl ?? '',
    faq,
    centerDistrict: settings.centerDistrict,
    retentionYears: settings.retention.years,
  };
  // One store for the conversations and the console: a district's new hours reach this process's chats at once.
  const offices = new DistrictOfficeStore(officeHoursFrom(settings.office));
  // The shipped language model is read here, not by the first message: parsing it (tens of ms) would otherwise run
  // inside that event's transaction, and a missing or broken model file stops the start with its name.
  defaultLanguageModel();
  const flowHandler = new FlowHandler({
    flows,
    idleMs: settings.sessionIdleMs,
    services,
    offices,
    ...(placePin ? { placePin } : {}),
    ...(opts.conversationClock ? { clock: opts.conversationClock } : {}),
  });
  const scheduler = new Scheduler({
    db,
    logger,
    workerId,
    pollMs: settings.schedulerPollMs,
    ...(opts.conversationClock ? { now: opts.conversationClock } : {}),
    onJobDone: (job) => {
      outbox.wake();
      notifications?.wake();
      retentionDone(job);
    },
  });
  const retentionDone = afterRetentionJob(db, logger);
  for (const [kind, handler] of Object.entries(
    caseJobHandlers({
      progressNoticeDays: settings.cases.progressNoticeDays,
      centerDistrict: settings.centerDistrict,
      converse: (tx, c) => flowHandler.converse(tx, { ...c, profile: null, faq: null, inboxEventId: null }),
      isBusy: (tx, chatId, now) => flowHandler.isBusy(tx, chatId, now),
    }),
  )) {
    scheduler.register(kind, handler);
  }
  for (const [kind, handler] of Object.entries(handoffJobHandlers({ centerDistrict: settings.centerDistrict }))) scheduler.register(kind, handler);
  for (const [kind, handler] of Object.entries(retentionJobHandlers({ policy: settings.retention }))) scheduler.register(kind, handler);
  await ensureDailyRetention(db, settings.retention.runAt, (opts.conversationClock ?? Date.now)());
  const worker = new InboxWorker({
    db,
    line: lineApi,
    handler: opts.handler ?? (flowHandler as EventHandler<unknown>),
    logger,
    workerId,
    settings: settings.worker,
    outbox,
    onQueued: (waiting) => {
      if (waiting) outbox.wake();
      notifications?.wake();
    },
    // Sealed at intake; an event stored before encryption was turned on is still plain JSON.
    openPayload: (stored) => (isSealed(stored) ? cipher.decrypt(stored) : stored),
  });

  // One accounts side for the console, shared by its routers (sessions, CSRF, rate limits).
  const secureCookies = Boolean(settings.publicUrl?.startsWith('https:'));
  const consoleAuth = createConsoleAuth({ db, logger, settings: { secureCookies } });
  const consoleRouter = consoleApi({
    db,
    cipher,
    logger,
    settings: {
      centerDistrict: settings.centerDistrict,
      secureCookies,
      progressNoticeDays: settings.cases.progressNoticeDays,
      retentionYears: settings.retention.years,
      casePrefix: settings.cases.prefix,
    },
    lineBasicId: basicIdSource(settings.lineBasicId, lineApi),
    auth: consoleAuth,
    converse: (tx, c) => flowHandler.converse(tx, { ...c, profile: null, faq: null, inboxEventId: null }),
    onQueued: () => outbox.wake(),
    offices,
    faq,
    flows,
    retention: { policy: settings.retention, onQueued: () => scheduler.wake() },
    boundariesDir: settings.geo.boundariesDir,
    ...(placePin ? { placePin } : {}),
    ...(opts.conversationClock ? { now: opts.conversationClock } : {}),
  });

  const app = createApp({
    db,
    logger,
    channelSecret: line.channelSecret,
    webhookMaxBodyBytes: settings.webhookMaxBodyBytes,
    isReady: () => worker.running && outbox.running,
    onStored: () => worker.wake(),
    simulatorUrl: emulator ? `${emulator.url}/simulator` : null,
    opsToken: settings.opsToken,
    flows,
    faq,
    cipher,
    adminToken: settings.adminToken,
    onQueued: () => outbox.wake(),
    ...(opts.conversationClock ? { casesClock: opts.conversationClock } : {}),
    consoleRouters: [consoleAuth.router, consoleRouter],
    openData: settings.openData,
    trustProxy: settings.trustProxy,
  });

  const server: Server = await new Promise((resolve, reject) => {
    // POST /webhook straight to its handler, the rest through express (server/app.ts listener).
    const s = createServer(listener(app)).listen(settings.port, host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const url = `http://127.0.0.1:${port}`;
  emulator?.setWebhookUrl(`${url}/webhook`);
  services.publicUrl ||= url;
  const notifications = new NotificationSender({
    db,
    line: lineApi,
    mailer: settings.mail.smtpUrl ? await mailTransport(settings.mail.smtpUrl) : null,
    mailFrom: settings.mail.from,
    cipher,
    publicUrl: services.publicUrl,
    logger,
    workerId,
  });

  worker.start();
  outbox.start();
  scheduler.start();
  notifications.start();
  const collector = new MetricsCollector({ db, line: lineApi, logger });
  collector.start();
  const version = packageVersion();
  metrics.info.set({ version, database: db.dialect, line: emulator ? 'emulator' : 'line' }, 1);
  const { fields: bannerFields, text: bannerMessage } = startupBanner({ version, settings, url, host, port, simulatorUrl: emulator ? `${emulator.url}/simulator` : null, workerId, dataKeyFile });
  logger.info(bannerFields, bannerMessage);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down: no new webhooks, finishing events in flight');
      collector.stop();
      const stopped = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await worker.stop(settings.shutdownTimeoutMs);
      await scheduler.stop(settings.shutdownTimeoutMs);
      await notifications.stop(settings.shutdownTimeoutMs);
      await outbox.stop(settings.shutdownTimeoutMs);
      server.closeAllConnections();
      await stopped;
      await lineApi.close();
      await emulator?.close();
      stopWatchingKeys();
      await db.close();
      logger.info('shut down cleanly');
    })());

  return { url, port, settings, db, logger, worker, outbox, emulator, flows, scheduler, notifications, cipher, faq, metrics: collector, close };
}

/**
 * SMTP from SMTP_URL, with timeouts: a mail server that hangs must not hold a notification forever. nodemailer is
 * loaded only then: about 10 MB of memory a server without SMTP_URL does not need.
 */
async function mailTransport(smtpUrl: string) {
  const { default: nodemailer } = await import('nodemailer');
  const u = new URL(smtpUrl);
  const secure = u.protocol === 'smtps:';
  return nodemailer.createTransport({
    host: u.hostname,
    port: Number(u.port) || (secure ? 465 : 587),
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
}

/**
 * The boundaries LINE location pins are placed with (BOUNDARIES_DIR, read once into an index), or null when none
 * are installed: the bot then asks for the place by name, and this says so. A file that is there but unreadable
 * stops the start (BoundariesFormatError names it).
 */
async function placerOf(settings: Settings, logger: Logger): Promise<PinPlacer | null> {
  const boundaries = await loadBoundaries(settings.geo.boundariesDir);
  if (!boundaries.installed) {
    logger.warn({ file: boundaries.file }, 'no boundaries installed (BOUNDARIES_DIR): a LINE location pin is not placed, the bot asks for the place by name; npm run geo:install sets them up');
    return null;
  }
  const served = settings.geo.servedProvinces;
  logger.info(
    { file: boundaries.file, subdistricts: boundaries.index.size, loadMs: Math.round(boundaries.loadMs), served: served ?? 'all' },
    `LINE location pins are placed by the boundaries in ${boundaries.file} (${boundaries.index.size} subdistricts)`,
  );
  if (!codesAgree(boundaries.codes)) logger.warn({ codes: boundaries.codes }, 'the boundaries and the place list (flows/places) disagree on district codes: pins there are not placed');
  return pinPlacer(boundaries.index, { served });
}
