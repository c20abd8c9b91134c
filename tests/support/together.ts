/**
 * Child processes that start work at the same moment, as two servers on one database would: each prints
 * "ready", waits for "go" on stdin, works, and prints a JSON report as its last line.
 */
import { spawn } from 'node:child_process';

export interface Worker<R> {
  ready: Promise<void>;
  go(): void;
  report: Promise<R>;
}

export function spawnWorker<R>(script: string, cwd: string, env: Record<string, string | undefined>, label: string): Worker<R> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (d) => (err += d));
  const report = new Promise<R>((resolve, reject) => {
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as R);
      else reject(new Error(`${label} exited with ${code}:\n${out.slice(0, 2000)}\n${err}`));
    });
  });
  // A process that dies before "ready" must fail the test, not hang it.
  void report.catch(() => markReady());
  return { ready, go: () => child.stdin.end('go\n'), report };
}

/** Starts the workers together and waits for all; the wall time is from "go" to the last report. */
export async function runTogether<R>(workers: Array<Worker<R>>): Promise<{ reports: R[]; ms: number }> {
  await Promise.all(workers.map((w) => w.ready));
  const started = performance.now();
  for (const w of workers) w.go();
  const reports = await Promise.all(workers.map((w) => w.report));
  return { reports, ms: Math.round(performance.now() - started) };
}
