import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { JsonSpan } from '@tracecheck/model';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { node24, stageV3Project, startV3Process, type V3Project } from './support/otel-v3.js';
import { waitForSpans } from './support/receiver-api.js';
import { attr, killAll, type ServiceProcess, serviceOf } from './support/sdk-services.js';

// The other ways a service starts @tracecheck/sdk, on Node 24 and the OpenTelemetry JS 3.x line:
// the register hook exporting over each OTLP protocol (the SDK loads the 3.x http/json and grpc
// exporters itself), and a service's own 3.x TracerProvider with tracecheck's processors added.

const SPAN_KIND = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };

describe('@tracecheck/sdk set up on OpenTelemetry JS 3.x', () => {
  let receiver: Receiver;
  let project: V3Project;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    buildWorkspace();
    project = stageV3Project();
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  }, 120_000);
  afterAll(async () => {
    killAll(services);
    await receiver?.stop();
    project?.remove();
  });

  it.each(['http/protobuf', 'http/json', 'grpc'])('--import @tracecheck/sdk/register exports over %s', async (protocol) => {
    const endpoint = protocol === 'grpc' ? `http://${receiver.grpcAddress}` : receiver.httpUrl;
    const service = await startV3Process(project.dir, 'service-b.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_SERVICE_NAME: `b-${protocol}` });
    services.push(service);
    const runId = `v3-protocol-${protocol}`;
    const res = await fetch(`http://127.0.0.1:${service.port}/reserve`, { method: 'POST', headers: { baggage: `test.run.id=${runId}` }, body: '{"sku":"sku-1"}' });
    expect(res.status).toBe(200);

    const [span] = await waitForSpans(receiver.httpUrl, runId, 1);
    expect(span && [serviceOf(span), span.name, span.kind, attr(span.attributes, 'test.run.id')]).toEqual([`b-${protocol}`, 'POST', SPAN_KIND.SERVER, runId]);
    expect(attr(span!.resource.attributes, 'telemetry.sdk.version')).toMatch(/^3\./);
    expect(attr(span!.resource.attributes, 'process.runtime.version')).toMatch(/^24\./);
  });

  it.each(['prompt', 'batch'])("a service's own 3.x TracerProvider with tracecheck's processors (%s export)", async (mode) => {
    const runId = `v3-own-setup-${mode}`;
    const { stdout } = await promisify(execFile)(node24(), [join(project.dir, 'own-setup.mjs')], {
      cwd: project.dir,
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, MODE: mode, RUN_ID: runId },
      timeout: 20_000,
    });
    const out = JSON.parse(stdout) as { charge: unknown; node: string; sdkTrace: string };
    expect(out).toEqual({ charge: { id: 'ch_1' }, node: expect.stringMatching(/^24\./), sdkTrace: expect.stringMatching(/sdk-trace@3\./) });

    const spans = await waitForSpans(receiver.httpUrl, runId, 3);
    const byName = (name: string) => spans.find((s) => s.name === name) as JsonSpan;
    expect(spans.map((s) => `${serviceOf(s)} ${s.name} -> ${String(attr(s.attributes, 'test.run.id'))}`).sort()).toEqual(
      [`own-setup-${mode} payment.charge -> ${runId}`, `own-setup-${mode} process orders -> ${runId}`, `own-setup-${mode} send orders -> ${runId}`],
    );
    const producer = byName('send orders');
    const consumer = byName('process orders');
    expect([producer.kind, consumer.kind]).toEqual([SPAN_KIND.PRODUCER, SPAN_KIND.CONSUMER]);
    expect(consumer.links.map((l) => [l.traceId, l.spanId])).toEqual([[producer.traceId, producer.spanId]]);
    expect(byName('payment.charge').parentSpanId).toBe(consumer.spanId);
    expect(JSON.parse(attr(byName('payment.charge').attributes, 'effect.payload') as string)).toEqual({ card: '****4242', password: '[REDACTED]' });
  });
});
