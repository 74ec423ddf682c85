import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timeouts catch hangs; they are not performance bounds. An integration file starts keepd
    // (three node processes) and often a CLI or a real client: on a loaded 2-core machine that
    // alone can take a minute, so the bounds are wide and the suite asserts no durations.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // one test file per core: more only makes every file's servers slower
    maxWorkers: Math.max(1, Math.min(3, availableParallelism())),
    // every keepd a test starts is recorded; whatever a test leaves running is stopped per
    // file (setupFiles) and, as the last net, at the end of the run (globalSetup's teardown)
    // integration tests spawn bin/keepd.js, which runs dist/: build it once, before the workers start
    globalSetup: ['test/helpers/build-once.ts', 'test/setup/global-setup.ts'],
    setupFiles: ['test/setup/stop-leftovers.ts'],
    // integration tests start real servers; a failing one must not hang the run
    teardownTimeout: 10_000,
  },
});
