import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runHeaders, TracecheckClient } from '@tracecheck/client';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { runCli } from './support/cli.js';
import { killAll, type ServiceProcess, startNodeProcess } from './support/sdk-services.js';

// Trustworthy deciding with real processes: an API and a worker that polls its queues every second,
// both on @tracecheck/sdk, and an uninstrumented provider sandbox. Each in-flight reason keeps a
// settling check from passing in the quiet gap where the old rule (quiet window only) passed it.

const dir = fileURLToPath(new URL('../examples/inflight/', import.meta.url));

describe('in-flight work keeps checks honest (real processes)', () => {
  let receiver: Receiver;
  let client: TracecheckClient;
  let sink: ServiceProcess | undefined;
  let api: ServiceProcess | undefined;
  let worker: ServiceProcess | undefined;
  let apiUrl = '';

  const post = async (path: string, runId: string): Promise<void> => {
    const res = await fetch(apiUrl + path, { method: 'POST', headers: { baggage: `test.run.id=${runId}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.ok).toBe(true);
  };

  beforeAll(async () => {
    buildWorkspace();
    receiver = await startReceiver({ httpPort: 0, grpcPort: false });
    client = new TracecheckClient({ url: receiver.httpUrl });
    sink = await startNodeProcess(process.execPath, dir, 'sink.mjs', {}, { register: false });
    const sinkUrl = `http://127.0.0.1:${sink.port}`;
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, TRACECHECK_EXPORT_DELAY: '0', SINK_URL: sinkUrl };
    api = await startNodeProcess(process.execPath, dir, 'api.mjs', { ...otel, OTEL_SERVICE_NAME: 'api' });
    apiUrl = `http://127.0.0.1:${api.port}`;
    worker = await startNodeProcess(process.execPath, dir, 'worker.mjs', { ...otel, OTEL_SERVICE_NAME: 'worker', API_URL: apiUrl, POLL_MS: '1000', RETRY_AFTER_MS: '2000' });
  }, 120_000);

  afterAll(async () => {
    killAll([sink, api, worker]);
    await receiver?.stop();
  });

  it('a retry after a 2 s backoff inside an open job span makes `exactly 1` fail, not pass', async () => {
    await post('/orders/1/complete', 'if-retry');
    const v = await client.check('if-retry', 'exactly 1 "fulfillment.webhook.send"', { timeoutMs: 10_000 });
    expect(v).toMatchObject({ pass: false, reason: 'hopeless' });
    expect(v.message).toContain('Received: 2 matching spans');
    // It held after the first webhook and waited for the job (open, then its parent) instead of passing.
    expect(v.waitedMs).toBeGreaterThan(1500);
  }, 20_000);

  it('without the in-flight rule the same flow passes falsely, and closing the run overturns it', async () => {
    await post('/orders/2/complete', 'if-retry-off');
    const v = await client.check('if-retry-off', 'exactly 1 "fulfillment.webhook.send"', { timeoutMs: 10_000, parentCapMs: 0, consumerCapMs: 0, openCapMs: 0 });
    expect(v).toMatchObject({ pass: true, reason: 'settled' });
    await new Promise((r) => setTimeout(r, 2500));
    const closed = await client.closeRun('if-retry-off');
    expect(closed.overturned).toHaveLength(1);
    expect(closed.overturned[0]!.message).toMatch(/OVERTURNED at the end of run if-retry-off: exactly 1 "fulfillment.webhook.send"/);
    expect(closed.overturned[0]!.message).toMatch(/overturned by a span that ended at \+[\d.]+s:\n {2}fulfillment\.webhook\.send \(svc worker\)/);
  }, 20_000);

  it('a 1 s polling worker keeps `no "email.send"` from passing before the job ran', async () => {
    await post('/signup', 'if-email-no');
    const v = await client.check('if-email-no', 'no "email.send"', { timeoutMs: 10_000 });
    expect(v).toMatchObject({ pass: false, reason: 'hopeless' });
  }, 20_000);

  it('and `exactly 1 "email.send"` passes after the consumer has run', async () => {
    await post('/signup', 'if-email-one');
    const v = await client.check('if-email-one', 'exactly 1 "email.send"', { timeoutMs: 10_000 });
    expect(v).toMatchObject({ pass: true, reason: 'settled' });
    // Whatever it waited for (the consumer span, its parent) arrived: nothing was cut short by a cap.
    expect(v.waitedFor.every((w) => w.outcome === 'arrived')).toBe(true);
  }, 20_000);

  it('`at most 1 "email.send"` holds from the start, and waits for the queued job, saying so', async () => {
    await post('/signup', 'if-email-atmost');
    const v = await client.check('if-email-atmost', 'at most 1 "email.send"', { timeoutMs: 10_000 });
    expect(v).toMatchObject({ pass: true, reason: 'settled' });
    expect(v.waitedFor).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'consumer', outcome: 'arrived', description: 'the consumer of `send email-jobs` (svc api)' })]));
    expect(v.message).toMatch(/Waited for work in flight:\n {2}the consumer of `send email-jobs` \(svc api\): arrived after \d+/);
    expect(v.message).toContain('Received: 1 matching span');
  }, 20_000);

  it('a producer with no instrumented consumer still decides within the cap, and says so', async () => {
    await post('/events', 'if-nocons');
    const v = await client.check('if-nocons', 'no "email.send"', { timeoutMs: 10_000, consumerCapMs: 1500 });
    expect(v).toMatchObject({ pass: true, reason: 'settled' });
    expect(v.waitedMs).toBeGreaterThan(1000);
    expect(v.waitedMs).toBeLessThan(5000);
    expect(v.message).toMatch(/the consumer of `send analytics-events` \(svc api\): gave up after [\d.]+m?s at its cap \(1\.5s; raise it with --consumer-cap/);
  }, 20_000);

  it('a background span the SDK reports open holds `no` until its webhook arrives', async () => {
    await post('/orders/4/ship-later', 'if-open');
    const v = await client.check('if-open', 'no "fulfillment.webhook.send"', { timeoutMs: 10_000 });
    expect(v).toMatchObject({ pass: false, reason: 'hopeless' });
    expect(v.waitedMs).toBeGreaterThan(1000);
    // Only the open-span report can see that work: without it, the check passes falsely.
    await post('/orders/5/ship-later', 'if-open-off');
    const off = await client.check('if-open-off', 'no "fulfillment.webhook.send"', { timeoutMs: 10_000, openCapMs: 0 });
    expect(off).toMatchObject({ pass: true, reason: 'settled' });
  }, 20_000);

  it('the parent a test invents (runHeaders: traceparent + tracestate) is not waited for', async () => {
    const res = await fetch(`${apiUrl}/orders/6/ship`, { method: 'POST', headers: { ...runHeaders('if-headers') } });
    expect(res.ok).toBe(true);
    const v = await client.check('if-headers', 'exactly 1 "fulfillment.webhook.send"', { timeoutMs: 10_000, settleMs: 300 });
    expect(v).toMatchObject({ pass: true, reason: 'settled', waitedFor: [] });
    expect(v.waitedMs).toBeLessThan(1500);
    // The same invented parent without the tracestate entry is waited for, up to the parent cap.
    const bare = runHeaders('if-headers-bare');
    const res2 = await fetch(`${apiUrl}/orders/7/ship`, { method: 'POST', headers: { baggage: bare.baggage, traceparent: bare.traceparent } });
    expect(res2.ok).toBe(true);
    const v2 = await client.check('if-headers-bare', 'exactly 1 "fulfillment.webhook.send"', { timeoutMs: 10_000, settleMs: 300, parentCapMs: 1000 });
    expect(v2).toMatchObject({ pass: true, reason: 'settled', waitedFor: [expect.objectContaining({ kind: 'parent', outcome: 'cap' })] });
  }, 20_000);

  it('a run with nothing in flight settles in the settle window', async () => {
    await post('/orders/3/ship', 'if-quiet');
    const v = await client.check('if-quiet', 'exactly 1 "fulfillment.webhook.send"', { timeoutMs: 10_000, settleMs: 300 });
    expect(v).toMatchObject({ pass: true, reason: 'settled', waitedFor: [] });
    expect(v.waitedMs).toBeLessThan(1500);
  }, 20_000);
});

