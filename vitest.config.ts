import { defineConfig } from 'vitest/config';

// Tests import workspace packages through their 'source' export condition, so they run against src/
// without a build; processes started by tests (the CLI) run the built dist/.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
