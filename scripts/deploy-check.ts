/**
 * `npm run deploy:check`: follows docs/deploy.md on this machine, step by step, with the guide's own blocks (the
 * SQL, the key command, the environment file, the Caddyfile, the systemd unit), read from the page, so the guide
 * cannot drift from what works. Prints each step; cleans up whatever happens. Exit 0 when every step passed.
 *
 * Needs: PostgreSQL on 127.0.0.1:5432 where `postgres` connects without a password (the development machines, CI),
 * and Caddy (installed with apt-get when missing: root).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator, type Emulator } from '../emulator';

const root = join(import.meta.dirname, '..');
const GUIDE = join(root, 'docs', 'deploy.md');
const NAME = 'echannel_check';
const PASSWORD = randomBytes(12).toString('hex');
const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';

class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

// ---------------------------------------------------------------------------------------------------------------
// Printing

let stepNo = 0;
async function step<T>(title: string, fn: () => Promise<T> | T): Promise<T> {
  stepNo++;
  const started = Date.now();
  process.stdout.write(`${String(stepNo).padStart(2)}. ${title} ... `);
  try {
    const value = await fn();
    console.log(`ok (${Date.now() - started} ms)${typeof value === 'string' && value ? `: ${value}` : ''}`);
    return value;
  } catch (err) {
    console.log('FAILED');
    throw err;
  }
}

function check(ok: unknown, what: string): void {
  if (!ok) throw new CheckFailed(what);
}

// ---------------------------------------------------------------------------------------------------------------
// The guide's blocks

/** The fenced block after `<!-- deploy-check: NAME -->` in docs/deploy.md. */
export function guideBlock(markdown: string, name: string): string {
  const marker = `<!-- deploy-check: ${name} -->`;
  const at = markdown.indexOf(marker);
  if (at < 0) throw new CheckFailed(`docs/deploy.md has no block marked ${marker}`);
  const m = /```[^\n]*\n([\s\S]*?)```/.exec(markdown.slice(at + marker.length));
  if (!m) throw new CheckFailed(`no fenced block after ${marker}`);
  return m[1]!;
}

/** KEY=VALUE lines of an environment file (as systemd's EnvironmentFile reads them: no quotes here). */
function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!.trim();
  }
  return env;
}

// ---------------------------------------------------------------------------------------------------------------
// Processes and requests

