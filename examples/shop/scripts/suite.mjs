#!/usr/bin/env node
// The shop's workflow suite: starts the shop once (the queue, the seven sandboxes, the API, the
// worker and the web front end), runs the Vitest part (tests/api) and the Playwright part
// (tests/browser) against it, stops it, and exits 0 when every test passed.
//
// Run it under `tracecheck run --report DIR` (scripts/main.mjs does): the shop then exports to that
// receiver, the tests use it (TRACECHECK_URL), and the report has every run. Alone, it starts a
// receiver of its own.
//   SHOP_SKIP_BROWSER=1  run the Vitest part only
// The browser is Debian's Chromium when /usr/bin/chromium exists (CHROMIUM_PATH to choose another),
// else Playwright's own (`npx playwright install chromium` in examples/shop).
import { freePortsEnv, receiverEnv, startStack } from '../stack.mjs';
import { startReceiver } from './receiver.mjs';
import { runTests } from './run-tests.mjs';

const started = Date.now();
const receiver = process.env.TRACECHECK_URL ? { url: process.env.TRACECHECK_URL, stop: async () => undefined } : await startReceiver();
// Free ports, so that the suite runs beside anything else (another copy of it included).
const env = { ...receiverEnv(receiver.url), ...(await freePortsEnv()) };
const browser = process.env.SHOP_SKIP_BROWSER !== '1';

console.log('shop: starting the queue, 7 sandboxes (payments, email, crm, warehouse, notifier, analytics, flags), api, worker and web');
let stack;
try {
  stack = await startStack({ env });
} catch (err) {
  console.error(`shop: the stack did not start: ${err.message}`);
  await receiver.stop();
  process.exit(1);
}
console.log(`shop: up in ${((Date.now() - started) / 1000).toFixed(1)}s; web ${stack.urls.web}, api ${stack.urls.api}\n`);

const results = [];
try {
  console.log('shop: the API workflows, with Vitest (tests/api)');
  results.push({ runner: 'Vitest', ...(await runTests('vitest', { env })) });
  if (browser) {
    console.log('\nshop: the browser workflows, with Playwright (tests/browser)');
    results.push({ runner: 'Playwright', ...(await runTests('playwright', { env: { ...env, SHOP_KEEP_RUNS: '1' } })) });
  } else {
    console.log('\nshop: the browser workflows were skipped (SHOP_SKIP_BROWSER=1)');
  }
} finally {
  await stack.stop();
  await receiver.stop();
}

const count = (r, status) => r.tests.filter((t) => t.status === status).length;
const line = results.map((r) => `${r.runner} ${count(r, 'passed')} passed${count(r, 'failed') ? `, ${count(r, 'failed')} failed` : ''}${r.code !== 0 && count(r, 'failed') === 0 ? ` (exit code ${r.code})` : ''}`).join('; ');
const ok = results.every((r) => r.code === 0);
console.log(`\nshop: ${line}, in ${((Date.now() - started) / 1000).toFixed(1)}s`);
process.exitCode = ok ? 0 : 1;
