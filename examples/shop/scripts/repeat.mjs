#!/usr/bin/env node
// Runs the shop's workflow suite N times in a row, as the main job runs it (scripts/main.mjs: the
// suite under `tracecheck run --report`), to show it does not flake: one line per run with its
// verdict and time, then the times' spread. Exits 1 if any run failed, after printing its output.
//   node scripts/repeat.mjs [N=20]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHOP_DIR } from '../stack.mjs';

const n = Number(process.argv[2] ?? 20);
const times = [];
const failures = [];

for (let i = 1; i <= n; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'shop-repeat-'));
  const started = Date.now();
  let output = '';
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [`${SHOP_DIR}scripts/main.mjs`, join(dir, 'report')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const seconds = (Date.now() - started) / 1000;
  times.push(seconds);
  let detail = '';
  try {
    const report = JSON.parse(readFileSync(join(dir, 'report', 'report.json'), 'utf8'));
    detail = `${report.checks.total - report.checks.failed} of ${report.checks.total} checks held, ${report.checks.overturned} overturned`;
  } catch {
    detail = 'no report';
  }
  const tests = /^shop: (Vitest .*), in [\d.]+s$/m.exec(output)?.[1] ?? '';
  console.log(`run ${String(i).padStart(2)}/${n}: ${code === 0 ? 'passed' : `FAILED (exit code ${code})`} in ${seconds.toFixed(1)}s  ${tests}; ${detail}`);
  if (code !== 0) failures.push({ i, output });
  rmSync(dir, { recursive: true, force: true });
}

const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor((sorted.length - 1) / 2)];
console.log(`\n${n - failures.length} of ${n} runs passed; per run: min ${sorted[0].toFixed(1)}s, median ${median.toFixed(1)}s, max ${sorted.at(-1).toFixed(1)}s; ${times.reduce((a, b) => a + b, 0).toFixed(0)}s in all`);
for (const f of failures) console.log(`\n--- run ${f.i} ---\n${f.output}`);
process.exitCode = failures.length === 0 ? 0 : 1;
