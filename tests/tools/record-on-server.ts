/**
 * Re-records a server-only transcript (`# runs-on: server`): plays its user lines through a real server and its
 * LINE emulator (SQLite, a fresh database) and writes what the bot says now. Review the diff: the transcript is
 * the specification, and varying parts (a tracking number) should then be replaced by "…".
 *   npx tsx tests/tools/record-on-server.ts tests/transcripts/x.txt
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseTranscript, shown, type Turn } from '../support/transcript';
import { startTestServer } from '../support/server';
import { DEFAULT_CLOCK } from '../support/engine-run';
import { playOnServer, TestClock } from '../support/server-run';
import type { OutMessage } from '../../flows/engine';

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const t = parseTranscript(text, file);
  const clock = new TestClock(t.meta.clock ? Date.parse(t.meta.clock) : DEFAULT_CLOCK);
  const server = await startTestServer('sqlite', { ADMIN_TOKEN: 'record-on-server-admin-token-0000', ADMIN_TOKEN_HOLDER: 'recorder' }, { conversationClock: clock.now });
  const sent = new Map<number, OutMessage[]>();
  // Expect nothing: every message is then reported, and captured here per turn.
  const bare = { ...t, turns: t.turns.map((turn): Turn => ({ ...turn, expect: [] })) };
  const user = server.emulator.addUser({ displayName: t.meta.name ?? 'สมศรี', language: t.meta.locale === 'en' ? 'en' : 'th' });
  let before = 0;
  await playOnServer(server, bare, clock, {
    userId: user,
    afterTurn: async (i) => {
      const all = server.emulator.delivered(user).map((d) => d.message as OutMessage);
      sent.set(bare.turns[i]!.line, all.slice(before));
      before = all.length;
    },
  });
  await server.stop();
  const out: string[] = [];
  text.split('\n').forEach((raw, i) => {
    if (/^(bot|quick)\b/.test(raw.trimEnd())) return;
    out.push(raw);
    for (const m of sent.get(i + 1) ?? []) {
      const v = shown(m);
      out.push(`bot${v.kind === 'flex' ? ' [flex]' : ''}: ${v.text.replace(/\n/g, '\\n')}`);
      if (v.quick.length) out.push(`quick: ${v.quick.join(' | ')}`);
    }
  });
  writeFileSync(file, out.join('\n'));
  console.log(`recorded ${file}`);
}
