/**
 * Child processes of the benchmark: each one is `node <script>` (a single Node process, so a signal reaches the
 * program itself and not a wrapper), with `--import tsx` only when the script or a preload is TypeScript (the echo
 * bot, a diagnostic tool; the server runs built, as in production: serverScript), and the orphan guard preloaded so
 * that it stops when the runner is gone. Every child is registered here and killed on exit, error or signal.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = join(import.meta.dirname, '..', '..');

const OUTPUT_CAP = 2 * 1024 * 1024;
/**
 * By URL, not `./bench/...`: a child may run in another checkout (the --baseline worktree), whose commit may not
 * have the guard; the guard belongs to the runner, not to the code under test.
 */
const ORPHAN_GUARD = pathToFileURL(join(ROOT, 'bench', 'orphan-guard.mjs')).href;

export interface Child {
  name: string;
  url: string;
  child: ChildProcess;
  /** The last OUTPUT_CAP characters of stdout and stderr. */
  output(): string;
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const children = new Set<ChildProcess>();

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The server of the checkout at `cwd` as `npm start` runs it: built (scripts/build-server.mjs) into build/server.mjs
 * and run by plain node. A --baseline commit older than the build runs as it did then, under tsx.
 */
export function serverScript(cwd: string = ROOT): string {
  if (!existsSync(join(cwd, 'scripts', 'build-server.mjs'))) return 'server/main.ts';
  execFileSync(process.execPath, [join('scripts', 'build-server.mjs')], { cwd, stdio: 'inherit' });
  return 'build/server.mjs';
}

export interface SpawnOptions {
  name: string;
  script: string;
  port: number;
  env: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Modules preloaded (TypeScript ones bring tsx in). */
  imports?: string[];
  /** Path answering 200 once the process is ready. */
  readyPath: string;
  readyTimeoutMs?: number;
  /** Working directory, from which `tsx`, the script and relative imports resolve (default: the repository). */
  cwd?: string;
}

export async function startChild(o: SpawnOptions): Promise<Child> {
  const child = spawn(
    process.execPath,
    [
      ...(o.nodeArgs ?? []),
      ...([o.script, ...(o.imports ?? [])].some((m) => /\.m?ts$/.test(m)) ? ['--import', 'tsx'] : []),
      '--import',
      ORPHAN_GUARD,
      ...(o.imports ?? []).flatMap((m) => ['--import', m]),
      o.script,
    ],
    {
      cwd: o.cwd ?? ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        NODE_ENV: 'production',
        BENCH_PARENT_PID: String(process.pid),
        ...o.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > OUTPUT_CAP * 2) out = out.slice(-OUTPUT_CAP);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  void exited.then(() => children.delete(child));

  const url = `http://127.0.0.1:${o.port}`;
  const deadline = Date.now() + (o.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${o.name} exited at start (code ${child.exitCode}, signal ${child.signalCode}):\n${out.slice(-4000)}`);
    }
    const ok = await fetch(`${url}${o.readyPath}`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${o.name} not ready in ${o.readyTimeoutMs ?? 30_000} ms:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    name: o.name,
    url,
    child,
    output: () => out,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Last resort, synchronous: used from process 'exit' and signal handlers. */
export function killAllChildren(): void {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
}
