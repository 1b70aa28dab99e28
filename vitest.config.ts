import { defineConfig } from 'vitest/config';

// Tests import workspace packages through their '@tracecheck/source' export condition, so they run
// against src/ without a build; processes started by tests (the CLI) run the built dist/. The
// condition is named for this repo: a project that installs the packages never resolves it.
export default defineConfig({
  resolve: { conditions: ['@tracecheck/source'] },
  ssr: { resolve: { conditions: ['@tracecheck/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
