import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseTranscript } from './support/transcript';
import { playOnEngine } from './support/engine-run';

const dir = join(import.meta.dirname, 'transcripts');
// Transcripts whose actions speak (a receipt with a tracking number, a case's timeline) need the real server.
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .filter((f) => !/^#\s*runs-on:\s*server\s*$/m.test(readFileSync(join(dir, f), 'utf8')))
  .sort();

describe('conversation transcripts, on the pure engine', () => {
  it('has transcripts to play', () => expect(files.length).toBeGreaterThanOrEqual(5));

  it.each(files)('%s', (file) => {
    const transcript = parseTranscript(readFileSync(join(dir, file), 'utf8'), `tests/transcripts/${file}`);
    expect(playOnEngine(transcript).join('\n')).toBe('');
  });
});
