import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { engines } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { parseTranscript } from './support/transcript';
import { DEFAULT_CLOCK } from './support/engine-run';
import { playOnServer, TestClock } from './support/server-run';

const dir = join(import.meta.dirname, 'transcripts');
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

describe.each(engines())('conversation transcripts, through the webhook and the LINE emulator, on %s', (engine) => {
  let server: TestServer;
  const clock = new TestClock(DEFAULT_CLOCK);
  beforeAll(async () => {
    server = await startTestServer(engine, {}, { conversationClock: clock.now });
  });
  afterAll(async () => server?.stop());

  it.each(files)('%s', async (file) => {
    const transcript = parseTranscript(readFileSync(join(dir, file), 'utf8'), `tests/transcripts/${file}`);
    clock.time = transcript.meta.clock ? Date.parse(transcript.meta.clock) : DEFAULT_CLOCK;
    expect((await playOnServer(server, transcript, clock)).join('\n')).toBe('');
  });
});
