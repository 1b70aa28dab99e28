import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { JsonSpan } from '@tracecheck/model';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { waitForSpans } from './support/receiver-api.js';
import { attr, servicesDir, serviceOf } from './support/sdk-services.js';

// A service that keeps its own OpenTelemetry 2.x setup and adds tracecheck's processors instead of a
// second SDK (issue 4): run-id stamping through a queue hop, the producer link, redaction, export.
// test/otel-v3-setups.test.ts does the same on the 3.x line.

const SPAN_KIND = { PRODUCER: 4, CONSUMER: 5 };

describe("@tracecheck/sdk's processors in a service's own OpenTelemetry 2.x setup", () => {
  let receiver: Receiver;
  beforeAll(async () => {
    buildWorkspace();
    receiver = await startReceiver({ httpPort: 0, grpcPort: false });
  }, 120_000);
  afterAll(() => receiver.stop());

  it.each(['prompt', 'batch'])('stamps, links, masks and exports (%s export)', async (mode) => {
    const runId = `own-setup-v2-${mode}`;
    const { stdout } = await promisify(execFile)(process.execPath, [join(servicesDir, 'own-setup.mjs')], {
      cwd: servicesDir,
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, MODE: mode, RUN_ID: runId },
      timeout: 20_000,
    });
    // It ran on the 2.x line (pnpm's store path names the resolved version).
    expect(JSON.parse(stdout)).toEqual({ charge: { id: 'ch_1' }, sdkNode: expect.stringMatching(/sdk-node@0\.2\d\d\./) });

    const spans = await waitForSpans(receiver.httpUrl, runId, 3);
    const byName = (name: string) => spans.find((s) => s.name === name) as JsonSpan;
    expect(spans.map((s) => `${String(serviceOf(s))} ${s.name} -> ${String(attr(s.attributes, 'test.run.id'))}`).sort()).toEqual(
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
