/**
 * Preloaded into every bot of `npm run bench` (the server, the baseline, the echo bot): once a second, on stderr,
 * how long the event loop was held in that second (the longest delay of a 5 ms timer, and its 99th percentile), as
 * a line the runner reads back per phase: `[loop-stats] {"at":<Date.now()>,"max":<ms>,"p99":<ms>}`. A webhook that
 * arrives while the loop is held waits that long before it is even read: the acknowledgement's floor. Plain
 * JavaScript: the built server runs without a TypeScript loader.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
const timer = setInterval(() => {
  const line = { at: Date.now(), max: Math.round(h.max / 1e5) / 10, p99: Math.round(h.percentile(99) / 1e5) / 10 };
  h.reset();
  process.stderr.write(`[loop-stats] ${JSON.stringify(line)}\n`);
}, 1000);
timer.unref();
