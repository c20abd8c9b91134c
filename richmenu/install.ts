/**
 * `npm run richmenu:install [-- --emulator <url>] [-- --image <file>]`: puts richmenu/richmenu.png and its
 * definition live as the default rich menu, replacing the earlier one.
 *
 * Where it goes:
 *   --emulator <url>              that LINE emulator (the server's own is on EMULATOR_PORT, default PORT+1 = 3001);
 *   LINE credentials set          LINE itself (LINE_CHANNEL_ACCESS_TOKEN, .env read as `npm start` does);
 *   neither                       the server's emulator on EMULATOR_PORT if one answers, else a throwaway
 *                                 emulator started here: a dry run that checks the menu against LINE's rules.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { LineApiError, LineNetworkError } from '../line/api';
import { type Settings, SettingsError, loadSettings } from '../config/settings';
import { type Emulator, startEmulator } from '../emulator';
import { RichMenuClient } from './client';
import { RichMenuRuleError } from './definition';
import { RichMenuImageError, installRichMenu } from './installer';
import { DEFAULT_IMAGE } from './paths';

interface Target {
  client: RichMenuClient;
  where: string;
  /** Started here, closed when done. */
  emulator?: Emulator;
}

async function chooseTarget(settings: Settings, emulatorUrl: string | undefined): Promise<Target> {
  const timeoutMs = settings.worker.lineRequestTimeoutMs;
  if (settings.line && emulatorUrl === undefined) {
    const { channelAccessToken, apiBaseUrl, dataApiBaseUrl } = settings.line;
    return { client: new RichMenuClient({ channelAccessToken, apiBaseUrl, dataApiBaseUrl, timeoutMs }), where: `LINE (${apiBaseUrl})` };
  }
  // The server module (and the database layer under it) is loaded only to share its emulator credentials.
  const { EMULATOR_CREDENTIALS } = await import('../emulator/credentials');
  const onEmulator = (url: string, probeMs = timeoutMs) =>
    new RichMenuClient({ channelAccessToken: EMULATOR_CREDENTIALS.channelAccessToken, apiBaseUrl: url, dataApiBaseUrl: url, timeoutMs: probeMs });
  if (emulatorUrl !== undefined) return { client: onEmulator(emulatorUrl), where: `the LINE emulator at ${emulatorUrl}` };
  if (settings.emulatorPort !== 0) {
    const url = `http://127.0.0.1:${settings.emulatorPort}`;
    try {
      await onEmulator(url, 2_000).list();
      return { client: onEmulator(url), where: `the server's LINE emulator at ${url}` };
    } catch (err) {
      if (!(err instanceof LineNetworkError)) throw err;
    }
  }
  const emulator = await startEmulator({ ...EMULATOR_CREDENTIALS, host: '127.0.0.1', port: 0 });
  return { client: onEmulator(emulator.url), where: `a LINE emulator started for this run at ${emulator.url}`, emulator };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { emulator: { type: 'string' }, image: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log('usage: npm run richmenu:install [-- --emulator http://127.0.0.1:3001] [-- --image richmenu/richmenu.png]');
    return 0;
  }
  try {
    process.loadEnvFile?.('.env');
  } catch {
    // No .env file: the environment alone is used.
  }
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (err) {
    if (err instanceof SettingsError) return fail(err.message);
    throw err;
  }

  const imageFile = values.image ?? DEFAULT_IMAGE;
  let image: Buffer;
  try {
    image = await readFile(imageFile);
  } catch (err) {
    return fail(`cannot read ${imageFile} (${(err as Error).message}); draw it with npm run richmenu:render`);
  }

  let target: Target | undefined;
  try {
    target = await chooseTarget(settings, values.emulator?.replace(/\/+$/, ''));
    console.log(`richmenu: installing on ${target.where}`);
    const result = await installRichMenu(target.client, { image, log: (line) => console.log(`richmenu: ${line}`) });
    const replaced = result.replaced.length ? `, replacing ${result.replaced.length} earlier` : '';
    console.log(`richmenu: done: ${result.richMenuId} is the default rich menu${replaced}`);
    if (target.emulator) {
      console.log('richmenu: no emulator was running, so this was a dry run: start the server (npm start) and run again to see it in /simulator');
    } else if (!settings.line || values.emulator !== undefined) {
      console.log(`richmenu: see it at ${values.emulator?.replace(/\/+$/, '') ?? `http://127.0.0.1:${settings.emulatorPort}`}/simulator`);
    }
    return 0;
  } catch (err) {
    if (err instanceof LineApiError) return fail(`LINE refused ${err.endpoint} with ${err.status}: ${err.body}`);
    if (err instanceof LineNetworkError || err instanceof RichMenuRuleError || err instanceof RichMenuImageError) return fail(err.message);
    throw err;
  } finally {
    await target?.emulator?.close();
  }
}

function fail(message: string): number {
  console.error(`richmenu: ${message}`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
