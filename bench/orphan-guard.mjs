/**
 * Preloaded into every process the benchmark starts (`node --import ./bench/orphan-guard.mjs ...`), in plain
 * JavaScript so that a child runs without a TypeScript loader (the built server: what production runs):
 * when the benchmark runner is gone (killed with SIGKILL, its terminal closed), the child stops too, so a
 * benchmark never leaves servers behind. It polls the parent pid; the timer is unref'd and costs nothing.
 */
const parent = Number(process.env['BENCH_PARENT_PID'] ?? process.ppid);

const timer = setInterval(() => {
  let alive = true;
  try {
    process.kill(parent, 0);
  } catch {
    alive = false;
  }
  if (!alive || process.ppid !== parent) {
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(1), 3000).unref();
    clearInterval(timer);
  }
}, 1000);
timer.unref();