function run(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): string {
  const r = spawnSync(command, args, { cwd: opts.cwd ?? root, env: opts.env ?? process.env, input: opts.input, encoding: 'utf8' });
  if (r.error) throw new CheckFailed(`${command} could not be run: ${r.error.message}`);
  if (r.status !== 0) throw new CheckFailed(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** As run, without blocking this process: the LINE emulator answers from inside it meanwhile. */
function runAsync(command: string, args: string[]): Promise<string> {
  const p = start(command, args, process.env);
  return p.exited.then((code) => {
    if (code !== 0) throw new CheckFailed(`${command} ${args.join(' ')} exited ${code}:\n${p.output()}`);
    return p.output();
  });
}

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function until(probe: () => Promise<boolean>, what: string, p: Started | null, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (p && p.child.exitCode !== null) throw new CheckFailed(`${what}: the process exited (${p.child.exitCode}):\n${p.output()}`);
    if (Date.now() > deadline) throw new CheckFailed(`${what}: not within ${ms / 1000} s${p ? `:\n${p.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** HTTPS to Caddy on localhost, trusting only Caddy's own local certificate authority. */
function https(port: number, ca: Buffer, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', servername: 'localhost', port, method, path, ca, headers: { host: `localhost:${port}`, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}), ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The check

async function main(): Promise<void> {
  const guide = readFileSync(GUIDE, 'utf8');
  const cleanups: Array<[string, () => Promise<void> | void]> = [];
  const tmp = mkdtempSync(join(tmpdir(), 'echannel-deploy-check-'));
  cleanups.push(['remove the temporary folder', () => rmSync(tmp, { recursive: true, force: true })]);
  const psql = (sql: string) => run('psql', [PG_ADMIN, '-v', 'ON_ERROR_STOP=1', '-q', '-X', '-c', sql]);
  const dropDatabases = () => {
    psql(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    psql(`DROP DATABASE IF EXISTS ${NAME}_restored WITH (FORCE)`);
    psql(`DROP ROLE IF EXISTS ${NAME}`);
  };
  console.log(`Checking docs/deploy.md on this machine (temporary folder ${tmp})\n`);
  try {
    await step('Caddy from Debian\'s package', () => {
      if (!has('caddy')) {
        check(process.getuid?.() === 0, 'caddy is not installed, and installing it needs root: apt-get install caddy');
        run('apt-get', ['update', '-qq']);
        run('apt-get', ['install', '-y', '-qq', 'caddy'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      }
      // Where systemd runs, Debian's package also starts a Caddy service of its own (:80): this check runs its own.
      return run('caddy', ['version']).trim().split(' ')[0];
    });

    await step('PostgreSQL answers on 127.0.0.1:5432', () => {
      if (spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']).status !== 0) {
        // As .ci/run does: the machine's cluster, started when it is down.
        const version = spawnSync('sh', ['-c', 'ls /etc/postgresql | head -1'], { encoding: 'utf8' }).stdout.trim();
        spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
        spawnSync('sh', ['-c', 'for i in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && exit 0; sleep 1; done']);
      }
      return run('psql', [PG_ADMIN, '-tAX', '-c', 'SHOW server_version']).trim();
    });

    // Section 3: the role and the database, with the guide's SQL.
    await step(`section 3: the guide's SQL makes role and database ${NAME}`, () => {
      dropDatabases(); // what an interrupted earlier run may have left
      cleanups.push(['drop the check\'s databases and role', dropDatabases]);
      const sql = guideBlock(guide, 'sql').replaceAll('CHANGE-ME-database-password', PASSWORD).replace(/\bechannel\b/g, NAME);
      run('psql', [PG_ADMIN, '-v', 'ON_ERROR_STOP=1', '-q', '-X'], { input: sql });
      return `owner ${run('psql', [PG_ADMIN, '-tAX', '-c', `SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '${NAME}'`]).trim()}`;
    });
    const databaseUrl = `postgres://${NAME}:${PASSWORD}@127.0.0.1:5432/${NAME}`;

    // Section 4: the data key, outside the database, made by the guide's command.
    const etc = join(tmp, 'etc', 'echannel');
    const keyFile = join(etc, 'data-key');
    await step('section 4: the data key made outside the database, mode 600', () => {
      const commands = guideBlock(guide, 'key')
        .replaceAll('/etc/echannel', etc)
        // One user here: the guide's sudo and ownership are the real machine's.
        .replace(/sudo -u echannel sh -c '([^']*)'/g, '$1')
        .replace(/sudo install -d -m 700 -o echannel -g echannel/g, 'install -d -m 700');
      run('sh', ['-euc', commands]);
      check(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64').length === 32, 'the key file holds 32 random bytes in base64');
      check((statSync(keyFile).mode & 0o077) === 0, 'the key file is readable by its owner only');
      check((statSync(etc).mode & 0o077) === 0, 'the key folder is closed to others');
      return keyFile;
    });

    // "LINE": the emulator, with credentials of its own, as a real channel would be.
    const secret = randomBytes(16).toString('hex');
    const token = `deploy-check-${randomBytes(24).toString('base64url')}`;
    const emulator: Emulator = await step('a LINE emulator stands in for LINE', async () => startEmulator({ channelSecret: secret, channelAccessToken: token }));
    cleanups.push(['stop the LINE emulator', () => emulator.close()]);

    // Section 5: the environment file.
    const port = await freePort();
    const httpsPort = await freePort();
    const httpPort = await freePort();
    const publicUrl = `https://localhost:${httpsPort}`;
    const opsToken = randomBytes(24).toString('base64url');
    const envFile = join(etc, 'echannel.env');
    const env = await step('section 5: the environment file', () => {
      const text = guideBlock(guide, 'env')
        .replace(/^PORT=.*$/m, `PORT=${port}`)
        .replace(/^PUBLIC_URL=.*$/m, `PUBLIC_URL=${publicUrl}`)
        .replace(/^DATABASE_URL=.*$/m, `DATABASE_URL=${databaseUrl}`)
        .replaceAll('/etc/echannel', etc)
        .replace('CHANGE-ME-channel-secret', secret)
        .replace('CHANGE-ME-channel-access-token', token)
        .replace('CHANGE-ME-operations-token-for-metrics', opsToken)
        .concat(`LINE_API_BASE_URL=${emulator.url}\nLINE_DATA_API_BASE_URL=${emulator.url}\n`);
      writeFileSync(envFile, text, { mode: 0o600 });
      const parsed = parseEnv(text);
      check(parsed.NODE_ENV === 'production' && parsed.HOST === '127.0.0.1', 'the guide runs production on 127.0.0.1 behind Caddy');
      check(!text.includes('CHANGE-ME'), 'every placeholder filled in');
      return parsed;
    });

    // Section 1's build, as the guide runs it after npm ci: the unit runs what it makes.
    await step('section 1: the server built (npm run build:server)', () => {
      const install = guideBlock(guide, 'install');
      check(install.includes('npm run build:server'), 'the guide builds the server before the unit runs it');
      execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: root, stdio: 'inherit' });
    });

    // Section 7's way of starting: the unit's ExecStart with the environment file, nothing else.
    const server = await step('sections 5 and 7: the server starts as the unit starts it', async () => {
      const unit = guideBlock(guide, 'unit');
      const exec = /^ExecStart=(\S+) (.*)$/m.exec(unit);
      check(exec, 'the unit has an ExecStart');
      const [, , args] = exec!;
      const p = start(process.execPath, args!.split(' '), { PATH: process.env.PATH, HOME: tmp, ...env });
      cleanups.push([
        'stop the server (SIGTERM, as systemd does)',
        async () => {
          if (p.child.exitCode !== null) return;
          p.child.kill('SIGTERM');
          const code = await Promise.race([p.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
          if (code === 'hung') p.child.kill('SIGKILL');
          check(code === 0, `the server stops cleanly on SIGTERM (exit ${String(code)}):\n${p.output()}`);
        },
      ]);
      await until(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 'the server ready', p);
      const out = p.output();
      check(/is running/.test(out) && out.trim().startsWith('{'), 'the start-up banner, as JSON (no terminal under systemd)');
      return p;
    });

    await step("section 2: the rich menu installed with the guide's command", async () => {
      const command = /^\s*(cd \/opt\/echannel\/app && sudo -u echannel sh -c '(.*richmenu:install)')\s*$/m.exec(guide);
      check(command, 'section 2 shows the rich menu command');
      const inner = command![2]!.replaceAll('/etc/echannel', etc);
      const out = await runAsync('sh', ['-c', inner]);
      const made = emulator.calls({ endpoint: 'richmenu' }).find((c) => c.method === 'POST' && /^\/v2\/bot\/user\/all\/richmenu\//.test(c.path));
      check(made?.status === 200, `the menu is every user's default at LINE:\n${out}`);
      return made!.path;
    });

    // Section 6: Caddy with the guide's Caddyfile, the host name made local.
    const caddyDir = join(tmp, 'caddy');
    const caddyfile = join(caddyDir, 'Caddyfile');
    const caddy = await step('section 6: Caddy with the guide\'s Caddyfile, tls internal, unprivileged ports', async () => {
      mkdirSync(caddyDir, { recursive: true });
      const site = guideBlock(guide, 'caddyfile')
        .replace('echannel.example.go.th {', 'localhost {\n\ttls internal')
        .replace('reverse_proxy 127.0.0.1:3000', `reverse_proxy 127.0.0.1:${port}`);
      check(site.includes('tls internal') && site.includes(`127.0.0.1:${port}`), 'the Caddyfile has the site and its upstream');
      const global = `{\n\tadmin off\n\thttp_port ${httpPort}\n\thttps_port ${httpsPort}\n\tskip_install_trust\n}\n\n`;
      writeFileSync(caddyfile, global + site);
      const caddyEnv = { PATH: process.env.PATH, HOME: caddyDir, XDG_DATA_HOME: join(caddyDir, 'data'), XDG_CONFIG_HOME: join(caddyDir, 'config') };
      run('caddy', ['validate', '--config', caddyfile, '--adapter', 'caddyfile'], { env: caddyEnv });
      const p = start('caddy', ['run', '--config', caddyfile, '--adapter', 'caddyfile'], caddyEnv);
      cleanups.push([
        'stop Caddy',
        async () => {
          if (p.child.exitCode !== null) return;
          p.child.kill('SIGTERM');
          await Promise.race([p.exited, new Promise((r) => setTimeout(r, 10_000))]);
          if (p.child.exitCode === null) p.child.kill('SIGKILL');
        },
      ]);
      const rootCert = join(caddyDir, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt');
      await until(async () => existsSync(rootCert), 'Caddy\'s local certificate authority', p);
      const ca = readFileSync(rootCert);
      await until(async () => (await https(httpsPort, ca, 'GET', '/healthz')).status === 200, 'HTTPS through Caddy', p);
      return { p, ca };
    });

    await step('HTTPS: /readyz through Caddy, with a certificate this check trusts', async () => {
      const r = await https(httpsPort, caddy.ca, 'GET', '/readyz');
      check(r.status === 200 && JSON.parse(r.body).status === 'ready', `readyz answered ${r.status} ${r.body}`);
      return `${publicUrl}/readyz`;
    });

    // LINE's side: a signed webhook through HTTPS, answered, and the bot's reply reaching "LINE".
    await step('a signed LINE webhook through HTTPS is answered 200, and the bot replies', async () => {
      const user = emulator.addUser({ displayName: 'สมศรี', language: 'th' });
      const body = JSON.stringify({ destination: 'Udeploycheck', events: [emulator.buildEvent({ type: 'message', userId: user, message: { type: 'text', text: 'สวัสดีค่ะ' } })] });
      const signature = createHmac('sha256', secret).update(body).digest('base64');
      const forged = await https(httpsPort, caddy.ca, 'POST', '/webhook', body, { 'content-type': 'application/json', 'x-line-signature': createHmac('sha256', 'another secret').update(body).digest('base64') });
      check(forged.status === 401, `a wrongly signed webhook is refused (answered ${forged.status})`);
      const r = await https(httpsPort, caddy.ca, 'POST', '/webhook', body, { 'content-type': 'application/json', 'x-line-signature': signature });
      check(r.status === 200, `the webhook answered ${r.status} ${r.body}`);
      await until(async () => emulator.delivered(user).length > 0, 'the bot\'s reply at LINE', server);
      const first = emulator.delivered(user)[0]!.message as { type: string; text?: string };
      return `the bot answered: ${(first.text ?? first.type).split('\n')[0]!.slice(0, 60)}`;
    });

    await step('/metrics: refused through Caddy, served on 127.0.0.1 with OPS_TOKEN', async () => {
      const outside = await https(httpsPort, caddy.ca, 'GET', '/metrics', undefined, { authorization: `Bearer ${opsToken}` });
      check(outside.status === 404, `/metrics through Caddy answered ${outside.status}`);
      const inside = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${opsToken}` } });
      const text = await inside.text();
      check(inside.status === 200, `/metrics answered ${inside.status}`);
      check(/^echannel_webhook_requests_total\{status="200"\} 1$/m.test(text), 'the webhook counted');
      check(/^echannel_webhook_requests_total\{status="401"\} 1$/m.test(text), 'the forged webhook counted');
      check(/^echannel_info\{[^}]*database="postgres"[^}]*line="line"/m.test(text), 'echannel_info says PostgreSQL and LINE');
      return `${text.split('\n').filter((l) => l.startsWith('echannel_')).length} samples`;
    });

    await step('the console: an account made with npm run admin:create signs in through HTTPS, cookie Secure', async () => {
      const password = randomBytes(12).toString('base64url');
      run('npm', ['run', '--silent', 'admin:create', '--', '--username', 'checkadmin', '--name', 'Deploy check', '--password-stdin'], {
        env: { ...process.env, DATABASE_URL: databaseUrl },
        input: `${password}\n`,
      });
      const r = await https(httpsPort, caddy.ca, 'POST', '/console/api/login', JSON.stringify({ username: 'checkadmin', password }), { 'content-type': 'application/json' });
      check(r.status === 200, `sign-in answered ${r.status} ${r.body}`);
      const cookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []).join('\n');
      check(/;\s*Secure/i.test(cookie), `the session cookie is Secure: ${cookie.replace(/=[^;]+/, '=…')}`);
      check(/HttpOnly/i.test(cookie) && /SameSite=Strict/i.test(cookie), 'and HttpOnly, SameSite=Strict');
      return cookie.split(';')[0]!.replace(/=.*/, '=…; ') + cookie.split(';').slice(1).map((s) => s.trim()).filter((s) => !/^(Max-Age|Expires)/i.test(s)).join('; ');
    });

    await step('section 8: npm run backup, then npm run restore into a new database', async () => {
      const file = join(tmp, 'backups', 'echannel.dump');
      const backup = run('npm', ['run', '--silent', 'backup', '--', '--out', file], { env: { ...process.env, DATABASE_URL: databaseUrl } });
      check(existsSync(file), `a backup file: ${backup}`);
      psql(`CREATE DATABASE ${NAME}_restored OWNER ${NAME}`);
      const restoredUrl = `postgres://${NAME}:${PASSWORD}@127.0.0.1:5432/${NAME}_restored`;
      run('npm', ['run', '--silent', 'restore', '--', '--from', file, '--to', restoredUrl]);
      const count = (db: string, sql: string) => run('psql', [`postgres://postgres@127.0.0.1:5432/${db}`, '-tAX', '-c', sql]).trim();
      for (const table of ['inbox_event', 'outbox_message', 'officer', 'conversation_event']) {
        const [was, now] = [count(NAME, `SELECT COUNT(*) FROM ${table}`), count(`${NAME}_restored`, `SELECT COUNT(*) FROM ${table}`)];
        check(was === now && Number(now) > 0, `${table}: ${now} restored of ${was}`);
      }
      return `${(statSync(file).size / 1024).toFixed(0)} KiB; events, messages, accounts and chats all restored`;
    });

    await step('section 7: the systemd unit passes systemd-analyze verify', () => {
      if (!has('systemd-analyze')) return 'skipped: no systemd-analyze here';
      const unitFile = join(tmp, 'echannel.service');
      // This machine's paths and user: the unit's own are the real machine's.
      const me = run('id', ['-un']).trim();
      writeFileSync(
        unitFile,
        guideBlock(guide, 'unit')
          .replace(/^User=.*$/m, `User=${me}`)
          .replace(/^Group=.*$/m, `Group=${run('id', ['-gn']).trim()}`)
          .replace(/^WorkingDirectory=.*$/m, `WorkingDirectory=${root}`)
          .replace(/^EnvironmentFile=.*$/m, `EnvironmentFile=${envFile}`)
          .replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`)
          .replace(/^ReadWritePaths=.*$/m, `ReadWritePaths=${tmp}`),
      );
      const r = spawnSync('systemd-analyze', ['verify', '--man=no', unitFile], { encoding: 'utf8' });
      const problems = `${r.stdout}${r.stderr}`
        .split('\n')
        // Not the unit's doing: the machine's other units, or no systemd running (a container).
        .filter((l) => l.includes('echannel.service') && !/Failed to (connect|create)|System has not been booted/.test(l));
      check(problems.length === 0, `systemd-analyze verify:\n${problems.join('\n')}`);
      return r.status === 0 ? 'no problems' : 'no problems in the unit (systemd itself is not running here)';
    });
  } finally {
    console.log('\nCleaning up');
    let failed: unknown = null;
    for (const [what, fn] of cleanups.reverse()) {
      try {
        await fn();
        console.log(`  - ${what}: done`);
      } catch (err) {
        console.log(`  - ${what}: FAILED ${(err as Error).message}`);
        failed ??= err;
      }
    }
    if (failed) throw failed;
  }
}

// Run, not when imported (tests/deploy.test.ts reads the guide's blocks with guideBlock).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await main();
    console.log('\ndocs/deploy.md: every step passed on this machine');
    process.exit(0);
  } catch (err) {
    console.error(`\n${err instanceof CheckFailed ? err.message : err instanceof Error ? err.stack : String(err)}`);
    console.error('\ndocs/deploy.md: the check FAILED');
    process.exit(1);
  }
}
