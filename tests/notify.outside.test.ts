/**
 * Webhooks reach only the outside: the address policy as a table; the console API refusing webhook URLs that point
 * inside (literal addresses in every form the URL parser accepts, names that resolve inside, names that do not
 * resolve) with a reason naming what it refused, and accepting a public one; the sender refusing at connect time
 * a name that resolved outside when it was saved and resolves inside now, with nothing reaching the inside; and a
 * receiver's answer never passed on, neither to the stored error nor to the district's other targets. Real HTTP
 * throughout; names resolve through injected resolvers or /etc/hosts (localhost), never the network.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { classifyAddress, describeAddress } from '../notify/public-address';
import { postJson, WebhookHttpError } from '../notify/http-post';
import { WebhookAddressRefusedError, type ResolvedAddress, type Resolve, type WebhookReach } from '../notify/webhook-reach';
import { checkNewTarget, addTarget } from '../notify/targets';
import { NotificationSender } from '../notify/sender';
import { queueNotification } from '../notify/queue';
import { districtsRouter } from '../console/api/districts';
import { consoleErrorHandler, createConsoleAuth } from '../console/api/auth';
import { CLI_ACTOR } from '../console/auth/officers';
import { startEmulator, type Emulator } from '../emulator';
import { LineApi } from '../line/api';
import { DataCipher } from '../storage/crypto';
import type { Database } from '../storage/database';
import { createLogger } from '../runtime/logger';
import { engines, newTestDatabase, type TestDatabase } from './support/databases';
import { startTestServer, type TestServer } from './support/server';
import { CONSOLE_API, login, OFFICER_PASSWORD, startConsoleApi, type ConsoleClient } from './support/console-client';

const PUBLIC_V4 = '93.184.216.34';
const SECRET = 'a-shared-secret-of-32-characters';

// ---- the policy ---------------------------------------------------------------------------------------------------

describe('the public-address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['::ffff:10.0.0.5', 'private'],
    ['64:ff9b::a00:5', 'private'],
    ['::a00:5', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'cloud metadata'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['100.127.255.255', 'shared (carrier-grade NAT)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['2001::1', 'reserved'],
    ['2002:7f00:1::1', 'reserved'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['2130706433', 'not an IP'],
    ['0x7f.0.0.1', 'not an IP'],
    ['localhost', 'not an IP'],
  ])('refuses %s as %s', (ip, kind) => {
    expect(classifyAddress(ip)).toMatchObject({ public: false, kind });
  });

  it.each([PUBLIC_V4, '8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.1', '172.32.0.1', '169.253.255.255', '::ffff:8.8.8.8', '64:ff9b::808:808', '2606:4700:4700::1111', '2001:4860:4860::8888'])(
    'accepts %s as public',
    (ip) => {
      expect(classifyAddress(ip).public).toBe(true);
    },
  );

  it('names what it refused in words', () => {
    expect(describeAddress(classifyAddress('127.0.0.1'))).toBe('127.0.0.1, a loopback address');
    expect(describeAddress(classifyAddress('169.254.169.254'))).toBe('169.254.169.254, a cloud metadata address');
    expect(describeAddress(classifyAddress('fe80::1'))).toBe('fe80::1, a link-local address');
  });
});

// ---- the console API ----------------------------------------------------------------------------------------------

/** A resolver from a table: a name not in it does not exist. */
function tableResolver(table: Record<string, string[]>): Resolve {
  return async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address): ResolvedAddress => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
  };
}

const NAMES = {
  'hooks.example.test': [PUBLIC_V4],
  'dual.example.test': [PUBLIC_V4, '2606:4700:4700::1111'],
  'intranet.example.test': ['10.0.0.5'],
  'metadata.example.test': ['169.254.169.254'],
  'mixed.example.test': [PUBLIC_V4, '127.0.0.1'],
  'v6inside.example.test': ['2606:4700:4700::1111', 'fd00::5'],
  'mapped.example.test': ['::ffff:192.168.0.10'],
  'empty.example.test': [],
};

