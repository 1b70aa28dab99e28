#!/usr/bin/env node
// The README's main job (`npm run shop`, run by `npm run setup`): the shop's workflow suite under
// `tracecheck run --report`, which re-verifies every check that passed by settling when the suite
// ends, then the summary and where the HTML report is.
//   node examples/shop/scripts/main.mjs [REPORT_DIR]   (default examples/shop/tracecheck-report)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { SHOP_DIR } from '../stack.mjs';
import { tracecheckBin } from './receiver.mjs';

const dir = resolve(process.argv[2] ?? `${SHOP_DIR}tracecheck-report`);
rmSync(dir, { recursive: true, force: true });
const started = Date.now();
const code = await new Promise((done) => {
  const child = spawn(process.execPath, [tracecheckBin, 'run', '--report', dir, '--', process.execPath, `${SHOP_DIR}scripts/suite.mjs`], { stdio: 'inherit' });
  child.on('exit', (c, signal) => done(c ?? (signal ? 128 : 1)));
});

if (existsSync(`${dir}/report.json`)) {
  const report = JSON.parse(readFileSync(`${dir}/report.json`, 'utf8'));
  const { total, failed, overturned } = report.checks;
  console.log('');
  console.log(`tracecheck: ${total - failed} of ${total} checks held on ${report.runs.length} runs (${failed} failed, ${overturned} overturned when re-verified at the end)`);
  console.log(`HTML report: ${dir}/index.html`);
}
console.log(code === 0 ? `shop: all green in ${((Date.now() - started) / 1000).toFixed(0)}s` : `shop: FAILED (exit code ${code})`);
process.exitCode = code;
