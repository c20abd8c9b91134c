import { loadSettings } from '../../config/settings';
import { startServer, type RunningServer, type StartOptions } from '../../server/start';
import { createLogger } from '../../runtime/logger';
import { newTestDatabase, type TestDatabase } from './databases';
import type { Emulator } from '../../emulator';
import { setWebhookReachForTests, systemResolve } from '../../notify/webhook-reach';
import { SHARED_BOUNDARIES_DIR } from './boundaries';

/**
 * The address test servers resolve the example webhook hosts the tests type (helpdesk.example.go.th) to, as the
 * test machine has no DNS: public, so the console accepts them; nothing listens there for the tests, and a TLS
 * handshake with it would fail on the name before any body is sent.
 */
export const EXAMPLE_WEBHOOK_ADDRESS = '93.184.216.34';

/** The data key of every test server (32 bytes of 7): tests may decrypt what they stored. */
export const TEST_DATA_KEY = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=';

export interface TestServer extends RunningServer {
  emulator: Emulator;
  testDb: TestDatabase;
  stop(): Promise<void>;
}

/**
 * The real server in this process, on a new database of the given engine, talking to its own LINE emulator
 * (no LINE credentials set), on ephemeral ports. Fast retries so tests do not wait for production backoffs.
 */
export async function startTestServer(
  engine: 'sqlite' | 'postgres',
  env: Record<string, string> = {},
  opts: StartOptions = {},
): Promise<TestServer> {
  const testDb = newTestDatabase(engine);
  // The test allowance: only the resolver is replaced, for *.example.go.th; what may be reached stays public only.
  setWebhookReachForTests({
    resolve: (host) => (host.endsWith('.example.go.th') ? Promise.resolve([{ address: EXAMPLE_WEBHOOK_ADDRESS, family: 4 }]) : systemResolve(host)),
  });
  const settings = loadSettings({
    PORT: '0',
    HOST: '127.0.0.1',
    EMULATOR_PORT: '0',
    DATABASE_URL: testDb.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WORKER_POLL_MS: '50',
    RETRY_BASE_MS: '50',
    RETRY_MAX_MS: '400',
    DATA_KEY: TEST_DATA_KEY,
    // No daily purge while tests move the clock by weeks (it would erase what they check); its own tests turn it on.
    RETENTION_RUN_AT: 'off',
    // Pins are placed with the shared copy of the official boundaries (tests/support/boundaries.ts).
    BOUNDARIES_DIR: SHARED_BOUNDARIES_DIR,
    ...env,
  });
  const server = await startServer(settings, {
    logger: createLogger(settings.logLevel),
    databaseSchema: testDb.schema,
    ...opts,
  });
  return {
    ...server,
    emulator: server.emulator!,
    testDb,
    stop: async () => {
      await server.close();
      await testDb.drop();
    },
  };
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as T;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