describe.each(engines())('the console API adding a webhook target, on %s', (engine) => {
  let server: TestServer;
  let base: string;
  let close: () => Promise<void>;
  let admin: ConsoleClient;
  let real: Awaited<ReturnType<typeof startConsoleApi>>;
  let realAdmin: ConsoleClient;

  beforeAll(async () => {
    server = await startTestServer(engine, { CENTER_DISTRICT: '4901' });
    // The districts router as the console mounts it, with a resolver of its own: no network is asked.
    const auth = createConsoleAuth({ db: server.db, logger: server.logger, limits: { apiPerSessionPerMinute: 10_000 } });
    const app = express();
    app.use(CONSOLE_API, auth.router);
    app.use(CONSOLE_API, express.json(), districtsRouter({ db: server.db, cipher: server.cipher, requireOfficer: auth.requireOfficer(), webhooks: { resolve: tableResolver(NAMES) } }));
    app.use(CONSOLE_API, consoleErrorHandler(server.logger));
    const listening = app.listen(0, '127.0.0.1');
    await new Promise((r) => listening.once('listening', r));
    base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    close = () => new Promise((r) => { listening.closeAllConnections(); listening.close(() => r()); });
    await auth.officers.create(CLI_ACTOR, { username: 'admin', displayName: 'ผู้ดูแล', role: 'admin', password: OFFICER_PASSWORD });
    admin = await login(base, 'admin');
    // And the console exactly as the server mounts it: the system resolver (localhost is in /etc/hosts).
    real = await startConsoleApi(server);
    realAdmin = await login(real.base, 'admin');
  }, 60_000);
  afterAll(async () => {
    await close?.();
    await real?.close();
    await server?.stop();
  });

  const add = (address: string, who = () => admin) => who().call('POST', '/districts/4901/targets', { kind: 'webhook', address, secret: SECRET });

  it.each([
    ['https://10.0.0.5/hook', '10.0.0.5, a private address'],
    ['https://172.20.1.1/hook', '172.20.1.1, a private address'],
    ['https://192.168.1.10/hook', '192.168.1.10, a private address'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254, a cloud metadata address'],
    ['https://169.254.10.10/', '169.254.10.10, a link-local address'],
    ['https://100.64.1.1/', '100.64.1.1, a shared (carrier-grade NAT) address'],
    ['https://127.0.0.1:8443/hook', '127.0.0.1, a loopback address'],
    ['https://2130706433/hook', '127.0.0.1, a loopback address'],
    ['https://0x7f.1/hook', '127.0.0.1, a loopback address'],
    ['https://0177.0.0.1/hook', '127.0.0.1, a loopback address'],
    ['https://0/hook', '0.0.0.0, an unspecified address'],
    ['https://0.0.0.0/hook', '0.0.0.0, an unspecified address'],
    ['https://224.0.0.1/hook', '224.0.0.1, a multicast address'],
    ['https://255.255.255.255/hook', '255.255.255.255, a broadcast address'],
    ['https://192.0.2.10/hook', '192.0.2.10, a documentation address'],
    ['https://[::1]/hook', '::1, a loopback address'],
    ['https://[::]/hook', '::, an unspecified address'],
    ['https://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1, a loopback address'],
    ['https://[::ffff:169.254.169.254]/hook', '::ffff:a9fe:a9fe, a cloud metadata address'],
    ['https://[fe80::1]/hook', 'fe80::1, a link-local address'],
    ['https://[fd00::5]/hook', 'fd00::5, a private address'],
    ['https://[fd00:ec2::254]/hook', 'fd00:ec2::254, a cloud metadata address'],
    ['https://[64:ff9b::a00:5]/hook', '64:ff9b::a00:5, a private address'],
    ['https://intranet.example.test/hook', 'intranet.example.test resolves to 10.0.0.5, a private address'],
    ['https://metadata.example.test/hook', 'metadata.example.test resolves to 169.254.169.254, a cloud metadata address'],
    ['https://mixed.example.test/hook', 'mixed.example.test resolves to 127.0.0.1, a loopback address'],
    ['https://v6inside.example.test/hook', 'v6inside.example.test resolves to fd00::5, a private address'],
    ['https://mapped.example.test/hook', 'mapped.example.test resolves to ::ffff:192.168.0.10, a private address'],
    ['https://nowhere.example.test/hook', 'nowhere.example.test could not be resolved (ENOTFOUND)'],
    ['https://empty.example.test/hook', 'empty.example.test resolves to no address'],
    ['http://hooks.example.test/hook', 'a webhook must use https://'],
    ['http://127.0.0.1:8080/hook', 'a webhook must use https://'],
    ['http://localhost:8080/hook', 'a webhook must use https://'],
    ['https://user:pass@hooks.example.test/hook', 'no credentials in the URL'],
    ['ftp://hooks.example.test/hook', 'a webhook must use https://'],
    ['not a url', 'not a URL'],
  ])('refuses %s: %s', async (address, reason) => {
    const r = await add(address);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(reason);
    const stored = await server.db.query<{ address: string }>(`SELECT address FROM district_target WHERE address = $1`, [address]);
    expect(stored).toEqual([]);
  });

  it.each([
    ['https://localhost/hook', 'localhost resolves to 127.0.0.1, a loopback address'],
    ['https://localhost:8443/hook', 'localhost resolves to 127.0.0.1, a loopback address'],
    ['https://127.0.0.1/hook', '127.0.0.1, a loopback address'],
  ])('refuses %s through the console as the server mounts it: %s', async (address, reason) => {
    const r = await add(address, () => realAdmin);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^address: /);
    expect(r.body.message).toContain(reason);
    expect(r.body.message).toContain('webhooks may only reach public internet addresses');
  });

  it.each([`https://${PUBLIC_V4}/hook`, 'https://hooks.example.test/hooks/echannel?token=abc', 'https://dual.example.test/hook', 'https://[2606:4700:4700::1111]/hook'])(
    'accepts %s, which is public, without connecting to it',
    async (address) => {
      const r = await add(address);
      expect(r.status).toBe(201);
      const [stored] = await server.db.query<{ address: string }>(`SELECT address FROM district_target WHERE id = $1`, [r.body.id]);
      expect(stored!.address).toBe(address);
    },
  );
});

