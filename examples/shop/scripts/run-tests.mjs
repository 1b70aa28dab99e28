// Runs the shop's Vitest and Playwright tests as child processes, against a stack that is already up
// (SHOP_STACK=running), with the JSON reporters beside the usual ones so the caller can count results.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SHOP_DIR } from '../stack.mjs';

const require = createRequire(join(SHOP_DIR, 'package.json'));
const vitestBin = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const playwrightBin = join(dirname(require.resolve('@playwright/test/package.json')), 'cli.js');

/**
 * Runs `runner` ('vitest' | 'playwright') on `files` (default: all of its tests) with `env`, its
 * output piped through `onOutput` (default: this process's stdout/stderr). Resolves with
 * `{ code, tests: [{ file, title, status, message }] }`.
 */
export function runTests(runner, { files = [], env = {}, onOutput, reporter } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `shop-${runner}-`));
  const json = join(dir, 'results.json');
  const args =
    runner === 'vitest'
      ? [vitestBin, 'run', ...files, `--reporter=${reporter ?? 'default'}`, '--reporter=json', `--outputFile.json=${json}`]
      : [playwrightBin, 'test', ...files, `--reporter=${reporter ?? (process.env.CI ? 'line' : 'list')},json`, '--output', join(dir, 'test-results')];
  const child = spawn(process.execPath, args, {
    cwd: SHOP_DIR,
    env: { ...process.env, ...colours(), SHOP_STACK: 'running', PLAYWRIGHT_JSON_OUTPUT_FILE: json, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Vitest says where its JSON report went: a temporary file, not worth a line of the output.
  const pass = (write) => (d) => {
    const text = String(d).replace(/^JSON report written to .*\n/m, '');
    if (text !== '') (onOutput ?? write)(text);
  };
  child.stdout.on('data', pass((t) => process.stdout.write(t)));
  child.stderr.on('data', pass((t) => process.stderr.write(t)));
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      let tests = [];
      try {
        const report = JSON.parse(readFileSync(json, 'utf8'));
        tests = runner === 'vitest' ? vitestTests(report) : playwrightTests(report.suites ?? []);
      } catch {
        // No report: the runner failed before running tests; the code and output say why.
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: code ?? 128, signal, tests });
    });
  });
}

/** The runners write to a pipe: colours when ours is a terminal, none in a log (unless the caller says). */
function colours() {
  if (process.env.FORCE_COLOR !== undefined || process.env.NO_COLOR !== undefined) return {};
  return process.stdout.isTTY ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' };
}

const plain = (text) => String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '');

function vitestTests(report) {
  return report.testResults.flatMap((file) =>
    file.assertionResults.map((t) => ({ file: file.name.slice(SHOP_DIR.length), title: t.title, status: t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped', message: plain(t.failureMessages?.join('\n')) })),
  );
}

function playwrightTests(suites) {
  return suites.flatMap((s) => [
    ...s.specs.map((spec) => {
      const result = spec.tests[0]?.results.at(-1);
      const status = result === undefined ? 'skipped' : result.status === 'passed' ? 'passed' : result.status === 'skipped' ? 'skipped' : 'failed';
      return { file: `tests/browser/${spec.file}`, title: spec.title, status, message: plain(result?.errors?.map((e) => e.message).join('\n')) };
    }),
    ...playwrightTests(s.suites ?? []),
  ]);
}
