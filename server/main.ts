import { loadSettings, SettingsError } from '../config/settings';
import { startServer } from './start';

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

const server = await startServer(settings);
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
