import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // integration tests spawn bin/keepd.js, which runs dist/: build it once, before the workers start
    globalSetup: ['test/helpers/build-once.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 3,
    // integration tests start real servers; a failing one must not hang the run
    teardownTimeout: 10_000,
  },
});
