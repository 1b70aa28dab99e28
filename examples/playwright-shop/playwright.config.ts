import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { type TracecheckOptionFixtures, tracecheckReceiver } from '@tracecheck/playwright';
import { urls } from './urls.js';

// First, before the config below is built: start a receiver in Playwright's main process (or reuse
// TRACECHECK_URL, as under `tracecheck run` and in the worker processes, which read this file too)
// and point TRACECHECK_URL and OTEL_EXPORTER_OTLP_ENDPOINT at it. Playwright starts the webServer
// commands before globalSetup, with this process's environment, so they export to it.
await tracecheckReceiver();

const { web, api, provider, pixel } = urls;
// Debian's Chromium when installed (this repository's CI); Playwright's own browser otherwise.
const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig<TracecheckOptionFixtures>({
  testDir: './tests',
  // The effect-snapshot spec runs when asked (SHOP_SNAPSHOTS=1), with its snapshots where the caller says.
  testIgnore: process.env.SHOP_SNAPSHOTS === '1' ? [] : ['**/effects.spec.ts'],
  ...(process.env.SHOP_SNAPSHOT_DIR ? { snapshotPathTemplate: `${process.env.SHOP_SNAPSHOT_DIR}/{arg}{ext}` } : {}),
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: web,
    // The run's baggage and trace context go to our front end and API, never to the pixel's origin.
    // SHOP_KEEP_RUNS=1 (under `tracecheck run --report`) keeps the runs, so the report shows their spans.
    tracecheck: { propagateTo: [web, api], keepRuns: process.env.SHOP_KEEP_RUNS === '1' },
    launchOptions: { ...(chromium ? { executablePath: chromium } : {}), args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] },
  },
  webServer: [
    { command: 'node provider.mjs', url: `${provider}/health`, env: { PORT: new URL(provider).port }, timeout: 30_000 },
    { command: 'node pixel.mjs', url: `${pixel}/health`, env: { PORT: new URL(pixel).port }, timeout: 30_000 },
    {
      command: 'node --import @tracecheck/sdk/register api.mjs',
      url: `${api}/health`,
      env: { PORT: new URL(api).port, OTEL_SERVICE_NAME: 'api', PROVIDER_URL: provider, WEB_ORIGIN: web, SHOP_FAULT: process.env.SHOP_FAULT ?? '' },
      timeout: 30_000,
    },
    {
      command: 'node --import @tracecheck/sdk/register web.mjs',
      url: `${web}/health`,
      env: { PORT: new URL(web).port, OTEL_SERVICE_NAME: 'web', API_URL: api, PIXEL_URL: pixel },
      timeout: 30_000,
    },
  ],
});
