import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 3,
    // every keepd a test starts is recorded; whatever a test leaves running is stopped per
    // file (setupFiles) and, as the last net, at the end of the run (globalSetup's teardown)
    // integration tests spawn bin/keepd.js, which runs dist/: build it once, before the workers start
    globalSetup: ['test/helpers/build-once.ts', 'test/setup/global-setup.ts'],
    setupFiles: ['test/setup/stop-leftovers.ts'],
    // integration tests start real servers; a failing one must not hang the run
    teardownTimeout: 10_000,
  },
});
