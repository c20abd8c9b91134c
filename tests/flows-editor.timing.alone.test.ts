/**
 * A 200-node flow opens and is laid out in under a second in Debian's headless Chromium, against the real server.
 *
 * A time is a promise about this machine, so it is taken with nothing else running: files named `*.alone.test.ts`
 * run after the rest of the suite, one at a time (vitest.config.ts). Beside another worker's servers and browser
 * on two cores the same open takes three to five times as long, which says nothing about the editor.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { ensureConsolePages, openConsoleAs, type SignedInConsole } from './support/console-pages';
import { generatedFlow } from './support/big-flow';
import { login, OFFICER_PASSWORD } from './support/console-client';
import { startTestServer, type TestServer } from './support/server';

beforeAll(ensureConsolePages, 180_000);

describe('the flow editor with a 200-node flow, in Chromium, with the real server (sqlite)', () => {
  let server: TestServer;
  let admin: SignedInConsole;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { CENTER_DISTRICT: '4901' });
    await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'admin', displayName: 'ผู้ดูแล ระบบ', role: 'admin', password: OFFICER_PASSWORD });
    admin = await openConsoleAs(server.url, 'admin', '/console/flows');
  }, 180_000);

  afterAll(async () => {
    expect(admin?.errors ?? []).toEqual([]);
    await admin?.close();
    await server?.stop();
  });

  it("is timed on React's production build of the pages, as an officer gets them, whatever NODE_ENV the tests set", () => {
    const assets = join(import.meta.dirname, '..', 'console', 'dist', 'assets');
    const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const f of scripts) expect(readFileSync(join(assets, f), 'utf8'), f).not.toMatch(/jsxDEV|react-dom\.development/);
  });

  it('opens a 200-node flow and lays it out in under a second', { timeout: 60_000 }, async () => {
    const api = await login(server.url, 'admin');
    const res = await fetch(`${server.url}/console/api/flows/import`, {
      method: 'POST',
      headers: { cookie: api.cookie, 'x-csrf-token': api.csrf, 'content-type': 'application/yaml' },
      body: stringify(generatedFlow(200), { lineWidth: 0 }),
    });
    expect(res.status).toBe(201);
    const { draft, errors: found } = (await res.json()) as { draft: { id: number }; errors: unknown[] };
    expect(found).toEqual([]);
    const page = admin.page;
    await page.goto(`${server.url}/console/flows`);
    const link = page.locator('[data-testid="flow-row"][data-flow="bigflow"]').getByTestId('flow-draft-link');
    await link.waitFor();
    // Once with the editor's code loading, then as an admin returning to it meets it.
    const timings: number[] = [];
    for (let i = 0; i < 4; i++) {
      if (i > 0) {
        await page.goBack();
        await link.waitFor();
      }
      const t0 = Date.now();
      await link.click();
      const editor = page.locator('[data-testid="flow-editor"][data-layout-ms]');
      await editor.waitFor({ timeout: 10_000 });
      const wall = Date.now() - t0;
      const drawn = Number(await editor.getAttribute('data-layout-ms'));
      timings.push(wall);
      expect(await page.getByTestId('flow-canvas').getAttribute('data-nodes')).toBe('200');
      expect(await page.getByTestId('flow-node').count()).toBeGreaterThan(0);
      console.log(`200-node flow, ${i === 0 ? 'first open' : 'opened again'}: ${wall} ms from the click to the laid-out canvas (layout and first draw ${drawn} ms) [draft ${draft.id}]`);
    }
    expect(timings[0]).toBeLessThan(3000);
    // The median of the three returns: one slow frame from the machine does not decide it.
    expect([...timings.slice(1)].sort((a, b) => a - b)[1]).toBeLessThan(1000);
  });
});
