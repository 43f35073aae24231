import { defineConfig } from 'vitest/config';

// Storage, workflow and end-to-end tests start DynamoDB Local (a JVM) and the local runtime: on a 2-core machine
// they run one file at a time, which is faster than fighting over the cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
