import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TracecheckClient } from '@tracecheck/client';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { describe, expect, it } from 'vitest';
import setup, { receiverEnv } from './global-setup.js';
import type { ProvidedRun, ResolvedOptions } from './options.js';
import { globalSetupPath, setupPath, tracecheck } from './plugin.js';

type ConfigHook = (config: object) => { test: Record<string, unknown> };

describe('the plugin', () => {
  it('adds the global setup and the setup file, hands the options over, and raises the test timeout', () => {
    const plugin = tracecheck({ timeout: '8s', settle: '100ms', services: [{ command: 'node api.js', port: 3000 }] });
    const out = (plugin.config as ConfigHook)({});
    expect(out.test).toMatchObject({ globalSetup: [globalSetupPath], setupFiles: [setupPath], testTimeout: 13_000 });
    const provided = (out.test.provide as { tracecheckConfig: ResolvedOptions }).tracecheckConfig;
    expect(provided).toMatchObject({ defaults: { timeoutMs: 8000, settleMs: 100 }, services: [{ command: 'node api.js', port: 3000 }], testTimeout: 13_000 });
    expect(existsSync(globalSetupPath) && existsSync(setupPath)).toBe(true);
  });

  it('keeps a test timeout the config sets', () => {
    const out = (tracecheck().config as ConfigHook)({ test: { testTimeout: 60_000 } });
    expect(out.test.testTimeout).toBeUndefined();
    expect((out.test.provide as { tracecheckConfig: ResolvedOptions }).tracecheckConfig.testTimeout).toBe(60_000);
  });

  it('refuses bad options when the config is read', () => {
    expect(() => tracecheck({ timeout: 'soon' })).toThrow(/tracecheck: timeout must be a duration/);
  });
});

/** A stand-in for Vitest's TestProject: what the global setup uses of it. */
function project(config: ResolvedOptions | undefined, root: string) {
  const provided: Record<string, unknown> = {};
  return {
    provided,
    config: { root },
    getProvidedContext: () => ({ ...(config === undefined ? {} : { tracecheckConfig: config }) }),
    provide: (key: string, value: unknown) => (provided[key] = value),
  };
}

describe('the global setup', () => {
  it('embeds a receiver, starts the services pointed at it, serves their logs, and stops everything', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tracecheck-global-setup-'));
    writeFileSync(join(root, 'svc.mjs'), `console.log('endpoint=' + process.env.OTEL_EXPORTER_OTLP_ENDPOINT + ' url=' + process.env.TRACECHECK_URL + ' delay=' + process.env.TRACECHECK_EXPORT_DELAY); setInterval(() => {}, 1000);\n`);
    const plugin = tracecheck({ timeout: '3s', services: [{ name: 'svc', command: 'node svc.mjs' }] });
    const config = ((plugin.config as ConfigHook)({}).test.provide as { tracecheckConfig: ResolvedOptions }).tracecheckConfig;
    const p = project(config, root);
    const teardown = await setup(p as never);
    const run = p.provided.tracecheck as ProvidedRun;
    try {
      expect(run).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), defaults: { timeoutMs: 3000 }, keepRuns: false, annotate: true, testTimeout: 8000 });
      expect(await new TracecheckClient({ url: run.url }).runs()).toEqual([]);
      await new Promise((r) => setTimeout(r, 300));
      const res = await fetch(`${run.logs!.url}/logs?since=0`, { headers: { authorization: `Bearer ${run.logs!.token}` } });
      const body = (await res.json()) as { services: { name: string; text: string }[] };
      expect(body.services[0]!.text).toBe(`endpoint=${run.url} url=${run.url} delay=0\n`);
      expect((await fetch(`${run.logs!.url}/logs`)).status).toBe(401);
    } finally {
      await teardown();
    }
    await expect(fetch(`${run.url}/api/runs`)).rejects.toThrow();
  });

  it('uses TRACECHECK_URL (tracecheck run) instead of embedding one, and keeps runs; listed by hand it needs no options', async () => {
    const receiver: Receiver = await startReceiver({ httpPort: 0, grpcPort: false });
    const before = process.env.TRACECHECK_URL;
    process.env.TRACECHECK_URL = receiver.httpUrl;
    try {
      const p = project(undefined, tmpdir());
      const teardown = await setup(p as never);
      expect(p.provided.tracecheck).toEqual({ url: receiver.httpUrl, defaults: { timeoutMs: 10_000 }, keepRuns: true, annotate: true });
      await teardown();
      // Not ours to stop.
      expect((await fetch(`${receiver.httpUrl}/api/runs`)).status).toBe(200);
    } finally {
      if (before === undefined) delete process.env.TRACECHECK_URL;
      else process.env.TRACECHECK_URL = before;
      await receiver.stop();
    }
  });

  it('a service that cannot start stops what was started and fails the run with its output', async () => {
    const config = ((tracecheck({ services: [{ name: 'ok', command: 'node -e "setInterval(() => {}, 1000)"' }, { name: 'broken', command: 'node -e "console.error(42); process.exit(2)"', port: 9 }] }).config as ConfigHook)({}).test.provide as { tracecheckConfig: ResolvedOptions }).tracecheckConfig;
    const p = project(config, tmpdir());
    await expect(setup(p as never)).rejects.toThrow(/service "broken" exited with code 2 before it was ready[\s\S]*Its output:\n {2}42/);
    expect(p.provided.tracecheck).toBeUndefined();
  });
});

describe('the services’ environment', () => {
  it('points OpenTelemetry at the receiver, promptly, with the token', () => {
    expect(receiverEnv('http://127.0.0.1:4318', 's3cret', undefined, {})).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '20',
      TRACECHECK_EXPORT_DELAY: '0',
      TRACECHECK_URL: 'http://127.0.0.1:4318',
      TRACECHECK_TOKEN: 's3cret',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20s3cret',
    });
    expect(receiverEnv('http://127.0.0.1:4318', undefined, { grpcAddress: '127.0.0.1:4317' } as Receiver, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_BSP_SCHEDULE_DELAY: '5' })).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_BSP_SCHEDULE_DELAY: '5',
    });
  });
});
