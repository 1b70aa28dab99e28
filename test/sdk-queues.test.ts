import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { JsonSpan } from '@tracecheck/model';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { waitForSpans } from './support/receiver-api.js';
import { attr } from './support/sdk-services.js';

// The queue examples run as they are documented, and every hop keeps the run and links the producer.

const dir = fileURLToPath(new URL('../examples/sdk-queues/', import.meta.url));

function runExample(script: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', '@tracecheck/sdk/register', script], { cwd: dir, env: { ...process.env, ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

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

describe('queue examples', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    buildWorkspace();
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  }, 120_000);
  afterAll(async () => receiver?.stop());

  it('in-process queue: the worker runs the job in the producer run, linked to it', async () => {
    expect(await runExample('in-process.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, RUN_ID: 'q-mem' })).toBe(0);
    const spans = await waitForSpans(receiver.httpUrl, 'q-mem', 3);
    expect(hops(spans)).toEqual(['send emails -> process emails (in-process) -> email.send']);
    for (const s of spans) expect(attr(s.attributes, 'test.run.id')).toBe('q-mem');
  });

  it('kafkajs and amqplib header shapes: Buffer and plain header values carry the run and the link', async () => {
    expect(await runExample('broker-headers.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, RUN_ID: 'q-brokers' })).toBe(0);
    const spans = await waitForSpans(receiver.httpUrl, 'q-brokers', 6);
    expect(hops(spans)).toEqual(['send refunds -> process refunds (kafka) -> ledger.write', 'send webhooks -> process webhooks (rabbitmq) -> webhook.post']);
    for (const s of spans) expect(attr(s.attributes, 'test.run.id')).toBe('q-brokers');
  });
});
