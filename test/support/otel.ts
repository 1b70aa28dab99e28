import { type Attributes, type Link, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Receiver } from '@tracecheck/receiver';

/** The three official OTLP trace exporters, pointed at a running receiver. */
export type Protocol = 'http/protobuf' | 'http/json' | 'grpc';
export const protocols: Protocol[] = ['http/protobuf', 'http/json', 'grpc'];

export function exporterFor(protocol: Protocol, receiver: Receiver, headers: Record<string, string> = {}): SpanExporter {
  switch (protocol) {
    case 'http/protobuf':
      return new ProtoExporter({ url: `${receiver.httpUrl}/v1/traces`, headers });
    case 'http/json':
      return new JsonExporter({ url: `${receiver.httpUrl}/v1/traces`, headers });
    case 'grpc':
      return new GrpcExporter({ url: `http://${receiver.grpcAddress}` });
  }
}

/**
 * A tracer provider exporting to the given exporters: every ended span at once, or (`batch`) in
 * batches every 10 ms, as a busy service would (the exporters allow 30 requests in flight).
 */
export function providerFor(exporters: SpanExporter[], resource: Attributes = { 'service.name': 'checkout' }, options: { batch?: boolean } = {}) {
  return new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: exporters.map((e) => (options.batch ? new BatchSpanProcessor(e, { scheduledDelayMillis: 10 }) : new SimpleSpanProcessor(e))),
  });
}

/**
 * Emits a small, fully featured trace for run `runId`: a server span with a client child carrying
 * every attribute type, an event, a link and an error status. Returns the child's ids.
 */
export function emitRichTrace(provider: BasicTracerProvider, runId: string, link?: Link) {
  const tracer = provider.getTracer('tracecheck-e2e', '1.2.3');
  const root = tracer.startSpan('POST /refunds', { kind: SpanKind.SERVER, attributes: { 'test.run.id': runId } }, context.active());
  const ctx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan(
    'stripe.refund.create',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'test.run.id': runId,
        amount: 2500,
        ratio: 0.25,
        currency: 'EUR',
        captured: true,
        big: 9007199254740991,
        tags: ['a', 'b'],
        codes: [1, 2, 3],
        flags: [true, false],
      },
      links: link ? [link] : [],
    },
    ctx,
  );
  child.addEvent('retry', { attempt: 2, reason: 'timeout' });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  child.end();
  root.end();
  return { traceId: child.spanContext().traceId, spanId: child.spanContext().spanId, rootSpanId: root.spanContext().spanId };
}
