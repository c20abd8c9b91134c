/**
 * The held-out table (tests/language/cases/*.tsv, `intent<TAB>text[<TAB>facts...]`), written apart from the
 * training corpus: every message must read as its intent, 95 % overall. Failures are listed in the message.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultLanguageModel, INTENTS, type Intent } from '../../language/index';

const DIR = fileURLToPath(new URL('./cases/', import.meta.url));
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.tsv')).sort() : [];

interface Case {
  intent: Intent;
  text: string;
  where: string;
}

function loadCases(): Case[] {
  const cases: Case[] = [];
  for (const file of files) {
    readFileSync(DIR + file, 'utf8').split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const [intent, text] = line.split('\t');
      if (intent === 'intent' && i === 0) return; // a header row
      if (!(INTENTS as readonly string[]).includes(intent ?? '') || !text) throw new Error(`${file}:${i + 1}: expected "intent<TAB>text", got ${JSON.stringify(line)}`);
      cases.push({ intent: intent as Intent, text, where: `${file}:${i + 1}` });
    });
  }
  return cases;
}

describe.skipIf(files.length === 0)(`the held-out intents table${files.length ? '' : ' (skipped: no tests/language/cases/*.tsv yet)'}`, () => {
  it('reads at least 95 % of its messages as their intent', () => {
    const model = defaultLanguageModel();
    const results = loadCases().map((c) => ({ ...c, read: model.read(c.text).intent }));
    const perIntent = INTENTS.map((intent) => {
      const mine = results.filter((r) => r.intent === intent);
      return { intent, n: mine.length, ok: mine.filter((r) => r.read === intent).length };
    }).filter((p) => p.n > 0);
    const accuracy = results.filter((r) => r.read === r.intent).length / results.length;
    const summary = perIntent.map((p) => `${p.intent} ${p.ok}/${p.n}`).join(', ');
    const failures = results.filter((r) => r.read !== r.intent).map((r) => `  ${r.where} ${r.intent} → ${r.read}: ${r.text}`);
    expect(accuracy, `accuracy ${(100 * accuracy).toFixed(1)} % of ${results.length} (${summary})\n${failures.join('\n')}`).toBeGreaterThanOrEqual(0.95);
  });
});
