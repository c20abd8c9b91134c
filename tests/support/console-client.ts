/**
 * The console API as its tests reach it: an officer signed in over real HTTP (session cookie and CSRF token, as
 * the console's pages hold them), and the API mounted as server/app.ts mounts it, on a port of its own, over a
 * running test server's database, for the tests that need options the real server does not give it.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'vitest';
import { createConsoleAuth, type ConsoleAuth } from '../../console/api/auth';
import { consoleApi, type ConsoleApiOptions } from '../../console/api';
import { CLI_ACTOR } from '../../console/auth/officers';
import type { TestServer } from './server';

/** The password the console tests give the officer accounts they create. */
export const OFFICER_PASSWORD = 'correct horse battery';

export const CONSOLE_API = '/console/api';

export interface ConsoleReply {
  status: number;
  /** The answer's JSON, or null when it has none (an empty answer, a photo). */
  body: any;
  text: string;
  headers: Headers;
  bytes: Buffer;
}

export interface ConsoleClient {
  readonly cookie: string;
  readonly csrf: string;
  /** Sends the CSRF token unless told `csrf: false`, to prove a change without it is refused. */
  call(method: string, path: string, body?: unknown, o?: { csrf?: boolean }): Promise<ConsoleReply>;
}

export interface SignIn {
  password?: string;
  /** What `call`'s paths are under; '' for full paths, as in the URLs the API hands out (a photo's contentUrl). */
  apiRoot?: string;
}

/** Signs `username` in at `base` (the console API's server) and keeps the session for its calls. */
export async function login(base: string, username: string, o: SignIn = {}): Promise<ConsoleClient> {
  const apiRoot = o.apiRoot ?? CONSOLE_API;
  const r = await fetch(`${base}${CONSOLE_API}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: o.password ?? OFFICER_PASSWORD }),
  });
  expect(r.status).toBe(200);
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = await (await fetch(`${base}${CONSOLE_API}/session`, { headers: { cookie } })).json();
  return {
    cookie,
    csrf: csrfToken,
    async call(method, path, body, c = {}) {
      const res = await fetch(`${base}${apiRoot}${path}`, {
        method,
        headers: { cookie, ...(c.csrf === false ? {} : { 'x-csrf-token': csrfToken }), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = bytes.toString('utf8');
      const json = (res.headers.get('content-type') ?? '').includes('json');
      return { status: res.status, body: json && text ? JSON.parse(text) : null, text, headers: res.headers, bytes };
    },
  };
}

export interface ConsoleApiServer {
  base: string;
  auth: ConsoleAuth;
  close(): Promise<void>;
}

/** What a test may set of the API's options; the rest come from the test server. */
export type ConsoleApiOverrides = Partial<Pick<ConsoleApiOptions, 'converse' | 'onQueued' | 'stream' | 'now' | 'outboxClock' | 'offices'>>;

/**
 * The accounts router and the console API mounted as server/app.ts mounts them, on their own port, over the test
 * server's database. The per-session limit is raised so that a test's many calls are never refused as too many;
 * the bot is not asked (converse answers nothing) unless the test passes its own.
 */
export async function startConsoleApi(server: TestServer, overrides: ConsoleApiOverrides = {}): Promise<ConsoleApiServer> {
  const auth = createConsoleAuth({ db: server.db, logger: server.logger, limits: { apiPerSessionPerMinute: 10_000 } });
  const app = express();
  app.use(CONSOLE_API, auth.router);
  app.use(
    CONSOLE_API,
    consoleApi({
      db: server.db,
      cipher: server.cipher,
      logger: server.logger,
      settings: { centerDistrict: server.settings.centerDistrict },
      auth,
      converse: async () => [],
      ...overrides,
    }),
  );
  const http: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => http.once('listening', r));
  return {
    base: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    auth,
    close: () => new Promise<void>((r) => { http.closeAllConnections(); http.close(() => r()); }),
  };
}

type NewAccount = Omit<Parameters<ConsoleAuth['officers']['create']>[1], 'password'> & { username: string };

/** Creates each account (with OFFICER_PASSWORD) and signs it in: the clients and the ids, by username. */
export async function createAndSignIn<A extends NewAccount>(
  api: ConsoleApiServer,
  accounts: readonly A[],
): Promise<{ as: Record<A['username'], ConsoleClient>; ids: Record<A['username'], number> }> {
  const as = {} as Record<A['username'], ConsoleClient>;
  const ids = {} as Record<A['username'], number>;
  for (const a of accounts) {
    ids[a.username as A['username']] = (await api.auth.officers.create(CLI_ACTOR, { ...a, password: OFFICER_PASSWORD })).id;
    as[a.username as A['username']] = await login(api.base, a.username);
  }
  return { as, ids };
}
