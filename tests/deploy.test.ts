/**
 * The deployment guide (docs/deploy.md) and the setting it explains. `npm run deploy:check` runs the guide itself
 * (PostgreSQL, Caddy, the server, HTTPS; .ci/run calls it); here: the guide's blocks are what the check reads, and
 * TRUST_PROXY decides whose X-Forwarded-* headers the server believes: the client's address and HTTPS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guideBlock } from '../scripts/deploy-check';
import { CLI_ACTOR, OfficerStore } from '../console/auth/officers';
import { startTestServer, type TestServer } from './support/server';

const root = join(import.meta.dirname, '..');
const guide = readFileSync(join(root, 'docs', 'deploy.md'), 'utf8');

describe('docs/deploy.md', () => {
  it('holds the blocks the check runs: install, SQL, key, environment, Caddyfile, systemd unit', () => {
    expect(guideBlock(guide, 'sql')).toMatch(/CREATE ROLE echannel LOGIN[\s\S]*CREATE DATABASE echannel OWNER echannel/);
    expect(guideBlock(guide, 'key')).toContain('openssl rand -base64 32 > /etc/echannel/data-key');
    const env = guideBlock(guide, 'env');
    for (const line of ['NODE_ENV=production', 'HOST=127.0.0.1', 'TRUST_PROXY=loopback', 'DATA_KEY_FILE=/etc/echannel/data-key']) expect(env).toContain(line);
    expect(guideBlock(guide, 'caddyfile')).toMatch(/respond @internal 404[\s\S]*reverse_proxy 127\.0\.0\.1:3000/);
    // The unit runs the server as built by the install (build/server.mjs), with no TypeScript loader beside it.
    expect(guideBlock(guide, 'install')).toMatch(/npm ci && .*npm run build:server/);
    expect(guideBlock(guide, 'unit')).toMatch(/^ExecStart=\/usr\/bin\/node build\/server\.mjs$/m);
  });

  it('is linked from the README, with the backup and metrics commands', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('docs/deploy.md');
    for (const command of ['npm run backup', 'npm run restore', 'npm run deploy:check', '/metrics']) expect(readme).toContain(command);
  });
});

describe('TRUST_PROXY: whose X-Forwarded-For and X-Forwarded-Proto are believed', () => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  /** Signs in from 127.0.0.1 with the headers a proxy adds; returns the cookie and the address the audit log kept. */
  async function signInThroughProxy(env: Record<string, string>) {
    server = await startTestServer('sqlite', env);
    await new OfficerStore(server.db).create(CLI_ACTOR, { username: 'proxied', displayName: 'Proxied', role: 'admin', password: 'a long enough password' });
    const res = await fetch(`${server.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'proxied', password: 'a long enough password' }),
    });
    expect(res.status).toBe(200);
    const [audit] = await server.db.query<{ ip: string }>(`SELECT ip FROM audit_log WHERE action = 'session.login' ORDER BY id DESC`);
    return { cookie: res.headers.get('set-cookie') ?? '', ip: audit?.ip };
  }

  it('by default a proxy on this machine (Caddy): the client address and HTTPS come from its headers', async () => {
    const { cookie, ip } = await signInThroughProxy({});
    expect(cookie).toMatch(/^__Host-echannel_session=.*;\s*Secure/);
    expect(ip).toBe('203.0.113.7');
  });

  it('set to another proxy, the same headers from this machine are not believed', async () => {
    const { cookie, ip } = await signInThroughProxy({ TRUST_PROXY: '10.0.0.5' });
    expect(cookie).not.toMatch(/Secure/);
    expect(ip).toBe('127.0.0.1');
  });
});
