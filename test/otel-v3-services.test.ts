import { createServer, type Server } from 'node:http';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { stageV3Project, startV3Process, type V3Project } from './support/otel-v3.js';
import { runSpans, waitForSpans } from './support/receiver-api.js';
import { expectScenarioRun, expectSecretsMasked, SPANS_PER_RUN } from './support/sdk-scenario.js';
import { attr, killAll, type ServiceProcess } from './support/sdk-services.js';

// The three-service scenario of sdk-services.test.ts with every service run by Node 24 against the
// OpenTelemetry JS 3.x line (sdk-node 0.301, SDK 3.1, api 1.10, instrumentation-undici 0.34), in a
// project laid out as a user's install of @tracecheck/sdk with those peers.


describe('@tracecheck/sdk across services on Node 24 and OpenTelemetry JS 3.x', () => {
  let receiver: Receiver;
  let payment: Server;
  let project: V3Project;
  const charges: unknown[] = [];
  let a: ServiceProcess | undefined;
  let b: ServiceProcess | undefined;
  let c: ServiceProcess | undefined;

  beforeAll(async () => {
    buildWorkspace();
    project = stageV3Project();
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
    payment = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        charges.push({ body: JSON.parse(body), authorization: req.headers.authorization });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `ch_${charges.length}` }));
      });
    });
    await new Promise<void>((r) => payment.listen(0, '127.0.0.1', r));
    const paymentUrl = `http://127.0.0.1:${(payment.address() as { port: number }).port}/charges`;
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl };
    [b, c] = await Promise.all([
      startV3Process(project.dir, 'service-b.mjs', { ...otel, OTEL_SERVICE_NAME: 'service-b' }),
      startV3Process(project.dir, 'worker-c.mjs', { ...otel, PAYMENT_URL: paymentUrl }, { register: false }),
    ]);
    a = await startV3Process(project.dir, 'service-a.mjs', { ...otel, OTEL_SERVICE_NAME: 'service-a', INVENTORY_URL: `http://127.0.0.1:${b.port}`, QUEUE_PORT: String(c.port) });
  }, 120_000);

  afterAll(async () => {
    killAll([a, b, c]);
    await new Promise((r) => payment?.close(r));
    await receiver?.stop();
    project?.remove();
  });

  async function order(runId: string, id: string) {
    const res = await fetch(`http://127.0.0.1:${a!.port}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', baggage: `test.run.id=${runId}` },
      body: JSON.stringify({ id, sku: 'sku-1', amount: 2500, card: '4242 4242 4242 4242', password: 'hunter2', token: 'tok_live_abcdef123456' }),
    });
    expect(res.status).toBe(202);
  }

  it('runs every service on Node 24 with the 3.x SDK and its instrumentations', async () => {
    await order('run-versions', 'o-0');
    const spans = await waitForSpans(receiver.httpUrl, 'run-versions', SPANS_PER_RUN);
    expect(spans).toHaveLength(SPANS_PER_RUN);
    for (const span of spans) {
      expect(attr(span.resource.attributes, 'process.runtime.version')).toMatch(/^24\./);
      expect(attr(span.resource.attributes, 'telemetry.sdk.version')).toMatch(/^3\./);
    }
    const scopes = new Set(spans.map((s) => `${s.scope.name}@${s.scope.version}`));
    expect(scopes).toContain('@opentelemetry/instrumentation-http@0.301.0');
    expect(scopes).toContain('@opentelemetry/instrumentation-undici@0.34.0');
  });

  it('tags every span of A, B and C with the run, links the consumer to the producer, and keeps concurrent runs apart', async () => {
    const stored = receiver.store.spanCount;
    await Promise.all([order('run-one', 'o-1'), order('run-two', 'o-2')]);
    const one = await waitForSpans(receiver.httpUrl, 'run-one', SPANS_PER_RUN);
    const two = await waitForSpans(receiver.httpUrl, 'run-two', SPANS_PER_RUN);
    // Nothing else arrives late: the runs are complete, and they are all the services sent.
    await new Promise((r) => setTimeout(r, 300));
    expect((await runSpans(receiver.httpUrl, 'run-one')).length).toBe(SPANS_PER_RUN);
    expect((await runSpans(receiver.httpUrl, 'run-two')).length).toBe(SPANS_PER_RUN);
    expect(receiver.store.spanCount - stored).toBe(2 * SPANS_PER_RUN);

    expectScenarioRun('run-one', one);
    expectScenarioRun('run-two', two);
    expect(new Set([...one, ...two].map((s) => s.traceId)).size).toBe(2);
  });

  it('masks the card number, the bearer token and the password before they leave the worker', async () => {
    const before = charges.length;
    await order('run-secrets', 'o-3');
    const spans = await waitForSpans(receiver.httpUrl, 'run-secrets', SPANS_PER_RUN);
    const sent = charges[before] as { body: { card: string; password: string }; authorization: string };
    expect(sent.body.card).toBe('4242 4242 4242 4242');
    expect(sent.body.password).toBe('hunter2');
    expect(sent.authorization).toBe('Bearer tok_live_abcdef123456');

    expectSecretsMasked(spans);
  });
});
