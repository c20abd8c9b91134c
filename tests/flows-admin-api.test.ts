import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { flowsAdminRouter } from '../console/api/flows';
import { FlowStore } from '../flows/store';
import type { Database } from '../storage/database';
import { createLogger } from '../runtime/logger';
import { validationContext } from '../flows/registry';
import { auditLog } from '../console/auth/audit';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';
import { greeting, submitting, toYaml } from './fixtures/flows/build';

const TOKEN = 'test-admin-token-0123456789abcdef';
/** The person the token was given to (ADMIN_TOKEN_HOLDER): the actor of every change made with it. */
const HOLDER = 'สมหญิง ใจดี';
const YAML = 'application/yaml';
const JSON_TYPE = 'application/json';

describe.each(engines())('the flow admin API on %s', (engine) => {
  let t: TestDatabase;
  let db: Database;
  let server: Server | undefined;
  let base: string;
  const dropped = new Set<string>();

  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
    dropped.clear();
    await db?.close();
    await t?.drop();
  });

  async function start(token: string | null = TOKEN): Promise<FlowStore> {
    t = newTestDatabase(engine);
    db = await t.open();
    // The running code, minus whatever a test drops: a deploy that removed an action.
    const store = new FlowStore(db, {
      context: (file, ids) => {
        const ctx = validationContext(file, ids);
        for (const a of dropped) ctx.actions.delete(a);
        return ctx;
      },
    });
    const app = express();
    app.set('trust proxy', 'loopback');
    app.use('/api/admin/flows', flowsAdminRouter({ store, db, token: token === null ? null : { secret: token, holder: HOLDER }, logger: createLogger('silent') }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admin/flows`;
    return store;
  }

  async function call(method: string, path: string, o: { body?: string; type?: string; token?: string | null; actor?: string } = {}) {
    const headers: Record<string, string> = {};
    if (o.token !== null) headers.authorization = `Bearer ${o.token ?? TOKEN}`;
    if (o.type) headers['content-type'] = o.type;
    if (o.actor !== undefined) headers['x-actor'] = o.actor;
    const res = await fetch(base + path, { method, headers, ...(o.body === undefined ? {} : { body: o.body }) });
    const text = await res.text();
    expect(res.headers.get('content-type') ?? '').toContain('application/json');
    return { status: res.status, body: JSON.parse(text) as Record<string, any> };
  }
  const upload = (body: string, type = YAML, actor?: string) => call('POST', '/', { body, type, ...(actor === undefined ? {} : { actor }) });

  it('is not there at all without ADMIN_TOKEN', async () => {
    await start(null);
    expect(await call('GET', '/')).toEqual({ status: 404, body: { message: 'Not found' } });
  });

  it('refuses a missing or wrong bearer token', async () => {
    await start();
    expect((await call('GET', '/', { token: null })).status).toBe(401);
    expect((await call('GET', '/', { token: 'x'.repeat(TOKEN.length) })).status).toBe(401);
    expect(await call('GET', '/')).toEqual({ status: 200, body: { flows: [] } });
  });

  it('takes a YAML upload and keeps its comments as the source', async () => {
    await start();
    expect(await upload(toYaml(greeting(1)), YAML, 'somchai')).toEqual({ status: 201, body: { id: 'greeting', version: 1 } });
    const v = await call('GET', '/greeting/versions/1');
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ id: 'greeting', version: 1, createdBy: HOLDER, live: false, definition: greeting(1) });
    expect(v.body.source).toContain('# greeting, version 1');
  });

  it('takes a JSON upload, recorded as the token holder', async () => {
    await start();
    expect(await upload(JSON.stringify(greeting(1)), 'application/json; charset=utf-8')).toEqual({ status: 201, body: { id: 'greeting', version: 1 } });
    const v = await call('GET', '/greeting/versions/1');
    expect(v.body).toMatchObject({ createdBy: HOLDER, definition: greeting(1) });
    expect(v.body).not.toHaveProperty('source');
  });

  it('answers 422 with errors located by path, line and suggestion, and stores nothing', async () => {
    await start();
    const yaml = toYaml(greeting(1)).replace('next: done', 'next: dnoe');
    const line = yaml.split('\n').findIndex((l) => l.includes('next: dnoe')) + 1;
    const res = await upload(yaml);
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual({ file: 'body', path: 'nodes.ask_name.next', line, message: 'unknown target node "dnoe"', suggestion: 'did you mean "done"?' });
    expect((await call('GET', '/')).body.flows).toEqual([]);
  });

  it('answers 409 naming the latest version when the version is not new', async () => {
    await start();
    await upload(toYaml(greeting(2)));
    const res = await upload(toYaml(greeting(2)));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ latest: 2, message: expect.stringContaining('greater than 2') });
  });

  it('publishes a version, which then shows as live, published by the token holder whatever X-Actor claims', async () => {
    await start();
    await upload(toYaml(greeting(1)));
    const res = await call('POST', '/greeting/versions/1/publish', { actor: 'mallory' });
    expect(res).toEqual({ status: 200, body: { ok: true, id: 'greeting', version: 1, previousVersion: null, changed: true } });
    const flow = await call('GET', '/greeting');
    expect(flow.body).toMatchObject({ id: 'greeting', live: 1, latest: 1, history: [{ action: 'publish', version: 1, actor: HOLDER }] });
    expect((await call('GET', '/')).body.flows).toMatchObject([{ id: 'greeting', live: 1 }]);
  });

  it('answers 422 when a stored version no longer passes against the running code, and keeps what is live', async () => {
    await start();
    await upload(toYaml(submitting(1)));
    await upload(toYaml(submitting(2)));
    await call('POST', '/submitting/versions/1/publish');
    dropped.add('chat.rate');
    const res = await call('POST', '/submitting/versions/2/publish');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'nodes.submit.action', message: 'unknown action "chat.rate"' })]);
    expect((await call('GET', '/submitting')).body.live).toBe(1);
  });

  it('rolls back to the version live before, and answers 409 when there is none', async () => {
    await start();
    for (const v of [1, 2]) {
      await upload(toYaml(greeting(v)));
      await call('POST', `/greeting/versions/${v}/publish`);
    }
    expect(await call('POST', '/greeting/rollback', { actor: 'somying' })).toMatchObject({ status: 200, body: { version: 1, previousVersion: 2 } });
    expect((await call('GET', '/greeting')).body.history[0]).toMatchObject({ action: 'rollback', version: 1, actor: HOLDER });
    expect((await call('POST', '/greeting/rollback')).status).toBe(409);
    expect((await call('POST', '/nothing/rollback')).status).toBe(404);
  });

  it('compares the live version with the latest by default, or any two', async () => {
    await start();
    await upload(toYaml(greeting(1)));
    expect((await call('GET', '/greeting/diff')).status).toBe(400); // nothing live to compare from
    await call('POST', '/greeting/versions/1/publish');
    const v2 = greeting(2);
    v2.nodes.extra = { kind: 'say', messages: [{ text: 'hello' }], next: 'done' };
    v2.nodes.ask_name = { kind: 'ask', input: { type: 'text' }, slot: 'fullName', prompt: 'askName', reprompt: 'again', retries: 2, next: 'extra' };
    expect((await upload(toYaml(v2))).status).toBe(201);
    const diff = await call('GET', '/greeting/diff');
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({
      from: { version: 1 },
      to: { version: 2 },
      same: false,
      nodes: { added: ['extra'], removed: [], changed: [{ id: 'ask_name', fields: ['next'] }] },
      texts: { en: { changed: [{ key: 'hello', from: 'Hello (version 1)', to: 'Hello (version 2)' }] } },
    });
    expect((await call('GET', '/greeting/diff?from=2&to=1')).body).toMatchObject({ nodes: { removed: ['extra'] } });
    expect((await call('GET', '/greeting/diff?from=1&to=9')).status).toBe(404);
    expect((await call('GET', '/greeting/diff?from=one')).status).toBe(400);
  });

  it('validates without storing', async () => {
    await start();
    expect(await call('POST', '/validate', { body: toYaml(greeting(1)), type: 'text/yaml' })).toEqual({ status: 200, body: { ok: true } });
    const bad = await call('POST', '/validate', { body: JSON.stringify({ ...greeting(1), start: 'helo' }), type: JSON_TYPE });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ path: 'start', line: 1, suggestion: 'did you mean "hello"?' });
    expect((await call('GET', '/')).body.flows).toEqual([]);
  });

  it('answers 400 with the line to a body that does not parse, and 415 to one of another type', async () => {
    await start();
    const yaml = await upload('id: greeting\nversion: 1\nnodes:\n\tbad: tab\n');
    expect(yaml.status).toBe(400);
    expect(yaml.body.errors[0]).toMatchObject({ file: 'body', line: 4, message: expect.stringContaining('Tabs') });
    const json = await upload('{\n  "id": "greeting",\n  "version": 1,\n}', JSON_TYPE);
    expect(json.status).toBe(400);
    expect(json.body.errors[0]).toMatchObject({ line: 4 });
    expect((await upload('', JSON_TYPE)).status).toBe(400);
    expect((await upload('id: x', 'text/plain')).status).toBe(415);
    expect((await call('POST', '/', {})).status).toBe(415);
  });

  it('answers 413 to a body over 512 kB', async () => {
    await start();
    const big = toYaml(greeting(1)) + `# ${'x'.repeat(600 * 1024)}\n`;
    expect(await upload(big)).toEqual({ status: 413, body: { message: 'the body is too large' } });
  });

  it('writes every change made with the token to the audit log, as its holder; refusals and reads write nothing', async () => {
    await start();
    await upload(toYaml(greeting(1)), YAML, 'mallory');
    await upload(toYaml(greeting(2)));
    await upload(toYaml(greeting(2))); // 409: not a change
    await call('POST', '/greeting/versions/1/publish');
    await call('POST', '/greeting/versions/1/publish'); // already live: nothing changed
    await call('POST', '/greeting/versions/2/publish');
    await call('POST', '/greeting/rollback');
    await call('GET', '/greeting');
    const entries = await auditLog(db);
    expect(entries.map((x) => [x.action, x.target, x.detail?.version])).toEqual([
      ['flow.rollback', 'greeting', 1],
      ['flow.publish', 'greeting', 2],
      ['flow.publish', 'greeting', 1],
      ['flow.upload', 'greeting', 2],
      ['flow.upload', 'greeting', 1],
    ]);
    for (const x of entries) expect(x).toMatchObject({ officerId: null, username: `${HOLDER} (ADMIN_TOKEN)`, detail: { tokenHolder: HOLDER } });
    expect(JSON.stringify(entries)).not.toContain('mallory');
  });

  it('checks ids and versions before touching the store', async () => {
    await start();
    await upload(toYaml(greeting(1)));
    expect((await call('GET', '/Greeting')).status).toBe(400);
    expect((await call('GET', `/${'a'.repeat(65)}`)).status).toBe(400);
    expect((await call('GET', '/greeting/versions/0')).status).toBe(400);
    expect((await call('GET', '/greeting/versions/1.5')).status).toBe(400);
    expect((await call('GET', '/greeting/versions/99999999999999999999')).status).toBe(400);
    expect((await call('POST', '/greeting/versions/-1/publish')).status).toBe(400);
    expect((await call('GET', '/%E0%A4%A')).status).toBe(400);
    expect((await call('GET', '/nothing')).status).toBe(404);
    expect((await call('GET', '/greeting/versions/2')).status).toBe(404);
    expect((await call('POST', '/greeting/versions/2/publish')).status).toBe(404);
    expect((await call('GET', '/greeting/unknown/route')).status).toBe(404);
    const idRule = await upload(toYaml(greeting(1, 'Greeting Flow')));
    expect(idRule.status).toBe(422);
    expect(idRule.body.errors[0]).toMatchObject({ path: 'id', suggestion: 'use "greeting-flow"' });
  });
});
