import { defineConfig } from 'vitest/config';

// isolate: false: a worker keeps the modules it imported for its next file instead of importing the server's whole
// tree again for every file (94 s of the suite's import time, 15 s without). Every test file starts its own
// servers, databases and browsers and none mocks a module, so nothing of one file's state reaches the next.
const shared = { pool: 'forks' as const, testTimeout: 30_000, hookTimeout: 60_000, isolate: false };
const ALONE = 'tests/**/*.alone.test.ts';

// Two cores: run files in forked processes, two at a time; servers and browsers need headroom. Tests that time
// something a person waits for (`*.alone.test.ts`) run after all the others, one file at a time, on a quiet
// machine: beside another worker's server and browser the same work takes three to five times as long.
export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'suite', include: ['tests/**/*.test.ts'], exclude: [ALONE], sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'alone', include: [ALONE], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
