import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from './support/databases';
import { startTestServer, waitFor, type TestServer } from './support/server';
import { OfficerStore, CLI_ACTOR } from '../console/auth/officers';
import { newCitizen, say } from './support/citizen';

/** The console's API as the real server serves it: accounts, then an officer's queue, on /console/api. */
describe.each(engines())('the officer console API on the real server, on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    await new OfficerStore(server.db).create(CLI_ACTOR, {
      username: 'somsri',
      displayName: 'สมศรี เจ้าหน้าที่',
      role: 'officer',
      districtCode: '4901',
      password: 'a-long-enough-password',
    });
    await new OfficerStore(server.db).create(CLI_ACTOR, {
      username: 'malee',
      displayName: 'มาลี หัวหน้า',
      role: 'supervisor',
      provinceCode: '49',
      password: 'another-long-password',
    });
  });

  /** Logs in; returns the cookie and the CSRF token a non-GET request must carry. */
  const login = async (username: string, password: string) => {
    const res = await fetch(`${server.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const session = (await (await fetch(`${server.url}/console/api/session`, { headers: { cookie } })).json()) as { csrfToken: string };
    return { cookie, csrf: session.csrfToken };
  };

  it("lets a supervisor make a group binding code for a district of her province, and refuses an officer", async () => {
    const post = (who: { cookie: string; csrf: string }) =>
      fetch(`${server.url}/console/api/districts/4901/binding-codes`, { method: 'POST', headers: { cookie: who.cookie, 'x-csrf-token': who.csrf } });
    const supervisor = await login('malee', 'another-long-password');
    const made = await post(supervisor);
    expect(made.status).toBe(201);
    expect(((await made.json()) as { code: string }).code).toMatch(/^[A-Z]{3}-\d{4}-[A-Z0-9]{2}$/);
    const officer = await login('somsri', 'a-long-enough-password');
    expect((await post(officer)).status).toBe(403);
    // Another province is not hers either.
    const elsewhere = await fetch(`${server.url}/console/api/districts/1001/binding-codes`, {
      method: 'POST',
      headers: { cookie: supervisor.cookie, 'x-csrf-token': supervisor.csrf },
    });
    expect(elsewhere.status).toBe(403);
  });
  afterAll(async () => server?.stop());

  it('logs an officer in, and shows a citizen who asked for an officer in her queue', async () => {
    const login = await fetch(`${server.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'somsri', password: 'a-long-enough-password' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);

    const citizen = newCitizen(server, 'th');
    await say(server, citizen, 'ติดต่อเจ้าหน้าที่');
    const queue = await waitFor(async () => {
      const res = await fetch(`${server.url}/console/api/handoffs`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { handoffs?: Array<{ reason?: string }> } | Array<{ reason?: string }>;
      const list = Array.isArray(body) ? body : (body.handoffs ?? []);
      return list.length > 0 ? list : undefined;
    }, 10_000, 'the handoff in the queue');
    expect(queue).toEqual([expect.objectContaining({ reason: 'requested' })]);
    // Without a session the same route is refused.
    expect((await fetch(`${server.url}/console/api/handoffs`)).status).toBe(401);
  });
});
