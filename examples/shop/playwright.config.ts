import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { type TracecheckOptionFixtures, tracecheckReceiver } from '@tracecheck/playwright';
import { processes, urls } from './stack.mjs';

// The browser workflows (tests/browser): Playwright with @tracecheck/playwright. First, before the
// config is built: a receiver in Playwright's main process (or TRACECHECK_URL's, as under `tracecheck
// run` and in the workers), so the webServer processes below export to it. SHOP_STACK=running: the
// caller (the suite, the drill) started the shop already, pointed at that receiver.
await tracecheckReceiver();

const { web } = urls();
const running = process.env.SHOP_STACK === 'running';
// Debian's Chromium when installed (CHROMIUM_PATH to choose another); Playwright's own browser otherwise.
const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig<TracecheckOptionFixtures>({
  testDir: './tests/browser',
  workers: Number(process.env.SHOP_PLAYWRIGHT_WORKERS ?? 2),
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'line' : 'list',
  outputDir: process.env.SHOP_TEST_RESULTS ?? 'test-results',
  use: {
    baseURL: web,
    // The run's baggage and trace context go to our front end only (the browser talks to nothing else).
    // SHOP_KEEP_RUNS=1 (under `tracecheck run --report`) keeps the runs, so the report shows their spans.
    tracecheck: { propagateTo: [web], keepRuns: process.env.SHOP_KEEP_RUNS === '1' },
    launchOptions: { ...(chromium ? { executablePath: chromium } : {}), args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] },
  },
  webServer: running ? undefined : processes().map((p) => ({ command: p.command, url: p.health, env: p.env, timeout: 30_000 })),
});
