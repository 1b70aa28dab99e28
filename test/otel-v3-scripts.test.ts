import { createServer } from 'node:net';
import type { JsonSpan } from '@tracecheck/model';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { runV3Script, stageV3Project, type V3Project } from './support/otel-v3.js';
import { waitForSpans } from './support/receiver-api.js';
import { attr } from './support/sdk-services.js';

// Scripts that end by themselves, under `--import @tracecheck/sdk/register` on Node 24 and the
// OpenTelemetry JS 3.x line: the queue examples (sdk-queues.test.ts) and a script with no receiver
// listening (sdk-no-receiver.test.ts).

function hops(spans: JsonSpan[]) {
  return spans
    .filter((s) => s.kind === 5)
    .map((consumer) => {
      const producer = spans.find((s) => s.spanId === consumer.links[0]?.spanId);
      const child = spans.find((s) => s.parentSpanId === consumer.spanId);
      return `${producer?.name} -> ${consumer.name} (${attr(consumer.attributes, 'messaging.system')}) -> ${child?.name}`;
    })
    .sort();
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('@tracecheck/sdk scripts on Node 24 and OpenTelemetry JS 3.x', () => {
  let receiver: Receiver;
  let project: V3Project;
  beforeAll(async () => {
    buildWorkspace();
    project = stageV3Project();
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  }, 120_000);
  afterAll(async () => {
    await receiver?.stop();
    project?.remove();
  });

  it('in-process queue: the worker runs the job in the producer run, linked to it', async () => {
    const run = await runV3Script(project.dir, 'in-process.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, RUN_ID: 'v3-q-mem' });
    expect(run.code).toBe(0);
    const spans = await waitForSpans(receiver.httpUrl, 'v3-q-mem', 3);
    expect(hops(spans)).toEqual(['send emails -> process emails (in-process) -> email.send']);
    for (const s of spans) expect(attr(s.attributes, 'test.run.id')).toBe('v3-q-mem');
    expect(attr(spans[0]!.resource.attributes, 'telemetry.sdk.version')).toMatch(/^3\./);
  });

  it('kafkajs and amqplib header shapes: Buffer and plain header values carry the run and the link', async () => {
    const run = await runV3Script(project.dir, 'broker-headers.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, RUN_ID: 'v3-q-brokers' });
    expect(run.code).toBe(0);
    const spans = await waitForSpans(receiver.httpUrl, 'v3-q-brokers', 6);
    expect(hops(spans)).toEqual(['send refunds -> process refunds (kafka) -> ledger.write', 'send webhooks -> process webhooks (rabbitmq) -> webhook.post']);
    for (const s of spans) expect(attr(s.attributes, 'test.run.id')).toBe('v3-q-brokers');
  });

  it('with no receiver: runs as without tracing, and exits as soon as it is done', async () => {
    const started = Date.now();
    const run = await runV3Script(project.dir, 'plain-script.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}` });
    expect(run).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(run.stdout).toContain('pong 42');
    // The 3.x exporters retry a refused connection too (alone, one keeps a script alive ~7 s); the SDK must not wait for that.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