// ---- sending -------------------------------------------------------------------------------------------------------

/** A TCP listener on 127.0.0.1 that counts the connections made to it (and closes them). */
async function tcpCounter() {
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, count: () => connections, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** An HTTP receiver that answers with `status`, a telling reason phrase and a body that must never travel on. */
const LEAK = 'INTERNAL-SECRET ami-0abc1234 root:x:0:0';
async function leakyReceiver(status: number, headers: Record<string, string> = {}) {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => {
      res.writeHead(status, `Reason ${LEAK}`, { 'content-type': 'text/plain', ...headers }).end(`${LEAK}\n`.repeat(50));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits: () => hits,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('postJson, at connect time', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });
  const strict = (resolve: Resolve): WebhookReach => ({ resolve, allowPrivateAddresses: false });

  it('refuses a name that resolves inside when the connection is made, and connects to nothing', async () => {
    const inside = await tcpCounter();
    closers.push(inside.close);
    const refused = postJson(`https://rebound.example.test:${inside.port}/hook`, '{}', {}, 2_000, strict(tableResolver({ 'rebound.example.test': ['127.0.0.1'] })));
    await expect(refused).rejects.toThrow(WebhookAddressRefusedError);
    await expect(refused).rejects.toThrow('rebound.example.test resolves to 127.0.0.1, a loopback address');
    expect(inside.count()).toBe(0);
    // The control: with the test allowance the same request does connect, so the count above means something.
    await expect(postJson(`https://rebound.example.test:${inside.port}/hook`, '{}', {}, 2_000, { resolve: tableResolver({ 'rebound.example.test': ['127.0.0.1'] }), allowPrivateAddresses: true })).rejects.toThrow(
      /could not be reached/,
    );
    expect(inside.count()).toBe(1);
  });

  it.each(['https://127.0.0.1:PORT/hook', 'https://2130706433:PORT/hook', 'https://[::ffff:127.0.0.1]:PORT/hook', 'https://localhost:PORT/hook'])(
    'refuses %s before connecting',
    async (template) => {
      const inside = await tcpCounter();
      closers.push(inside.close);
      const sent = postJson(template.replace('PORT', String(inside.port)), '{}', {}, 2_000, strict(async (h) => [{ address: h === 'localhost' ? '127.0.0.1' : PUBLIC_V4, family: 4 }]));
      await expect(sent).rejects.toThrow(/a loopback address; webhooks may only reach public internet addresses/);
      expect(inside.count()).toBe(0);
    },
  );

  it('refuses plain http:// without the test allowance', async () => {
    const hook = await leakyReceiver(200);
    closers.push(hook.close);
    await expect(postJson(hook.url, '{}', {}, 2_000, strict(tableResolver({})))).rejects.toThrow('a webhook must use https://');
    expect(hook.hits()).toBe(0);
  });

  it('keeps only the status of a refusal, and follows no redirect', async () => {
    const hook = await leakyReceiver(500);
    const moved = await leakyReceiver(302, { location: 'http://169.254.169.254/latest/meta-data/' });
    closers.push(hook.close, moved.close);
    const local = { resolve: tableResolver({}), allowPrivateAddresses: true };
    const err = await postJson(hook.url, '{}', {}, 2_000, local).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebhookHttpError);
    expect((err as Error).message).toBe('HTTP 500 from the receiver');
    expect(JSON.stringify(err) + String((err as Error).stack)).not.toContain('INTERNAL-SECRET');
    const redirect = await postJson(moved.url, '{}', {}, 2_000, local).catch((e: unknown) => e);
    expect((redirect as Error).message).toBe('HTTP 302 from the receiver (redirects are not followed)');
    expect((redirect as WebhookHttpError).retryable).toBe(false);
    expect(moved.hits()).toBe(1);
  });
});

