import { SpanKind, context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { exporterFor, providerFor } from './support/otel.js';
import { runSpans, waitForSpans } from './support/receiver-api.js';

// Run isolation and run-id inheritance, end to end through the official exporters.

describe('runs', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  });
  afterAll(() => receiver.stop());

  it('keeps two runs exporting concurrently apart', async () => {
    const emit = async (runId: string, protocol: 'http/protobuf' | 'grpc') => {
      const provider = providerFor([exporterFor(protocol, receiver)], { 'service.name': runId }, { batch: true });
      const tracer = provider.getTracer('isolation');
      for (let i = 0; i < 40; i++) {
        const root = tracer.startSpan(`order ${i}`, { attributes: { 'test.run.id': runId } });
        const child = tracer.startSpan('db.query', {}, trace.setSpan(context.active(), root));
        child.end();
        root.end();
        if (i % 8 === 0) await new Promise((r) => setImmediate(r));
      }
      await provider.forceFlush();
      await provider.shutdown();
    };
    await Promise.all([emit('iso-a', 'http/protobuf'), emit('iso-b', 'grpc')]);
    const [a, b] = await Promise.all([waitForSpans(receiver.httpUrl, 'iso-a', 80), waitForSpans(receiver.httpUrl, 'iso-b', 80)]);
    expect(a).toHaveLength(80);
    expect(b).toHaveLength(80);
    const services = (spans: typeof a) => new Set(spans.map((s) => JSON.stringify(s.resource.attributes.find((x) => x.key === 'service.name')?.value)));
    expect(services(a)).toEqual(new Set([JSON.stringify({ stringValue: 'iso-a' })]));
    expect(services(b)).toEqual(new Set([JSON.stringify({ stringValue: 'iso-b' })]));
    const aTraces = new Set(a.map((s) => s.traceId));
    expect(b.some((s) => aTraces.has(s.traceId))).toBe(false);
  });

  it('counts an untagged child in its tagged trace, whichever arrives first', async () => {
    const provider = providerFor([exporterFor('http/json', receiver)]);
    const tracer = provider.getTracer('inherit');
    const root = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, attributes: { 'test.run.id': 'inherit-1' } });
    const child = tracer.startSpan('email.send', { kind: SpanKind.CLIENT }, trace.setSpan(context.active(), root));
    child.end(); // exported (and received) before its tagged parent
    await provider.forceFlush();
    expect(await runSpans(receiver.httpUrl, 'inherit-1')).toEqual([]);
    root.end();
    await provider.forceFlush();
    await provider.shutdown();
    const spans = await waitForSpans(receiver.httpUrl, 'inherit-1', 2);
    expect(spans.map((s) => s.name).sort()).toEqual(['POST /checkout', 'email.send']);
  });

  it('counts a consumer trace linked to a tagged producer span in the producer run', async () => {
    const provider = providerFor([exporterFor('grpc', receiver)]);
    const tracer = provider.getTracer('queue');
    const producer = tracer.startSpan('orders publish', { kind: SpanKind.PRODUCER, attributes: { 'test.run.id': 'linked-1' } });
    producer.end();
    // The worker starts a new trace (no parent), linked to the producer, and tags nothing.
    const consumer = tracer.startSpan('orders process', { kind: SpanKind.CONSUMER, root: true, links: [{ context: producer.spanContext() }] });
    const effect = tracer.startSpan('warehouse.webhook', { kind: SpanKind.CLIENT }, trace.setSpan(context.active(), consumer));
    effect.end();
    consumer.end();
    // Another run's untagged worker must not leak in.
    const other = tracer.startSpan('orders process', { root: true });
    other.end();
    await provider.forceFlush();
    await provider.shutdown();
    const spans = await waitForSpans(receiver.httpUrl, 'linked-1', 3);
    expect(spans.map((s) => s.name).sort()).toEqual(['orders process', 'orders publish', 'warehouse.webhook']);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(2);
  });
});
