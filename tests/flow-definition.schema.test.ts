import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flowJsonSchema } from '../flows/definition';

const published = fileURLToPath(new URL('../flows/definition/flow.schema.json', import.meta.url));

describe('published flow JSON Schema', () => {
  it('is in sync with the zod schema (regenerates the file and fails when stale)', () => {
    const fresh = `${JSON.stringify(flowJsonSchema(), null, 2)}\n`;
    let committed = '';
    try {
      committed = readFileSync(published, 'utf8');
    } catch {
      // missing: written below, and the test fails so the file gets committed
    }
    if (committed !== fresh) writeFileSync(published, fresh);
    expect(committed, 'flows/definition/flow.schema.json was stale; it has been regenerated, commit it').toBe(fresh);
  });

  it('describes the node kinds and the recursive conditions', () => {
    const text = JSON.stringify(flowJsonSchema());
    for (const kind of ['say', 'ask', 'choose', 'branch', 'action', 'call', 'handoff', 'end']) expect(text).toContain(`"const":"${kind}"`);
    expect(text).toContain('"$ref"');
  });
});
