/**
 * Re-records the bot's lines of a transcript from the pure engine: keeps its comments, meta and user lines,
 * writes what the bot says now. For when a flow changed on purpose; review the diff before committing it, since
 * a transcript is the specification.   npx tsx tests/tools/record-transcript.ts tests/transcripts/x.txt [...]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseTranscript, shown } from '../support/transcript';
import { DEFAULT_CLOCK, engineContext, runEvent, shippedFlows } from '../support/engine-run';
import { deserializeState, initialState, serializeState } from '../../flows/engine';

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const t = parseTranscript(text, file);
  const byLine = new Map(t.turns.map((turn) => [turn.line, turn]));
  let clock = t.meta.clock ? Date.parse(t.meta.clock) : DEFAULT_CLOCK;
  let state = initialState(t.meta.locale === 'en' ? 'en' : 'th', clock);
  const out: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const s = raw.trimEnd();
    if (/^(bot|quick)\b/.test(s)) return;
    out.push(raw);
    const turn = byLine.get(i + 1);
    if (!turn) return;
    if (turn.input.type === 'wait') {
      clock += turn.input.ms;
      return;
    }
    const r = runEvent(state, turn.input, engineContext(shippedFlows(), clock));
    for (const m of r.messages) {
      const v = shown(m);
      out.push(`bot${v.kind === 'flex' ? ' [flex]' : ''}: ${v.text.replace(/\n/g, '\\n')}`);
      if (v.quick.length) out.push(`quick: ${v.quick.join(' | ')}`);
    }
    state = deserializeState(serializeState(r.state));
    clock += 5_000;
  });
  writeFileSync(file, out.join('\n'));
  console.log(`recorded ${file}`);
}
