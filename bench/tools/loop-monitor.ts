/**
 * Preloaded into the server by `npm run bench -- --server-import ./bench/tools/loop-monitor.ts`: reports on
 * stderr every second in which the event loop was blocked for over 50 ms (the longest delay and when), so a stall
 * in the acknowledgement latency can be told apart from a stall in the load generator. Diagnosis only.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
const timer = setInterval(() => {
  const maxMs = h.max / 1e6;
  if (maxMs > Number(process.env["LOOP_MONITOR_MS"] ?? 50)) console.error(`[loop-monitor] ${new Date().toISOString()} event loop blocked up to ${maxMs.toFixed(0)} ms (p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms)`);
  h.reset();
}, 1000);
timer.unref();
