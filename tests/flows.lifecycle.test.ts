import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSettings } from '../config/settings';
import { startServer, type RunningServer } from '../server/start';
import { createLogger } from '../runtime/logger';
import { startEmulator, type Emulator } from '../emulator';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';
import { LINE_SECRET, LINE_TOKEN } from './support/server-process';
import { parseTranscript } from './support/transcript';
import { DEFAULT_CLOCK, shippedDir } from './support/engine-run';
import { playOnServer, TestClock } from './support/server-run';
import { TEST_DATA_KEY } from './support/server';
import { SHARED_BOUNDARIES_DIR } from './support/boundaries';
import type { FlowDefinition } from '../flows/definition';

const ADMIN = 'admin-token-for-lifecycle-tests-0123';
const transcript = (name: string) =>
  parseTranscript(readFileSync(join(import.meta.dirname, 'transcripts', name), 'utf8'), `tests/transcripts/${name}`);

describe.each(engines())('conversations across restarts and publishes, on %s', (engine) => {
  let emulator: Emulator;
  let testDb: TestDatabase;
  let server: RunningServer | undefined;
  const clock = new TestClock(DEFAULT_CLOCK);

  /** A server on the same database and the same LINE (the emulator), as a restart or a second deploy would be. */
  async function start(): Promise<RunningServer> {
    const settings = loadSettings({
      PORT: '0',
      HOST: '127.0.0.1',
      BOUNDARIES_DIR: SHARED_BOUNDARIES_DIR,
      DATABASE_URL: testDb.url,
      LINE_CHANNEL_SECRET: LINE_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
      LINE_API_BASE_URL: emulator.url,
      LINE_DATA_API_BASE_URL: emulator.url,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      WORKER_POLL_MS: '50',
      ADMIN_TOKEN: ADMIN,
      ADMIN_TOKEN_HOLDER: 'admin-somsri',
      DATA_KEY: TEST_DATA_KEY,
    });
    const s = await startServer(settings, { logger: createLogger(settings.logLevel), databaseSchema: testDb.schema, conversationClock: clock.now });
    emulator.setWebhookUrl(`${s.url}/webhook`);
    return s;
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await emulator?.close();
    await testDb?.drop();
  });

  it('carries a conversation through a server restart between every two steps', async () => {
    emulator = await startEmulator({ channelSecret: LINE_SECRET, channelAccessToken: LINE_TOKEN });
    testDb = newTestDatabase(engine);
    server = await start();
    const t = transcript('complaint-en.txt');
    const problems = await playOnServer(() => ({ emulator, db: server!.db }), t, clock, {
      afterTurn: async () => {
        await server!.close();
        server = await start();
      },
    });
    expect(problems.join('\n')).toBe('');
    const [filed] = await server!.db.query<{ category: string; complainant_name: string; phone_last4: string }>(
      'SELECT category, complainant_name, phone_last4 FROM cases',
    );
    expect({ ...filed, complainant_name: server!.cipher.reveal(filed!.complainant_name) }).toEqual({ category: 'official_conduct', complainant_name: 'Somchai Jaidee', phone_last4: '5678' });
  }, 120_000);

  it('lets a conversation finish on its version when a new one is published mid-way, and starts the next on the new one', async () => {
    emulator = await startEmulator({ channelSecret: LINE_SECRET, channelAccessToken: LINE_TOKEN });
    testDb = newTestDatabase(engine);
    server = await start();
    const early = emulator.addUser({ displayName: 'Early', language: 'en' });
    const late = emulator.addUser({ displayName: 'Late', language: 'en' });
    const say = async (user: string, text: string) => {
      const before = emulator.delivered(user).length;
      await emulator.deliver([emulator.buildEvent({ type: 'message', userId: user, message: { type: 'text', text } })]);
      for (let i = 0; i < 400 && emulator.delivered(user).length === before; i++) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 100));
      return emulator.delivered(user).slice(before).map((d) => (d.message as { text?: string }).text ?? '');
    };

    expect(await say(early, 'complaint')).toEqual(['What kind of matter is it?']);
    expect(await say(early, 'Complaint')).toEqual(['Please tell us what happened, who was involved, and what you would like the center to do.']);

    // An admin publishes a new complaint version with a new place question, through the admin API, while Early
    // is mid-way.
    const shipped = parse(readFileSync(join(shippedDir, 'complaint.yaml'), 'utf8')) as FlowDefinition;
    const next = shipped.version + 1;
    const v2 = {
      ...shipped,
      version: next,
      texts: { th: { ...shipped.texts.th, askWhere: 'เกิดเหตุที่ไหนคะ (ฉบับใหม่)' }, en: { ...shipped.texts.en, askWhere: 'Where was it? (new version)' } },
    };
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server!.url}/api/admin/flows${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'x-actor': 'admin-somsri', ...init.headers } });
    expect((await api('', { method: 'POST', body: JSON.stringify(v2) })).status).toBe(201);
    expect((await api(`/complaint/versions/${next}/publish`, { method: 'POST' })).status).toBe(200);

    // Early's conversation stays on the version it began with, to its end.
    expect(await say(early, 'The street light in front of my house has been off for a week')).toEqual([
      'Where did it happen? Tap "Send location", or type the subdistrict, district and province.',
    ]);
    // Late starts after the publish: the new version.
    await say(late, 'complaint');
    await say(late, 'Complaint');
    expect(await say(late, 'The road to the village school is flooded and broken')).toEqual(['Where was it? (new version)']);

    const sessions = await server!.db.query<{ chat_id: string; flow_version: number }>('SELECT chat_id, flow_version FROM conversation_session');
    expect(Object.fromEntries(sessions.map((s) => [s.chat_id, Number(s.flow_version)]))).toEqual({ [early]: shipped.version, [late]: next });
    const history = (await (await api('/complaint')).json()) as { history: Array<{ version: number; actor: string }> };
    expect(history.history).toContainEqual(expect.objectContaining({ version: next, actor: 'admin-somsri' }));
  }, 60_000);
});
