import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAULTS } from '../examples/shop/faults.mjs';
import { buildWorkspace } from './support/build.js';

// The fault drill of examples/shop (`npm run drill`), run as its own process, as a person runs it:
// for each of the eight incidents a copy of the shop runs with SHOP_FAULT=<name>, the workflow's
// ordinary UI/HTTP test must still pass and its tracecheck test must fail naming the broken effect,
// and the suite without faults must be green. Real processes throughout: the queue, the sandboxes,
// the instrumented services, Vitest, Playwright in Debian's Chromium, a tracecheck receiver.

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('..', import.meta.url));

/** The caller's environment without its receiver, test runner or OpenTelemetry settings. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|TRACECHECK_|OTEL_|PLAYWRIGHT_|SHOP_|TEST_WORKER_INDEX|TEST_PARALLEL_INDEX)/.test(k) || k === 'TEST' || k === 'NODE_ENV') continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0' };
}

describe.skipIf(!existsSync(CHROMIUM))('the fault drill of examples/shop (npm run drill)', () => {
  let code: number | null = null;
  let stdout = '';
  let stderr = '';
  let ms = 0;

  beforeAll(async () => {
    buildWorkspace();
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, ['examples/shop/scripts/drill.mjs'], { cwd: root, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGTERM'), 280_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        code = c;
        resolve();
      });
    });
    ms = Date.now() - started;
  }, 300_000);

  it('catches all 8 faults, every ordinary test passes under its fault, the suite without faults is green: exit code 0', () => {
    expect(stdout, stderr).toMatch(/^8 of 8 faults caught$/m);
    expect(stdout).toMatch(/^the suite without faults: green \(16 tests\); every UI\/HTTP-level test passed under its fault; /m);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    // Bounded: the drill is part of the suite (about 1.5 min on two cores).
    expect(ms).toBeLessThan(280_000);
  });

  it('prints a row per fault: the ordinary test passed, tracecheck failed with a message naming the broken effect', () => {
    const rows = stdout.split('\n').filter((l) => FAULTS.some((f) => l.includes(`  ${f.name}  `)));
    expect(rows).toHaveLength(8);
    for (const f of FAULTS) {
      const row = rows.find((l) => l.includes(`  ${f.name}  `))!;
      expect(row.startsWith(f.workflow), row).toBe(true);
      expect(row, row).toMatch(new RegExp(`  ${f.name} +passed +failed: caught +✘ .*"${f.effect.replace(/\./g, '\\.')}"`));
    }
  });
});

describe("README.md's drill table", () => {
  it('is a run of this drill: a row per fault, each ordinary test passed and each fault caught', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    expect(readme).toMatch(/^8 of 8 faults caught$/m);
    for (const f of FAULTS) expect(readme, f.name).toMatch(new RegExp(`^${f.workflow} +${f.name} +passed +failed: caught +✘ `, 'm'));
  });
});
