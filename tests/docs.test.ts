/**
 * The docs say what the code does: the flow guide lists exactly the actions and effects the code has, and the
 * README's layer picture names every folder the dependency rules know.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../flows/registry/actions';
import { EFFECT_EXECUTORS } from '../bot/effects';

const root = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('the docs', () => {
  it('list every action of the registry in docs/flows.md, and no action the registry lacks', () => {
    const guide = read('docs/flows.md');
    const listed = [...guide.matchAll(/^\| `([a-z]+\.[a-zA-Z]+)` \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(Object.keys(ACTIONS).sort());
  });

  it('say where effects are carried out, and the code has an executor for each effect kind', () => {
    expect(read('docs/flows.md')).toContain('bot/effects/');
    expect(Object.keys(EFFECT_EXECUTORS).sort()).toEqual(
      ['flowEnded', 'flowStarted', 'forwardToOfficer', 'gaveUp', 'handoff', 'languageSample', 'localeChanged', 'privacyNoticeShown'].sort(),
    );
  });

  it("name every layered folder of the dependency rules in the README's picture", () => {
    const rules = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { forbidden: { from: { path?: string } }[] };
    const folders = new Set(rules.forbidden.flatMap((r) => (r.from.path?.match(/^\^\(([^)]+)\)\/$/)?.[1] ?? '').split('|')).filter(Boolean));
    const readme = read('README.md');
    const picture = readme.slice(readme.indexOf('## Where things live'), readme.indexOf('| folder | what |'));
    expect(folders.size).toBeGreaterThan(10);
    for (const folder of folders) expect(picture, folder).toContain(`${folder}/`);
  });
});
