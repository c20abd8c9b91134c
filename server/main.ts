import { loadSettings, SettingsError } from '../config/settings';
import { startServer } from './start';
import { FlowsInvalidError } from '../flows/store';
import { formatFlowError } from '../flows/files';

/** `npm start`: settings from the environment (and .env when present), then the server until a signal. */
try {
  process.loadEnvFile?.('.env');
} catch {
  // No .env file: the environment alone is used.
}

let settings;
try {
  settings = loadSettings();
} catch (err) {
  if (err instanceof SettingsError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

let server;
try {
  server = await startServer(settings);
} catch (err) {
  if (err instanceof FlowsInvalidError) {
    // Said plainly, file by file: an invalid flow never goes live, so the server does not start with one.
    console.error(`The server did not start: ${err.errors.length} problem(s) in the conversation flows.`);
    for (const e of err.errors) console.error(`  ${formatFlowError(e)}`);
    process.exit(1);
  }
  throw err;
}
let signals = 0;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (++signals > 1) process.exit(1);
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
