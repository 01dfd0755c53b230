import { defineConfig } from 'vitest/config';

// Test files run in parallel (one fork each); integration files own their database and Redis prefix.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/support/global-setup.ts'],
    // The message lint reads everything the bot sends to a fake Bot API (test/support/message-lint.ts).
    setupFiles: ['test/support/message-lint-setup.ts'],
  },
});
