/**
 * Run the emulator on its own: `npm run emulator`.
 *   EMULATOR_PORT (default 3001), EMULATOR_HOST (default 127.0.0.1), LINE_CHANNEL_SECRET,
 *   LINE_CHANNEL_ACCESS_TOKEN, EMULATOR_WEBHOOK_URL (default http://127.0.0.1:3000/webhook)
 */
import { startEmulator } from './index';

const secret = process.env['LINE_CHANNEL_SECRET'];
const token = process.env['LINE_CHANNEL_ACCESS_TOKEN'];
if (!secret || !token) {
  console.error('LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN must be set (the same values the bot uses).');
  process.exit(1);
}

const emulator = await startEmulator({
  port: Number(process.env['EMULATOR_PORT'] ?? 3001),
  host: process.env['EMULATOR_HOST'] ?? '127.0.0.1',
  channelSecret: secret,
  channelAccessToken: token,
  webhookUrl: process.env['EMULATOR_WEBHOOK_URL'] ?? 'http://127.0.0.1:3000/webhook',
  logger: { info: (...a) => console.log(...a), warn: (...a) => console.warn(...a) },
});

console.log(`LINE emulator: ${emulator.url}  (chat page: ${emulator.url}/simulator)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
