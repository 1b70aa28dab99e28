import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestRun, TracecheckClient } from '@tracecheck/client';
import { effectSnapshot } from '@tracecheck/lang';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { runCli } from './support/cli.js';
import { killAll, type ServiceProcess, startNodeProcess } from './support/sdk-services.js';

// Effect snapshots of a real checkout flow (an API making three effects at once, a worker sending a
// queued email), and the drift each refactoring fault causes, through `tracecheck snapshot`.

const dir = fileURLToPath(new URL('../examples/inflight/', import.meta.url));
const PIN = ['currency'];

describe('effect snapshots (real processes)', () => {
  let receiver: Receiver;
  let client: TracecheckClient;
  let sink: ServiceProcess | undefined;
  const apis = new Map<string, ServiceProcess>();
  const workers: ServiceProcess[] = [];
  const env = (): NodeJS.ProcessEnv => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, TRACECHECK_EXPORT_DELAY: '0', SINK_URL: `http://127.0.0.1:${sink!.port}` });

  /** The API with a fault switched on ('' for none), and a worker polling its queues; started once per fault. */
  async function api(fault: string): Promise<string> {
    let p = apis.get(fault);
    if (p === undefined) {
      p = await startNodeProcess(process.execPath, dir, 'api.mjs', { ...env(), OTEL_SERVICE_NAME: 'api', SNAPSHOT_FAULT: fault });
      apis.set(fault, p);
      workers.push(await startNodeProcess(process.execPath, dir, 'worker.mjs', { ...env(), OTEL_SERVICE_NAME: 'worker', API_URL: `http://127.0.0.1:${p.port}`, POLL_MS: '100' }));
    }
    return `http://127.0.0.1:${p.port}`;
  }

  /** One checkout under a fresh run; the run is closed (settled) before it is returned. */
  async function checkout(fault = ''): Promise<TestRun> {
    const run = new TestRun(client);
    const res = await run.fetch(`${await api(fault)}/orders/${Math.floor(Math.random() * 1e6)}/checkout`, { method: 'POST' });
    expect(res.status).toBe(200);
    await run.close();
    return run;
  }

  beforeAll(async () => {
    buildWorkspace();
    receiver = await startReceiver({ httpPort: 0, grpcPort: false });
    client = new TracecheckClient({ url: receiver.httpUrl });
    sink = await startNodeProcess(process.execPath, dir, 'sink.mjs', {}, { register: false });
    await api('');
  }, 120_000);

  afterAll(async () => {
    killAll([sink, ...workers, ...apis.values()]);
    await receiver?.stop();
  });

  it('a flow with concurrent effects gives byte-identical snapshots 20 times in a row, with no secret in them', async () => {
    const texts: string[] = [];
    for (let i = 0; i < 20; i++) texts.push(effectSnapshot(await (await checkout()).spans(), { pin: PIN }));
    expect(new Set(texts).size).toBe(1);
    const text = texts[0]!;
    expect(text).toMatch(/^crm\.lead\.create \(svc api\) ×1\n {2}call: POST 127\.0\.0\.1\/crm\/leads → 202\n {2}payload:\n {4}api_token: string\n/m);
    expect(text).toContain('fulfillment.webhook.send (svc api) ×1');
    expect(text).toContain('    currency: "EUR"');
    expect(text).toContain('email.send (svc worker) ×1');
    expect(text).toContain('send email-jobs (svc api) → email.send (svc worker)');
    // The CRM token was masked by the SDK before export; pinning it would still not show it.
    const pinned = effectSnapshot(await (await checkout()).spans(), { pin: [...PIN, 'api_token'] });
    expect(pinned).toContain('    api_token: <redacted>');
    expect(pinned).not.toMatch(/tok_\d+_secret/);
  }, 120_000);

  it('`tracecheck snapshot` writes one, and --compare shows each fault as a review would', async () => {
    const work = mkdtempSync(join(tmpdir(), 'tracecheck-snapshot-'));
    const stored = join(work, 'checkout.snap');
    const base = await checkout();
    const written = await runCli(['snapshot', '--url', receiver.httpUrl, '--run', base.id, '--pin', 'currency', '--out', stored]);
    expect(written).toMatchObject({ code: 0, stderr: `tracecheck snapshot: wrote ${stored}\n` });
    expect(readFileSync(stored, 'utf8')).toMatch(/^# tracecheck effect snapshot\n/);

    const same = await runCli(['snapshot', '--url', receiver.httpUrl, '--run', (await checkout()).id, '--pin', 'currency', '--compare', stored]);
    expect(same).toMatchObject({ code: 0, stdout: `effect snapshot matches ${stored}\n` });

    const cases: [string, string][] = [
      ['rename', 'fulfillment.webhook.send (svc api) payload: - order_id: string  + orderId: string'],
      ['duplicate', 'fulfillment.webhook.send (svc api): 1 → 2'],
      ['drop', '- fulfillment.webhook.send (svc api) ×1 (no longer made)'],
      ['usd', 'fulfillment.webhook.send (svc api) payload: - currency: "EUR"  + currency: "USD"'],
    ];
    for (const [fault, line] of cases) {
      const run = await checkout(fault);
      const r = await runCli(['snapshot', '--url', receiver.httpUrl, '--run', run.id, '--pin', 'currency', '--compare', stored]);
      expect(r.code, `${fault}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stdout.split('\n')).toContain(`  ${line}`);
      expect(r.stdout.startsWith(`effect snapshot differs from ${stored}:\n`)).toBe(true);
    }

    // A file that is not a snapshot, and one that does not exist, are usage problems (exit 2).
    writeFileSync(join(work, 'bad.snap'), 'hello\n');
    const bad = await runCli(['snapshot', '--url', receiver.httpUrl, '--run', base.id, '--compare', join(work, 'bad.snap')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not an effect snapshot');
    const missing = await runCli(['snapshot', '--url', receiver.httpUrl, '--run', base.id, '--compare', join(work, 'nope.snap')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('write one first with --out');
  }, 120_000);
});
