/**
 * The shape of the code: the layers of .dependency-cruiser.cjs hold on the real tree, and the same rules refuse an
 * upward import and a cycle when one is written (in a scratch tree, so the product's files are never touched).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';

const root = join(import.meta.dirname, '..');
const rules = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { forbidden: unknown[]; options: Record<string, unknown> };

async function violationsIn(dir: string, files: string[] = ['.']): Promise<IViolation[]> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const result = await cruise(files, { ...rules.options, tsConfig: undefined, validate: true, ruleSet: { forbidden: rules.forbidden } } as never);
    return (result.output as ICruiseResult).summary.violations;
  } finally {
    process.chdir(cwd);
  }
}

const scratch: string[] = [];
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  scratch.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the layers of the code', () => {
  it('hold on the real tree: no upward import, no cycle', async () => {
    const found = await violationsIn(root);
    expect(found.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  }, 60_000);

  it('fail on a real import of the tree when one of their allowances is taken away', async () => {
    // The server may know the emulator's credentials without loading the emulator: without that one allowance the
    // real import in server/start.ts is refused, so the rules read the real tree, not only scratch files.
    const strict = rules.forbidden.map((r) => {
      const rule = r as { name: string; to: Record<string, unknown> };
      if (rule.name !== 'emulator-only-when-needed') return r;
      const { pathNot: _allowed, ...to } = rule.to;
      return { ...rule, to };
    });
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const result = await cruise(['server'], { ...rules.options, tsConfig: undefined, validate: true, ruleSet: { forbidden: strict } } as never);
      const found = (result.output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
      expect(found).toContain('emulator-only-when-needed: server/start.ts -> emulator/credentials.ts');
    } finally {
      process.chdir(cwd);
    }
  }, 60_000);

  it('refuse a ground-floor module that reaches up into the bot, naming both files', async () => {
    const dir = tree({
      'line/ids.ts': "import { handle } from '../bot/webhook';\nexport const x = handle;\n",
      'bot/webhook.ts': 'export const handle = 1;\n',
    });
    const found = await violationsIn(dir);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: { name: 'no-upward-from-ground' }, from: 'line/ids.ts', to: 'bot/webhook.ts' });
  });

  it('refuse the database layer knowing a capability, and the pure engine knowing the database', async () => {
    const dir = tree({
      'storage/outbox.ts': "import { x } from '../cases/store';\nexport const y = x;\n",
      'cases/store.ts': 'export const x = 1;\n',
      'flows/engine/engine.ts': "import { db } from '../../storage/database';\nexport const e = db;\n",
      'storage/database.ts': 'export const db = 1;\n',
    });
    const names = (await violationsIn(dir)).map((v) => `${v.rule.name} ${v.from}`).sort();
    expect(names).toEqual(['no-upward-from-storage storage/outbox.ts', 'pure-conversation-core flows/engine/engine.ts']);
  });

  it('refuse a cycle between two modules of one folder', async () => {
    const dir = tree({
      'cases/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'cases/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    const found = await violationsIn(dir);
    expect(found.some((v) => v.rule.name === 'no-circular')).toBe(true);
  });

  it('let entry points (tests, scripts, tools) import any layer', async () => {
    const dir = tree({
      'scripts/seed.ts': "import { handle } from '../bot/webhook';\nexport const s = handle;\n",
      'cases/tools/screenshot.ts': "import { handle } from '../../bot/webhook';\nexport const s = handle;\n",
      'bot/webhook.ts': 'export const handle = 1;\n',
    });
    expect(await violationsIn(dir)).toEqual([]);
  });

  it('load the LINE emulator only lazily from the server', async () => {
    const dir = tree({
      'server/start.ts': "import { start } from '../emulator/index';\nexport const s = start;\n",
      'server/lazy.ts': "export const l = () => import('../emulator/index');\n",
      'emulator/index.ts': 'export const start = 1;\n',
    });
    const found = await violationsIn(dir);
    expect(found.map((v) => `${v.rule.name} ${v.from}`)).toEqual(['emulator-only-when-needed server/start.ts']);
  });
});
