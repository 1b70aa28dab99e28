import { tracecheck } from '@tracecheck/vitest/plugin';
import { defineConfig } from 'vitest/config';
import { processes } from './stack.mjs';

// The API-level workflows (tests/api): Vitest with @tracecheck/vitest. The plugin runs a receiver
// (or uses TRACECHECK_URL, as under `tracecheck run`) and starts the shop's processes pointed at it,
// unless the caller started them already (SHOP_STACK=running: the suite and the drill do, once for
// Vitest and Playwright together).
const running = process.env.SHOP_STACK === 'running';

export default defineConfig({
  plugins: [
    tracecheck({
      services: running ? [] : processes().map((p) => ({ name: p.name, command: p.command, url: p.health, env: p.env, timeout: '30s' })),
      // Effect snapshots record payload shapes; these values are part of the contract too.
      snapshot: { pin: ['event', 'currency'] },
    }),
  ],
  test: {
    include: ['tests/api/**/*.test.ts'],
  },
});