describe.each(engines())('the sender and webhooks that point inside, on %s', (engine) => {
  const cipher = new DataCipher(Buffer.alloc(32, 7));
  const logger = createLogger('silent');
  let em: Emulator;
  let line: LineApi;
  let t: TestDatabase;
  let db: Database;
  const closers: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    em = await startEmulator({ channelSecret: 'outside-test-secret', channelAccessToken: 'outside-test-token' });
    line = new LineApi({ channelAccessToken: 'outside-test-token', apiBaseUrl: em.url, dataApiBaseUrl: em.url, timeoutMs: 5_000 });
  });
  afterAll(() => em?.close());
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    await db?.close();
    await t?.drop();
  });

  const start = async (webhooks: Partial<WebhookReach>) => {
    t = newTestDatabase(engine);
    db = await t.open();
    const group = 'C' + randomUUID().replace(/-/g, '');
    await db.transaction((tx) => addTarget(tx, { districtCode: '4901', kind: 'line_group', address: group, actor: 'admin:test' }, cipher, Date.now()));
    const send = () => {
      const s = new NotificationSender({
        db,
        line,
        mailer: null,
        mailFrom: 'E-Channel <noreply@echannel.example.go.th>',
        cipher,
        publicUrl: 'https://echannel.example.go.th',
        logger,
        workerId: `w-${randomUUID()}`,
        settings: { pollMs: 20, retryBaseMs: 10, retryMaxMs: 40, maxAttempts: 3, webhookTimeoutMs: 2_000, leaseMs: 5_000 },
        webhooks,
      });
      s.start();
      closers.push(() => s.stop(2_000));
    };
    const queue = () =>
      db.transaction((tx) =>
        queueNotification(tx, { districtCode: '4901', event: 'case.new', subjectKey: 'MDH-2569-000123-4', payload: { trackingNumber: 'MDH-2569-000123-4', at: Date.now() } }, Date.now()),
      );
    const rows = () => db.query<{ event: string; target_kind: string; status: string; attempts: number; last_error: string | null; payload: string }>('SELECT * FROM notification ORDER BY id');
    return { group, send, queue, rows };
  };

  async function settled<R extends { status: string }>(rows: () => Promise<R[]>, n: number): Promise<R[]> {
    const end = Date.now() + 10_000;
    for (;;) {
      const r = await rows();
      if ((r.length === n && r.every((x) => x.status === 'sent' || x.status === 'failed')) || Date.now() > end) return r;
      await new Promise((res) => setTimeout(res, 20));
    }
  }

  it('refuses at connect time a name accepted as public that resolves inside today: parked at once, the group told in plain words', async () => {
    const inside = await tcpCounter();
    closers.push(inside.close);
    const answers: Record<string, string[]> = { 'helpdesk.example.test': [PUBLIC_V4] };
    const reach = { resolve: tableResolver(answers) };
    const s = await start(reach);
    const address = `https://helpdesk.example.test:${inside.port}/hook`;
    const target = { districtCode: '4901', kind: 'webhook' as const, address, secret: SECRET, actor: 'admin:test' };
    await checkNewTarget(target, { ...reach, allowPrivateAddresses: false }); // accepted: it resolves to a public address
    await db.transaction((tx) => addTarget(tx, target, cipher, Date.now()));
    answers['helpdesk.example.test'] = ['127.0.0.1']; // and then its DNS answer changes
    await s.queue();
    s.send();
    const all = await settled(s.rows, 3);
    const hook = all.find((r) => r.event === 'case.new' && r.target_kind === 'webhook')!;
    expect(hook).toMatchObject({ status: 'failed', attempts: 1 });
    expect(hook.last_error).toBe(
      'WebhookAddressRefusedError: helpdesk.example.test resolves to 127.0.0.1, a loopback address; webhooks may only reach public internet addresses',
    );
    expect(inside.count()).toBe(0);
    const notice = all.find((r) => r.event === 'delivery.failed')!;
    expect(notice).toMatchObject({ target_kind: 'line_group', status: 'sent' });
    expect(JSON.parse(notice.payload).detail).toBe(
      `case.new → webhook https://helpdesk.example.test:${inside.port}/hook: helpdesk.example.test resolves to 127.0.0.1, a loopback address; webhooks may only reach public internet addresses`,
    );
  });

  it("never passes a receiver's body or reason phrase on: not to the stored error, nor to the district's other targets", async () => {
    const hook = await leakyReceiver(400);
    closers.push(hook.close);
    const s = await start({ allowPrivateAddresses: true }); // the test allowance: the receiver is on this machine
    await db.transaction((tx) => addTarget(tx, { districtCode: '4901', kind: 'webhook', address: hook.url, secret: SECRET, actor: 'admin:test' }, cipher, Date.now(), { allowPrivateAddresses: true }));
    await s.queue();
    s.send();
    const all = await settled(s.rows, 3);
    const failed = all.find((r) => r.event === 'case.new' && r.target_kind === 'webhook')!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, last_error: 'WebhookHttpError: HTTP 400 from the receiver' });
    const notice = all.find((r) => r.event === 'delivery.failed')!;
    expect(JSON.parse(notice.payload).detail).toBe(`case.new → webhook ${hook.url}: HTTP 400 from the receiver`);
    const end = Date.now() + 5_000;
    while (em.delivered(s.group).length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const cards = JSON.stringify(em.delivered(s.group));
    expect(cards).toContain('HTTP 400 from the receiver');
    expect(JSON.stringify(all) + cards).not.toMatch(/INTERNAL-SECRET|ami-0abc|root:x|Reason/);
  });
});
