/**
 * Emulator mode (no LINE credentials): the server checks webhooks with the emulator's channel secret, which is
 * in this repository, so it listens on 127.0.0.1 only whatever HOST says, and never runs with NODE_ENV=production.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import { loadSettings, SettingsError } from '../config/settings';
import { startServer, type RunningServer } from '../server/start';
import { createLogger } from '../runtime/logger';
import { newTestDatabase, type TestDatabase } from './support/databases';
import { TEST_DATA_KEY } from './support/server';

describe('the server without LINE credentials', () => {
  let testDb: TestDatabase | null = null;
  let server: RunningServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
    await testDb?.drop();
    testDb = null;
  });

  it('listens on 127.0.0.1 only when HOST asks for every interface, and says so', async () => {
    testDb = newTestDatabase('sqlite');
    const settings = loadSettings({ PORT: '0', EMULATOR_PORT: '0', HOST: '0.0.0.0', DATABASE_URL: testDb.url, DATA_KEY: TEST_DATA_KEY, LOG_LEVEL: 'silent' });
    const warnings: unknown[] = [];
    const logger = createLogger('silent');
    const spy = Object.assign(Object.create(logger) as typeof logger, {
      warn: (...args: unknown[]) => void warnings.push(args),
    });
    server = await startServer(settings, { logger: spy });
    const address = server.port;
    expect((await fetch(`http://127.0.0.1:${address}/healthz`)).status).toBe(200);
    expect(warnings).toContainEqual([{ host: '0.0.0.0', listening: '127.0.0.1' }, expect.stringContaining('127.0.0.1 only')]);
    // Another address of this machine, if it has one, is not answered.
    const other = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (other) await expect(fetch(`http://${other}:${address}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    expect(server.emulator?.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('refuses to start with NODE_ENV=production, naming the settings', async () => {
    expect(() => loadSettings({ NODE_ENV: 'production' })).toThrow(SettingsError);
    const settings = { ...loadSettings({ DATABASE_URL: 'sqlite::memory:' }), nodeEnv: 'production' };
    await expect(startServer(settings, { logger: createLogger('silent') })).rejects.toThrow(/LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN: are required with NODE_ENV=production/);
  });
});
