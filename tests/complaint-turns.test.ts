/**
 * A typical complaint with a photo and a location is filed in at most 12 citizen turns, counting the follow and the
 * first message: the transcript that shows it (played through a real server by flows.e2e) is counted here, and the
 * README states the same figure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from './support/transcript';

const root = join(import.meta.dirname, '..');
const file = 'tests/transcripts/complaint-turns-th.txt';
const transcript = parseTranscript(readFileSync(join(root, file), 'utf8'), file);
/** Every turn of a transcript is one thing the citizen did (a message, a tap, a photo), except the clock moving. */
const userTurns = transcript.turns.filter((t) => t.input.type !== 'wait');

describe('turns to file a complaint with a photo and a location', () => {
  it('are at most 12, from the follow to the receipt', () => {
    expect(userTurns.length).toBeLessThanOrEqual(12);
    expect(userTurns.map((t) => t.input.type)).toEqual(expect.arrayContaining(['follow', 'location', 'media']));
    expect(readFileSync(join(root, file), 'utf8')).toContain('bot [flex]: ศูนย์ดำรงธรรมอำเภอได้รับเรื่องของท่านแล้ว');
  });

  it('are the figure the README gives', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`filed in ${userTurns.length} citizen turns`);
  });
});
