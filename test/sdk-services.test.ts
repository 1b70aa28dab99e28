import { createServer, type Server } from 'node:http';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { runSpans, waitForSpans } from './support/receiver-api.js';
import { expectScenarioRun, expectSecretsMasked, SPANS_PER_RUN } from './support/sdk-scenario.js';
import { killAll, type ServiceProcess, startService } from './support/sdk-services.js';

// The SDK across real processes (issue 4, "must hold"): a test request carrying `baggage:
// test.run.id=R` reaches service A, which calls service B over HTTP and publishes to a queue that
// worker C consumes; C charges a card through effect(). Two runs go through at the same time.


describe('@tracecheck/sdk across services', () => {
  let receiver: Receiver;
  let payment: Server;
  const charges: unknown[] = [];
  let a: ServiceProcess | undefined;
  let b: ServiceProcess | undefined;
  let c: ServiceProcess | undefined;

  beforeAll(async () => {
    buildWorkspace();
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
      startService('service-b.mjs', { ...otel, OTEL_SERVICE_NAME: 'service-b' }),
      startService('worker-c.mjs', { ...otel, PAYMENT_URL: paymentUrl }, { register: false }),
    ]);
    a = await startService('service-a.mjs', { ...otel, OTEL_SERVICE_NAME: 'service-a', INVENTORY_URL: `http://127.0.0.1:${b.port}`, QUEUE_PORT: String(c.port) });
  }, 120_000);

  afterAll(async () => {
    killAll([a, b, c]);
    await new Promise((r) => payment?.close(r));
    await receiver?.stop();
  });

  async function order(runId: string, id: string) {
    const res = await fetch(`http://127.0.0.1:${a!.port}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', baggage: `test.run.id=${runId}` },
      body: JSON.stringify({ id, sku: 'sku-1', amount: 2500, card: '4242 4242 4242 4242', password: 'hunter2', token: 'tok_live_abcdef123456' }),
    });
    expect(res.status).toBe(202);
  }

  it('tags every span of A, B and C with the run, links the consumer to the producer, and keeps concurrent runs apart', async () => {
    await Promise.all([order('run-one', 'o-1'), order('run-two', 'o-2')]);
    const one = await waitForSpans(receiver.httpUrl, 'run-one', SPANS_PER_RUN);
    const two = await waitForSpans(receiver.httpUrl, 'run-two', SPANS_PER_RUN);
    // Nothing else arrives late: the runs are complete, and they are all the services sent.
    await new Promise((r) => setTimeout(r, 300));
    expect((await runSpans(receiver.httpUrl, 'run-one')).length).toBe(SPANS_PER_RUN);
    expect((await runSpans(receiver.httpUrl, 'run-two')).length).toBe(SPANS_PER_RUN);
    expect(receiver.store.spanCount).toBe(2 * SPANS_PER_RUN);

    expectScenarioRun('run-one', one);
    expectScenarioRun('run-two', two);
    expect(new Set([...one, ...two].map((s) => s.traceId)).size).toBe(2);
  });

  it('masks the card number, the bearer token and the password before they leave the worker, without changing what the app sends', async () => {
    const before = charges.length;
    await order('run-secrets', 'o-3');
    const spans = await waitForSpans(receiver.httpUrl, 'run-secrets', SPANS_PER_RUN);
    const sent = charges[before] as { body: { card: string; password: string; headers: { authorization: string } }; authorization: string };
    expect(sent.body.card).toBe('4242 4242 4242 4242');
    expect(sent.body.password).toBe('hunter2');
    expect(sent.authorization).toBe('Bearer tok_live_abcdef123456');

    expectSecretsMasked(spans);
  });
});
