import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // two test files at a time: most of a system test's time is waiting on real sockets and the
    // simulator, so two share the 2 cores of the CI machine well (one worker took 11 min)
    maxWorkers: 2,
  },
});