describe('re-verification at the end of `tracecheck run` (real processes)', () => {
  beforeAll(() => buildWorkspace(), 120_000);

  it('a late duplicate no signal could foresee overturns a passed check: exit 1, the flip in the report', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'tracecheck-overturn-'));
    const r = await runCli(['run', '--report', reportDir, '--', process.execPath, join(dir, 'late-duplicate-suite.mjs')], { RUN_ID: 'late-1' });
    expect(r.stdout).toMatch(/check: passed \(settled, \d+ ms\)/);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('✘ OVERTURNED at the end of run late-1: exactly 1 "fulfillment.webhook.send"');
    expect(r.stderr).toContain('How to fix: nothing in the run showed this work still coming');
    expect(r.stderr).toMatch(/tracecheck run: 1 check that had passed was overturned at the end of the run/);
    expect(r.stderr).toMatch(/report in .* \(1 run, 1 check, 1 failed \(1 overturned\)\)/);
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ exitCode: 1, commandExitCode: 0, checks: { total: 1, failed: 1, overturned: 1 } });
    const [check] = report.checks.list;
    expect(check).toMatchObject({ run: 'late-1', pass: true, reason: 'settled', overturned: { by: { name: 'fulfillment.webhook.send' } } });
    expect(check.overturned.summary).toMatch(/^passed at \+0\.\ds, overturned by `fulfillment\.webhook\.send` \(span [0-9a-f]{16}\) at \+1\.\ds$/);
  }, 60_000);

  it('the same suite without the late duplicate exits 0 with nothing overturned', async () => {
    const r = await runCli(['run', '--', process.execPath, join(dir, 'late-duplicate-suite.mjs')], { RUN_ID: 'late-2', LATE_DUPLICATE_MS: '0', SUITE_REST_MS: '100' });
    expect(r.stdout).toMatch(/check: passed/);
    expect(r.stderr).not.toContain('OVERTURNED');
    expect(r.code).toBe(0);
  }, 60_000);
});
