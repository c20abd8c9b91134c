/**
 * The baseline: the naive echo bot. The SDK's signature middleware, then a reply per text event (its text back) and
 * per follow (a fixed greeting) through the SDK client, and 200 once the replies are sent. Nothing stored, nothing queued: what a webhook costs when it does
 * the least a bot can do.
 *
 *   PORT, LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN, LINE_API_BASE_URL (the emulator)
 */
import express from 'express';
import { messagingApi, middleware, type webhook } from '@line/bot-sdk';

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) {
    console.error(`${k} must be set`);
    process.exit(1);
  }
  return v;
};

const channelSecret = env('LINE_CHANNEL_SECRET');
const client = new messagingApi.MessagingApiClient({
  channelAccessToken: env('LINE_CHANNEL_ACCESS_TOKEN'),
  baseURL: env('LINE_API_BASE_URL'),
});

const app = express();
app.post('/webhook', middleware({ channelSecret }), async (req, res) => {
  const events = (req.body as webhook.CallbackRequest).events;
  try {
    await Promise.all(
      events.map((e) =>
        e.type === 'message' && e.message.type === 'text' && e.replyToken
          ? client.replyMessage({ replyToken: e.replyToken, messages: [{ type: 'text', text: e.message.text }] })
          : e.type === 'follow' && e.replyToken
            ? client.replyMessage({ replyToken: e.replyToken, messages: [{ type: 'text', text: 'สวัสดีค่ะ ยินดีต้อนรับ' }] })
            : undefined,
      ),
    );
    res.status(200).json({});
  } catch (err) {
    console.error('reply failed:', err instanceof Error ? err.message : err);
    res.status(500).json({});
  }
});
app.get('/healthz', (_req, res) => void res.json({ status: 'alive' }));

const server = app.listen(Number(process.env['PORT'] ?? 3100), process.env['HOST'] ?? '127.0.0.1');
server.keepAliveTimeout = 65_000;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
