import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../storage/database';
import {
  FlowNotFoundError,
  FlowsInvalidError,
  FlowStore,
  FlowVersionConflictError,
  FlowVersionNotFoundError,
  NothingToRollBackError,
  seedShippedFlows,
  type PublishResult,
} from '../flows/store';
import { validationContext } from '../flows/registry';
import type { ValidationContext } from '../flows/definition';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';
import { greeting, menu, submitting, toYaml } from './fixtures/flows/build';

/** The code's registry with some actions taken away: what a deploy that drops an action looks like. */
function codeWithout(dropped: Set<string>) {
  return (file: string, ids: Iterable<string>): ValidationContext => {
    const ctx = validationContext(file, ids);
    for (const a of dropped) ctx.actions.delete(a);
    return ctx;
  };
}

function shippedDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flows-shipped-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const okVersion = (r: PublishResult) => (r.ok ? r.version : `refused: ${JSON.stringify(r.errors)}`);

describe.each(engines())('the flow store on %s', (engine) => {
  let t: TestDatabase;
  const opened: Database[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    await t?.drop();
  });
  const open = async () => {
    const db = opened.length === 0 ? await (t = newTestDatabase(engine)).open() : await Database.open(t.url, t.schema ? { schema: t.schema } : {});
    opened.push(db);
    return db;
  };

  it('keeps an uploaded version off the air until it is published, and records who published it', async () => {
    const store = new FlowStore(await open(), { now: () => 1_000 });
    expect(await store.upload(greeting(1), { actor: 'somchai', source: toYaml(greeting(1)) })).toEqual({ ok: true, id: 'greeting', version: 1 });
    expect(await store.live('greeting')).toBeNull();
    expect((await store.liveVersions()).size).toBe(0);

    expect(await store.publish('greeting', 1, 'somchai')).toEqual({ ok: true, id: 'greeting', version: 1, previousVersion: null, changed: true });
    expect((await store.live('greeting'))?.texts.en.hello).toBe('Hello (version 1)');
    expect(await store.history('greeting')).toEqual([
      { id: expect.any(Number), flowId: 'greeting', version: 1, previousVersion: null, action: 'publish', actor: 'somchai', at: 1_000, note: null },
    ]);
    const stored = await store.version('greeting', 1);
    expect(stored.source).toContain('# greeting, version 1');
    expect(stored.createdBy).toBe('somchai');
  });

  it('lists each flow with its live version and when each version was created and published', async () => {
    let now = 10;
    const store = new FlowStore(await open(), { now: () => now++ });
    await store.upload(greeting(1), { actor: 'a' });
    await store.upload(greeting(2), { actor: 'b' });
    await store.publish('greeting', 2, 'c');
    await store.upload(submitting(1), { actor: 'a' });
    const list = await store.list();
    expect(list.map((f) => [f.id, f.live, f.latest])).toEqual([['greeting', 2, 2], ['submitting', null, 1]]);
    expect(list[0]!.versions).toEqual([
      { version: 1, createdAt: 10, createdBy: 'a', live: false, lastPublishedAt: null, lastPublishedBy: null },
      { version: 2, createdAt: 11, createdBy: 'b', live: true, lastPublishedAt: 12, lastPublishedBy: 'c' },
    ]);
    await expect(store.flow('nope')).rejects.toBeInstanceOf(FlowNotFoundError);
  });

  it('rolls back to the version live before, then further back, and says when there is nothing left', async () => {
    const store = new FlowStore(await open());
    for (const v of [1, 2, 3]) {
      await store.upload(greeting(v), { actor: 'admin' });
      await store.publish('greeting', v, 'admin');
    }
    expect(okVersion(await store.rollback('greeting', 'somying'))).toBe(2);
    expect(okVersion(await store.rollback('greeting', 'somying'))).toBe(1);
    expect((await store.live('greeting'))?.version).toBe(1);
    await expect(store.rollback('greeting', 'somying')).rejects.toBeInstanceOf(NothingToRollBackError);
    const history = await store.history('greeting');
    expect(history.map((h) => [h.action, h.version, h.previousVersion, h.actor])).toEqual([
      ['rollback', 1, 2, 'somying'],
      ['rollback', 2, 3, 'somying'],
      ['publish', 3, 2, 'admin'],
      ['publish', 2, 1, 'admin'],
      ['publish', 1, null, 'admin'],
    ]);
    await expect(store.rollback('unknown', 'x')).rejects.toBeInstanceOf(FlowNotFoundError);
  });

  it('refuses an invalid flow with located errors, and stores nothing', async () => {
    const store = new FlowStore(await open());
    const bad = greeting(1);
    bad.nodes.hello = { kind: 'say', messages: [{ text: 'hello' }], next: 'ask_nmae' };
    const result = await store.upload(bad, { actor: 'admin' });
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({ path: 'nodes.hello.next', suggestion: 'did you mean "ask_name"?' }),
        expect.objectContaining({ path: 'nodes.ask_name', message: 'node "ask_name" is unreachable from start "hello"' }),
        expect.objectContaining({ path: 'nodes.done' }),
      ],
    });
    await expect(store.publish('greeting', 1, 'admin')).rejects.toBeInstanceOf(FlowNotFoundError);
    expect(await store.live('greeting')).toBeNull();
    expect(await store.list()).toEqual([]);
  });

  it('refuses a version that is not greater than every stored version, naming the latest', async () => {
    const store = new FlowStore(await open());
    await store.upload(greeting(3), { actor: 'admin' });
    for (const v of [3, 2]) {
      const err = await store.upload(greeting(v), { actor: 'admin' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FlowVersionConflictError);
      expect(err).toMatchObject({ flowId: 'greeting', version: v, latest: 3 });
    }
    expect(await store.upload(greeting(4), { actor: 'admin' })).toMatchObject({ ok: true, version: 4 });
  });

  it('names the unknown flow and the unknown version when publishing', async () => {
    const store = new FlowStore(await open());
    await store.upload(greeting(1), { actor: 'admin' });
    await expect(store.publish('nothing', 1, 'admin')).rejects.toBeInstanceOf(FlowNotFoundError);
    await expect(store.publish('greeting', 7, 'admin')).rejects.toBeInstanceOf(FlowVersionNotFoundError);
  });

  it('never publishes a stored version that the running code no longer supports', async () => {
    const dropped = new Set<string>();
    const store = new FlowStore(await open(), { context: codeWithout(dropped) });
    await store.upload(submitting(1), { actor: 'admin' });
    await store.upload(submitting(2), { actor: 'admin' });
    expect(okVersion(await store.publish('submitting', 1, 'admin'))).toBe(1);
    dropped.add('chat.rate');
    const result = await store.publish('submitting', 2, 'admin');
    expect(result).toMatchObject({ ok: false, errors: [{ path: 'nodes.submit.action', message: 'unknown action "chat.rate"' }] });
    expect((await store.liveVersions()).get('submitting')).toBe(1);
  });

  it('lets a flow call only live flows or itself', async () => {
    const store = new FlowStore(await open());
    await store.upload(greeting(1), { actor: 'admin' });
    expect(await store.upload(menu('greeting'), { actor: 'admin' })).toMatchObject({
      ok: false,
      errors: [{ path: 'nodes.go.flow', message: 'unknown flow "greeting"' }],
    });
    await store.publish('greeting', 1, 'admin');
    expect(await store.upload(menu('greeting'), { actor: 'admin' })).toMatchObject({ ok: true });
  });

  it('serves a publish made through another instance without a restart', async () => {
    const a = new FlowStore(await open());
    const b = new FlowStore(await open());
    await a.upload(greeting(1), { actor: 'admin' });
    await a.publish('greeting', 1, 'admin');
    expect((await b.live('greeting'))?.version).toBe(1);
    await a.upload(greeting(2), { actor: 'admin' });
    await a.publish('greeting', 2, 'admin');
    expect((await b.liveVersions()).get('greeting')).toBe(2);
    expect((await b.live('greeting'))?.texts.th.hello).toBe('สวัสดีค่ะ (ฉบับที่ 2)');
  });

  it('hands out stored definitions frozen, so one caller cannot change another caller\'s flow', async () => {
    const store = new FlowStore(await open());
    await store.upload(greeting(1), { actor: 'admin' });
    const flow = (await store.get('greeting', 1))!;
    expect(await store.get('greeting', 1)).toBe(flow);
    expect(() => {
      (flow.texts.th as Record<string, string>).hello = 'x';
    }).toThrow(TypeError);
  });

  describe('seeding the shipped flows', () => {
    it('publishes shipped flows, then a newer shipped file, and keeps the YAML source', async () => {
      const store = new FlowStore(await open());
      await seedShippedFlows(store, shippedDir({ 'greeting.yaml': toYaml(greeting(1)), 'menu.json': JSON.stringify(menu('greeting')) }));
      expect(Object.fromEntries(await store.liveVersions())).toEqual({ greeting: 1, menu: 1 });
      expect((await store.version('greeting', 1)).source).toContain('# greeting, version 1');
      expect((await store.version('menu', 1)).source).toBeNull();
      expect((await store.history('greeting'))[0]).toMatchObject({ actor: 'shipped', action: 'publish' });

      await seedShippedFlows(store, shippedDir({ 'greeting.yaml': toYaml(greeting(2)), 'menu.json': JSON.stringify(menu('greeting')) }));
      expect(Object.fromEntries(await store.liveVersions())).toEqual({ greeting: 2, menu: 1 });
    });

    it('never replaces an admin\'s newer version with an older shipped file', async () => {
      const store = new FlowStore(await open());
      const dir = shippedDir({ 'greeting.yaml': toYaml(greeting(1)) });
      await seedShippedFlows(store, dir);
      await store.upload(greeting(5), { actor: 'admin' });
      await store.publish('greeting', 5, 'admin');
      await seedShippedFlows(store, shippedDir({ 'greeting.yaml': toYaml(greeting(3)) }));
      expect((await store.liveVersions()).get('greeting')).toBe(5);
      expect((await store.flow('greeting')).versions.map((v) => v.version)).toEqual([1, 3, 5]);
    });

    it('does nothing the second time', async () => {
      const db = await open();
      const store = new FlowStore(db);
      const dir = shippedDir({ 'greeting.yaml': toYaml(greeting(1)), 'submitting.yml': toYaml(submitting(1)) });
      await seedShippedFlows(store, dir);
      await seedShippedFlows(store, dir);
      const count = async (table: string) => Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
      expect([await count('flow_version'), await count('flow_live'), await count('flow_publication')]).toEqual([2, 2, 2]);
    });

    it('stores and publishes once when two processes start at the same time', async () => {
      const [a, b] = [new FlowStore(await open()), new FlowStore(await open())];
      const dir = shippedDir({ 'greeting.yaml': toYaml(greeting(1)), 'submitting.yml': toYaml(submitting(1)) });
      await Promise.all([seedShippedFlows(a, dir), seedShippedFlows(b, dir)]);
      expect(Object.fromEntries(await b.liveVersions())).toEqual({ greeting: 1, submitting: 1 });
      expect((await a.history('greeting')).length).toBe(1);
      expect((await a.history('submitting')).length).toBe(1);
    });

    it('refuses to start with an invalid shipped file, saying where it is wrong', async () => {
      const store = new FlowStore(await open());
      const dir = shippedDir({ 'greeting.yaml': toYaml(greeting(1)).replace('next: done', 'next: dnoe') });
      const err = await seedShippedFlows(store, dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FlowsInvalidError);
      expect((err as FlowsInvalidError).errors).toEqual([
        expect.objectContaining({ file: join(dir, 'greeting.yaml'), path: 'nodes.ask_name.next', line: expect.any(Number), suggestion: 'did you mean "done"?' }),
        expect.objectContaining({ path: 'nodes.done' }),
      ]);
      expect((err as Error).message).toContain('greeting.yaml');
      expect((await store.liveVersions()).size).toBe(0);
    });

    it('refuses to start when a live version no longer passes against the code', async () => {
      const dropped = new Set<string>();
      const db = await open();
      await seedShippedFlows(new FlowStore(db), shippedDir({ 'submitting.yaml': toYaml(submitting(1)) }));
      dropped.add('chat.rate');
      const err = await seedShippedFlows(new FlowStore(db, { context: codeWithout(dropped) }), shippedDir({ 'greeting.yaml': toYaml(greeting(1)) })).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FlowsInvalidError);
      expect((err as FlowsInvalidError).errors).toEqual([
        expect.objectContaining({ file: 'submitting v1 (live)', path: 'nodes.submit.action', message: 'unknown action "chat.rate"' }),
      ]);
    });
  });
});
