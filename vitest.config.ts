import { defineConfig } from 'vitest/config';

const shared = { pool: 'forks' as const, testTimeout: 30_000, hookTimeout: 60_000 };
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
