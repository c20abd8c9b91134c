import { spawn, type ChildProcess } from 'node:child_process';
import { builtServerArgs } from './built-server';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Emulator } from '../../emulator';
import type { TestDatabase } from './databases';
import { SHARED_BOUNDARIES_DIR } from './boundaries';

const root = join(import.meta.dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGKILL: no shutdown code runs, as in a power cut or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful path. Resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** The server as `npm start` runs it (build/server.mjs), in its own process: one Node process, so a SIGKILL reaches it. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, builtServerArgs(), {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', HOST: '127.0.0.1', BOUNDARIES_DIR: SHARED_BOUNDARIES_DIR, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited at start:\n${out}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready in 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => out,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export const LINE_SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00';
export const LINE_TOKEN = 'process-test-channel-access-token-0000';

/** Settings for a server process that talks to the given emulator as if it were LINE, with short leases. */
export function serverEnv(t: TestDatabase, emulator: Emulator, port: number): Record<string, string> {
  // A PostgreSQL test database lives in its own schema: the server finds it through the search path.
  const url = t.schema ? `${t.url}${t.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${t.schema}`)}` : t.url;
  return {
    PORT: String(port),
    DATABASE_URL: url,
    LINE_CHANNEL_SECRET: LINE_SECRET,
    DATA_KEY: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=',
    LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
    LINE_API_BASE_URL: emulator.url,
    LINE_DATA_API_BASE_URL: emulator.url,
    WORKER_LEASE_MS: '2000',
    WORKER_POLL_MS: '50',
    RETRY_BASE_MS: '100',
    RETRY_MAX_MS: '1000',
  };
}
