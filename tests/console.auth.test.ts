import { afterEach, describe, expect, it } from 'vitest';
import express from 'express';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createConsoleAuth, LOGIN_FAILED, requirePermission, type ConsoleAuth, type ConsoleAuthOptions } from '../console/api/auth';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { recordView } from '../console/auth/audit';
import { createLogger } from '../runtime/logger';
import type { Database } from '../storage/database';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';

const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;

interface Client {
  cookie: string | null;
  csrf: string | null;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  login(username: string, password?: string): Promise<{ status: number; body: any; headers: Headers }>;
}

describe.each(engines())('console accounts and sessions on %s', (engine) => {
  let t: TestDatabase;
  let db: Database;
  let server: Server | null = null;
  let base: string;
  let clock: number;
  let auth: ConsoleAuth;

  afterEach(async () => {
    if (server) await new Promise((r) => server!.close(r));
    server = null;
    await db?.close();
    await t?.drop();
  });

  async function start(over: Partial<ConsoleAuthOptions> = {}) {
    t = newTestDatabase(engine);
    db = await t.open();
    clock = Date.UTC(2026, 10, 25, 3, 0, 0);
    auth = createConsoleAuth({
      db,
      logger: createLogger('silent'),
      now: () => clock,
      limits: { loginPerIpPerMinute: 1000, loginPerUsernamePerMinute: 1000, apiPerSessionPerMinute: 1000 },
      ...over,
    });
    // A case route as the cases console will have it: permission from the server's data, then the audited view.
    const cases = express.Router();
    cases.get(
      '/:number/personal',
      auth.requireOfficer(),
      requirePermission('case.view_personal', (req) => (req.params.number === 'MDH-2569-000001-6' ? { districtCode: '4901' } : null)),
      async (req, res) => {
        await recordView(db, { officerId: req.officer!.id, action: 'case.view_personal', target: String(req.params.number), detail: { fields: ['phone', 'nationalId'], note: 'called 0812345678' }, ip: req.ip ?? null, at: clock });
        res.json({ phone: 'sealed' });
      },
    );
    const app = express();
    app.set('trust proxy', 'loopback');
    app.use('/console/api', auth.router);
    app.use('/console/api/cases', cases);
    app.use((err: { status?: number; message: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
      void res.status(err.status ?? 500).json({ message: err.message }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    await auth.officers.create(CLI_ACTOR, { username: 'admin', displayName: 'ผู้ดูแลระบบ', role: 'admin', password: PASSWORD });
    await auth.officers.create(CLI_ACTOR, { username: 'somsri', displayName: 'สมศรี', role: 'officer', districtCode: '4901', password: PASSWORD });
  }

  function client(): Client {
    const c: Client = {
      cookie: null,
      csrf: null,
      async call(method, path, body, headers = {}) {
        const res = await fetch(base + path, {
          method,
          headers: {
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(c.cookie ? { cookie: c.cookie } : {}),
            ...headers,
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
      },
      async login(username, password = PASSWORD) {
        const r = await c.call('POST', '/console/api/login', { username, password });
        if (r.status === 200) {
          c.cookie = r.headers.get('set-cookie')!.split(';')[0]!;
          c.csrf = r.body.csrfToken;
        }
        return r;
      },
    };
    return c;
  }
  const withCsrf = (c: Client) => ({ 'x-csrf-token': c.csrf! });

  it('logs in with a session cookie that is HttpOnly, SameSite=Strict, Path=/, and stores only its SHA-256', async () => {
    await start();
    const c = client();
    const r = await c.login('Somsri');
    expect(r.status).toBe(200);
    expect(r.body.officer).toMatchObject({ username: 'somsri', role: 'officer', districtCode: '4901', provinceCode: '49' });
    expect(r.body.officer).not.toHaveProperty('passwordHash');
    const setCookie = r.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^echannel_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const token = c.cookie!.split('=')[1]!;
    const rows = await db.query<{ id: string }>('SELECT id FROM console_session');
    expect(rows.map((x) => x.id)).toEqual([createHash('sha256').update(token).digest('hex')]);
    expect(JSON.stringify(await db.query('SELECT * FROM console_session'))).not.toContain(token);
    const me = await c.call('GET', '/console/api/session');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ officer: { username: 'somsri' }, csrfToken: c.csrf });
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(me.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(me.headers.get('x-frame-options')).toBe('DENY');
    expect(me.headers.get('x-content-type-options')).toBe('nosniff');
    expect(me.headers.get('strict-transport-security')).toBeNull();
  });

  it('marks the cookie Secure with the __Host- prefix over HTTPS, and sends HSTS', async () => {
    await start();
    const viaProxy = await client().call('POST', '/console/api/login', { username: 'somsri', password: PASSWORD }, { 'x-forwarded-proto': 'https' });
    expect(viaProxy.headers.get('set-cookie')).toMatch(/^__Host-echannel_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    expect(viaProxy.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    await new Promise((r) => server!.close(r));
    await db.close();
    await t.drop();
    await start({ settings: { secureCookies: true } });
    const bySetting = await client().call('POST', '/console/api/login', { username: 'somsri', password: PASSWORD });
    expect(bySetting.headers.get('set-cookie')).toMatch(/^__Host-echannel_session=.*; Secure$/);
  });

  it('answers an unknown username and a wrong password for a known one identically: status, body, headers', async () => {
    await start();
    const strip = (h: Headers) => [...h].filter(([k]) => k !== 'date' && k !== 'etag');
    for (let i = 0; i < 8; i++) {
      // Past the free failures too: the back-off answers alike for both.
      const unknown = await client().login('nobody', `wrong password ${i}`);
      const wrong = await client().login('somsri', `wrong password ${i}`);
      expect(wrong.status).toBe(unknown.status);
      expect(wrong.body).toEqual(unknown.body);
      expect(strip(wrong.headers)).toEqual(strip(unknown.headers));
      if (i === 0) expect(unknown).toMatchObject({ status: 401, body: { message: LOGIN_FAILED } });
      expect(unknown.headers.get('set-cookie')).toBeNull();
      clock += 60 * MINUTE; // each round from a clean slate, so both hit the same back-off state
    }
  });

  it('never locks the account: after 20 failures from one address the officer still signs in from another', async () => {
    await start();
    const attacker = client();
    const answers: number[] = [];
    for (let i = 0; i < 20; i++) {
      answers.push((await attacker.login('somsri', `guess ${i}`)).status);
      clock += 1000;
    }
    expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(answers).toContain(429); // the guesser is slowed down
    expect(answers).not.toContain(423);
    // The officer, elsewhere (X-Forwarded-For is believed from the loopback proxy only: the test's own server).
    const officer = await client().call('POST', '/console/api/login', { username: 'somsri', password: PASSWORD }, { 'x-forwarded-for': '203.0.113.7' });
    expect(officer.status).toBe(200);
    const stored = await auth.officers.byUsername('somsri');
    expect(stored?.lockedUntil).toBeNull();
  });

  it('makes a source that keeps failing wait longer each time, with Retry-After, and forgets it on success', async () => {
    await start();
    const from = { 'x-forwarded-for': '198.51.100.9' };
    const c = client();
    const attempt = (password: string) => c.call('POST', '/console/api/login', { username: 'somsri', password }, from);
    for (let i = 1; i <= 5; i++) expect((await attempt(`wrong ${i}`)).status).toBe(401);
    const waiting = await attempt(PASSWORD); // even the right password waits: the source is not told which it was
    expect(waiting.status).toBe(429);
    expect(waiting.headers.get('retry-after')).toBe('1');
    clock += 1000;
    expect((await attempt('wrong 6')).status).toBe(401);
    expect((await attempt('wrong 7')).headers.get('retry-after')).toBe('2');
    clock += 2000;
    expect((await attempt(PASSWORD)).status).toBe(200);
    expect((await attempt('wrong again')).status).toBe(401); // success forgot this username's failures from here
  });

  it('slows down one address guessing many usernames, not the others', async () => {
    await start();
    const from = { 'x-forwarded-for': '192.0.2.44' };
    for (let i = 0; i < 20; i++) {
      expect((await client().call('POST', '/console/api/login', { username: `user${i}`, password: 'wrong password' }, from)).status).toBe(401);
    }
    expect((await client().call('POST', '/console/api/login', { username: 'somsri', password: PASSWORD }, from)).status).toBe(429);
    expect((await client().login('somsri')).status).toBe(200);
  });

  it('requires the session CSRF token on every POST: 403 without it or with a wrong one', async () => {
    await start();
    const admin = client();
    await admin.login('admin');
    const officer = { username: 'niran', displayName: 'นิรันดร์', role: 'officer', districtCode: '4902', password: PASSWORD };
    expect((await admin.call('POST', '/console/api/officers', officer)).status).toBe(403);
    expect((await admin.call('POST', '/console/api/officers', officer, { 'x-csrf-token': 'x'.repeat(43) })).status).toBe(403);
    const other = client();
    await other.login('somsri');
    expect((await admin.call('POST', '/console/api/officers', officer, withCsrf(other))).status).toBe(403);
    expect((await admin.call('POST', '/console/api/logout', undefined)).status).toBe(403);
    const created = await admin.call('POST', '/console/api/officers', officer, withCsrf(admin));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'niran', role: 'officer', districtCode: '4902', provinceCode: '49', createdBy: 'admin' });
  });

  it('refuses a login posted as a form (no JSON, no CSRF-free way in from another site)', async () => {
    await start();
    const res = await fetch(`${base}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=somsri&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(res.status).toBe(415);
  });

  it('logs out: the cookie is cleared and the session no longer opens', async () => {
    await start();
    const c = client();
    await c.login('somsri');
    const out = await c.call('POST', '/console/api/logout', undefined, withCsrf(c));
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^echannel_session=; .*Max-Age=0/);
    expect((await c.call('GET', '/console/api/session')).status).toBe(401);
    expect(await db.query('SELECT id FROM console_session')).toEqual([]);
  });

  it('ends a session after 30 idle minutes, and after 12 hours however busy', async () => {
    await start();
    const idle = client();
    await idle.login('somsri');
    clock += 29 * MINUTE;
    expect((await idle.call('GET', '/console/api/session')).status).toBe(200);
    clock += 29 * MINUTE; // 29 minutes after the last request: still alive
    expect((await idle.call('GET', '/console/api/session')).status).toBe(200);
    clock += 30 * MINUTE;
    expect((await idle.call('GET', '/console/api/session')).status).toBe(401);

    const busy = client();
    await busy.login('somsri');
    const started = clock;
    while (clock + 20 * MINUTE < started + 12 * 60 * MINUTE) {
      clock += 20 * MINUTE;
      expect((await busy.call('GET', '/console/api/session')).status).toBe(200);
    }
    clock = started + 12 * 60 * MINUTE;
    expect((await busy.call('GET', '/console/api/session')).status).toBe(401);
  });

  it('lets only an admin create, list and disable accounts; a disabled account is signed out and cannot log in', async () => {
    await start();
    const officer = client();
    await officer.login('somsri');
    const input = { username: 'malee', displayName: 'มาลี', role: 'supervisor', provinceCode: '49', password: PASSWORD };
    expect((await officer.call('POST', '/console/api/officers', input, withCsrf(officer))).status).toBe(403);
    expect((await officer.call('GET', '/console/api/officers')).status).toBe(403);
    expect((await db.query('SELECT id FROM officer WHERE username = $1', ['malee'])).length).toBe(0);

    const admin = client();
    await admin.login('admin');
    const created = await admin.call('POST', '/console/api/officers', input, withCsrf(admin));
    expect(created.status).toBe(201);
    expect((await admin.call('POST', '/console/api/officers', input, withCsrf(admin))).status).toBe(409);
    const bad = await admin.call('POST', '/console/api/officers', { ...input, username: 'x', role: 'officer', password: 'short' }, withCsrf(admin));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['districtCode', 'password', 'username']);
    const list = await admin.call('GET', '/console/api/officers');
    expect(list.body.officers.map((o: { username: string }) => o.username)).toEqual(['admin', 'somsri', 'malee']);
    expect(JSON.stringify(list.body)).not.toContain('argon2');

    const malee = client();
    expect((await malee.login('malee')).status).toBe(200);
    expect((await admin.call('POST', `/console/api/officers/${created.body.id}/disable`, undefined, withCsrf(admin))).status).toBe(200);
    expect((await malee.call('GET', '/console/api/session')).status).toBe(401);
    expect((await client().login('malee')).body).toEqual({ message: LOGIN_FAILED });
    const self = list.body.officers[0].id;
    expect((await admin.call('POST', `/console/api/officers/${self}/disable`, undefined, withCsrf(admin))).status).toBe(409);
  });

  it('writes every view of personal data to the audit log, which only admins read', async () => {
    await start();
    const officer = client();
    await officer.login('somsri');
    expect((await officer.call('GET', '/console/api/cases/MDH-2569-000001-6/personal')).status).toBe(200);
    expect((await officer.call('GET', '/console/api/cases/MDH-2569-000099-9/personal')).status).toBe(404);
    expect((await officer.call('GET', '/console/api/audit')).status).toBe(403);

    const admin = client();
    await admin.login('admin');
    const log = await admin.call('GET', '/console/api/audit?action=case.view_personal');
    expect(log.status).toBe(200);
    expect(log.body.entries).toEqual([
      expect.objectContaining({ username: 'somsri', action: 'case.view_personal', target: 'MDH-2569-000001-6', at: clock, ip: expect.any(String) }),
    ]);
    expect(JSON.stringify(log.body)).not.toContain('0812345678');
    const all = await admin.call('GET', '/console/api/audit');
    expect(all.body.entries.map((e: { action: string }) => e.action)).toEqual(['session.login', 'case.view_personal', 'session.login', 'officer.create', 'officer.create']);
    expect((await admin.call('GET', '/console/api/audit?limit=9999')).status).toBe(400);
  });

  it('answers 429 past 10 logins a minute from one address, and past the API limit of a session', async () => {
    // The back-off off the way: this is about the plain limits.
    await start({ limits: { apiPerSessionPerMinute: 3 }, backoff: { freePerUsername: 100, freePerAddress: 100 } });
    const c = client();
    for (let i = 0; i < 10; i++) expect((await c.login('nobody', 'whatever it is')).status).toBe(401);
    const limited = await c.login('somsri');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    clock += MINUTE;
    expect((await c.login('somsri')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await c.call('GET', '/console/api/session')).status).toBe(200);
    expect((await c.call('GET', '/console/api/session')).status).toBe(429);
  });

  it('creates the first admin from the command line, and refuses the same username again', async () => {
    await start();
    const url = t.schema ? `${t.url}${t.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${t.schema}`)}` : t.url;
    const run = (username: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/create-admin.ts', '--username', username, '--name', 'ประยุทธ ผู้ดูแล', '--password-stdin'], {
          env: { ...process.env, DATABASE_URL: url },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (code) => resolve({ code, out }));
        child.stdin.end('first admin password\n');
      });
    const first = await run('prayut');
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('Created admin "prayut"');
    expect(first.out).not.toContain('first admin password');
    const again = await run('prayut');
    expect(again.code).toBe(1);
    expect(again.out).toContain('exists already');
    const stored = await new OfficerStore(db).byUsername('prayut');
    expect(stored).toMatchObject({ role: 'admin', createdBy: 'cli', disabled: false });
    expect((await client().login('prayut', 'first admin password')).status).toBe(200);
  }, 30_000);
});
