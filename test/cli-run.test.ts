import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace, cliPath } from './support/build.js';
import { runCli } from './support/cli.js';

// `tracecheck run` as a real process around a real instrumented process (the demo's refund flow).

const flow = fileURLToPath(new URL('../examples/demo/refund-flow.mjs', import.meta.url));
const node = JSON.stringify(process.execPath);

describe('tracecheck run', () => {
  beforeAll(() => buildWorkspace(), 120_000);

  it('points the command at its receiver, exits with its code, and writes the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracecheck-run-'));
    const script = [
      `${node} ${JSON.stringify(flow)}`,
      `${node} ${JSON.stringify(cliPath)} check --run run-1 --settle 100ms 'some "refund.requested"' 'exactly 1 "warehouse.webhook"'`,
      'exit 0',
    ].join('; ');
    const r = await runCli(['run', '--report', dir, '--', 'sh', '-c', script], { TRACECHECK_RUN_ID: 'run-1' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/refund flow done \(run run-1\)/);
    expect(r.stdout).toMatch(/1 of 2 checks passed/);
    // The failed check's trace tree names the SDK's HTTP client spans by method, peer and path.
    expect(r.stdout).toMatch(/\n {8}POST → 127\.0\.0\.1:\d+\/hooks\/refund \(svc refund-service\) [\d.]+m?s\n/);
    expect(r.stderr).toMatch(/report in .* \(1 run, 2 checks, 1 failed\)/);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ command: ['sh', '-c', script], exitCode: 0, runs: [{ id: 'run-1', spans: 10, traces: 1, file: 'runs/run-1.json' }] });
    expect(report.checks.total).toBe(2);
    expect(report.checks.list.map((c: { assertion: string; pass: boolean }) => [c.assertion, c.pass])).toEqual(
      expect.arrayContaining([
        ['some "refund.requested"', true],
        ['exactly 1 "warehouse.webhook"', false],
      ]),
    );
    const spans = JSON.parse(readFileSync(join(dir, 'runs', 'run-1.json'), 'utf8'));
    // Four effects, each with the HTTP call the SDK's fetch instrumentation traced under it.
    expect(spans.spans.map((s: { name: string }) => s.name).sort()).toEqual(
      ['POST', 'POST', 'POST', 'POST', 'POST /refunds', 'email.send', 'refund.requested', 'stripe.refund.create', 'warehouse.webhook', 'warehouse.webhook'],
    );
  });

  it('passes the environment and exits with the command code', async () => {
    const r = await runCli(['run', '--', process.execPath, '-e', 'console.log(JSON.stringify(process.env)); process.exit(7)']);
    expect(r.code).toBe(7);
    const env = JSON.parse(r.stdout);
    expect(env.TRACECHECK_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(env.TRACECHECK_URL);
    expect(env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('http/protobuf');
    expect(env.OTEL_BSP_SCHEDULE_DELAY).toBe('20');
    expect(env.TRACECHECK_EXPORT_DELAY).toBe('0');
  });

  it('passes SIGTERM on to the command and reports 128+15', async () => {
    const child = spawn(process.execPath, [cliPath, 'run', '--', process.execPath, '-e', 'console.log("up"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => String(d).includes('up') && resolve()));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(143);
  });

  it('exits 2 when the command cannot start or is missing', async () => {
    const missing = await runCli(['run', '--', 'no-such-command-xyz']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot start no-such-command-xyz/);
    expect((await runCli(['run'])).code).toBe(2);
  });
});
