import { defineConfig } from 'vitest/config';

// Two cores: run files in forked processes, two at a time; servers and browsers need headroom.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
