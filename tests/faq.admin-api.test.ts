import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { faqAdminRouter } from '../console/api/faq';
import { FaqStore } from '../faq/store';
import type { Database } from '../storage/database';
import { createLogger } from '../runtime/logger';
import { faqMatcher } from '../faq';
import { auditLog } from '../console/auth/audit';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';

const TOKEN = 'test-admin-token-0123456789abcdef';
/** The person the token was given to (ADMIN_TOKEN_HOLDER): the actor of every change made with it. */
const HOLDER = 'สมหญิง ดีใจ';
const DEFAULTS = fileURLToPath(new URL('../faq/defaults.yaml', import.meta.url));

const parking = {
  question: { th: 'มีที่จอดรถไหมคะ', en: 'Is there parking?' },
  answer: { th: 'มีที่จอดรถหน้าที่ว่าการอำเภอค่ะ', en: 'Yes, in front of the district office.' },
  keywords: { th: ['ที่จอดรถ', 'จอดรถ'], en: ['parking', 'car park'] },
};

describe.each(engines())('the FAQ admin API on %s', (engine) => {
  let t: TestDatabase;
  let db: Database;
  let server: Server | undefined;
  let base: string;

  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
    await db?.close();
    await t?.drop();
  });

  async function start(token: string | null = TOKEN): Promise<FaqStore> {
    t = newTestDatabase(engine);
    db = await t.open();
    const store = new FaqStore(db);
    const app = express();
    app.set('trust proxy', 'loopback');
    app.use('/api/admin/faq', faqAdminRouter({ store, db, token: token === null ? null : { secret: token, holder: HOLDER }, logger: createLogger('silent') }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admin/faq`;
    return store;
  }

  async function call(method: string, path: string, o: { body?: unknown; raw?: string; type?: string; token?: string | null; actor?: string } = {}) {
    const headers: Record<string, string> = {};
    if (o.token !== null) headers.authorization = `Bearer ${o.token ?? TOKEN}`;
    const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    if (body !== undefined) headers['content-type'] = o.type ?? 'application/json';
    if (o.actor !== undefined) headers['x-actor'] = o.actor;
    const res = await fetch(base + path, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    // Every answer, refusals included, is JSON: the console never has to guess.
    expect(res.headers.get('content-type') ?? '').toContain('application/json');
    return { status: res.status, body: JSON.parse(text) as Record<string, any> };
  }

  it('is not there at all without ADMIN_TOKEN', async () => {
    await start(null);
    expect(await call('GET', '/')).toEqual({ status: 404, body: { message: 'Not found' } });
    expect((await call('POST', '/', { body: parking })).status).toBe(404);
  });

  it('refuses a missing or wrong bearer token', async () => {
    await start();
    expect(await call('GET', '/', { token: null })).toEqual({ status: 401, body: { message: 'A valid bearer token is required' } });
    expect((await call('GET', '/', { token: 'x'.repeat(TOKEN.length) })).status).toBe(401);
    expect((await call('DELETE', '/1', { token: 'short' })).status).toBe(401);
    expect(await call('GET', '/')).toEqual({ status: 200, body: { entries: [] } });
  });

  it('creates an entry as the token holder, whatever X-Actor claims', async () => {
    await start();
    const created = await call('POST', '/', { body: parking, actor: 'somebody-else' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...parking, id: expect.any(Number), key: null, active: true, updatedBy: HOLDER });
    expect(await call('GET', `/${created.body.id}`)).toEqual({ status: 200, body: created.body });
    expect((await call('POST', '/', { body: parking })).body.updatedBy).toBe(HOLDER);
  });

  it('writes every change made with the token to the audit log, as its holder', async () => {
    await start();
    const { body: e } = await call('POST', '/', { body: parking, actor: 'mallory' });
    await call('PUT', `/${e.id}`, { body: { ...parking, sortOrder: 2 }, actor: 'mallory' });
    await call('DELETE', `/${e.id}`);
    await call('GET', '/'); // reading is not a change
    const entries = await auditLog(db);
    expect(entries.map((x) => [x.action, x.target])).toEqual([
      ['faq.remove', String(e.id)],
      ['faq.update', String(e.id)],
      ['faq.create', String(e.id)],
    ]);
    for (const x of entries) {
      expect(x).toMatchObject({ officerId: null, username: `${HOLDER} (ADMIN_TOKEN)`, detail: { tokenHolder: HOLDER }, ip: expect.any(String) });
    }
    expect(JSON.stringify(entries)).not.toContain('mallory');
  });

  it('lists every entry in order, removed ones too', async () => {
    const store = await start();
    await store.seedDefaults(DEFAULTS);
    const { body } = await call('GET', '/');
    expect(body.entries.length).toBeGreaterThanOrEqual(10);
    expect(body.entries[0]).toMatchObject({ key: 'hours', active: true, updatedBy: 'shipped' });
  });

  it('replaces an entry, and the bot answers with the new text at once', async () => {
    const store = await start();
    const { body: e } = await call('POST', '/', { body: parking });
    expect(faqMatcher(await store.active()).answer('จอดรถได้ไหมครับ', 'th')).toBe(parking.answer.th);
    const changed = { ...parking, answer: { th: 'จอดได้ที่ลานด้านข้างอาคารค่ะ', en: 'Park beside the building.' }, sortOrder: 3 };
    const put = await call('PUT', `/${e.id}`, { body: changed });
    expect(put).toMatchObject({ status: 200, body: { ...changed, id: e.id, updatedBy: HOLDER, active: true } });
    expect(faqMatcher(await store.active()).answer('จอดรถได้ไหมครับ', 'th')).toBe(changed.answer.th);
    expect(faqMatcher(await store.active()).answer('is there parking?', 'en')).toBe(changed.answer.en);
  });

  it('removes an entry softly: the bot stops answering it, the list still shows it', async () => {
    const store = await start();
    const { body: e } = await call('POST', '/', { body: parking });
    expect(await call('DELETE', `/${e.id}`)).toMatchObject({ status: 200, body: { id: e.id, active: false, updatedBy: HOLDER } });
    expect(faqMatcher(await store.active()).answer('จอดรถได้ไหมครับ', 'th')).toBeNull();
    expect((await call('GET', '/')).body.entries).toEqual([expect.objectContaining({ id: e.id, active: false })]);
  });

  it('answers 404 for an entry that does not exist, 400 for something that is not an id', async () => {
    await start();
    expect(await call('GET', '/77')).toEqual({ status: 404, body: { message: 'FAQ entry 77 does not exist' } });
    expect((await call('PUT', '/77', { body: parking })).status).toBe(404);
    expect((await call('DELETE', '/77')).status).toBe(404);
    for (const id of ['abc', '0', '-1', '1.5', '9'.repeat(16)]) {
      const r = await call('DELETE', `/${id}`);
      expect(r.status, id).toBe(400);
      expect(r.body.message).toMatch(/is not an entry id/);
    }
    expect(await call('GET', '/1/more')).toEqual({ status: 404, body: { message: 'Not found' } });
  });

  it('refuses an invalid entry with every problem by path, and stores nothing', async () => {
    await start();
    const bad = {
      question: { th: 'มีที่จอดรถไหมคะ' },
      answer: { th: 'ก'.repeat(1501), en: '  ' },
      keywords: { th: ['ศูนย์', 'ที่จอดรถ'], en: Array.from({ length: 41 }, (_, i) => `word${i}`) },
      extra: true,
    };
    const r = await call('POST', '/', { body: bad });
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('the entry is not valid');
    const paths = (r.body.errors as Array<{ path: string; message: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(['', 'answer.en', 'answer.th', 'keywords.en', 'keywords.th.0', 'question.en'].sort());
    expect((r.body.errors as Array<{ path: string; message: string }>).find((e) => e.path === 'keywords.th.0')!.message).toMatch(/nearly every question/);
    expect((await call('GET', '/')).body.entries).toEqual([]);
  });

  it('refuses a body that is not a JSON object, never with a 500', async () => {
    await start();
    expect(await call('POST', '/', { raw: 'question=x', type: 'application/x-www-form-urlencoded' })).toEqual({ status: 415, body: { message: 'send the entry as application/json' } });
    expect(await call('POST', '/', { raw: '{"question": ' })).toEqual({ status: 400, body: { message: 'the body is not valid JSON' } });
    for (const raw of ['null', '[]', '"text"', '42']) {
      const r = await call('POST', '/', { raw });
      expect(r.status, raw).toBe(400);
      expect(r.body.message).toMatch(/must be a JSON object/);
    }
    // An empty body reads as {}: refused with what it lacks.
    const empty = await call('POST', '/', { raw: '' });
    expect(empty.status).toBe(422);
    expect(empty.body.errors.map((e: { path: string }) => e.path)).toEqual(['question', 'answer', 'keywords']);
    expect(await call('POST', '/', { raw: JSON.stringify({ ...parking, pad: 'x'.repeat(70_000) }) })).toEqual({ status: 413, body: { message: 'the body is too large' } });
    expect((await call('PUT', '/1', { body: { question: null, answer: 1, keywords: 'x' } })).status).toBe(422);
  });

  it('ignores X-Actor, however long: the token holder is the actor', async () => {
    await start();
    const r = await call('POST', '/', { body: parking, actor: 'a'.repeat(65) });
    expect(r).toMatchObject({ status: 201, body: { updatedBy: HOLDER } });
  });
});
