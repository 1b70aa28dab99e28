// Sends one small, fully featured trace with the official OTLP exporters of the OpenTelemetry JS
// 3.x line (plain OpenTelemetry, no tracecheck code): a server span with a client child carrying
// every attribute type, an event, a link and an error status. The otel-v3 exporter tests run it
// with Node 24.
//
// Env: TARGETS = JSON [{ "protocol": "http/protobuf" | "http/json" | "grpc", "url": "..." }, ...],
// RUN_ID, LINK = JSON { "traceId", "spanId" } (optional). Prints the child's ids and the versions
// of Node and of the OpenTelemetry packages that ran, as one JSON line.
import { readFileSync } from 'node:fs';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

const exporters = { 'http/protobuf': ProtoExporter, 'http/json': JsonExporter, grpc: GrpcExporter };
const targets = JSON.parse(process.env.TARGETS ?? '[]');
const runId = process.env.RUN_ID ?? 'run';
const link = process.env.LINK ? JSON.parse(process.env.LINK) : undefined;

const provider = new TracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'checkout', 'deployment.environment': 'ci', 'host.cores': 2 }),
  // 3.x processors take an options object ({ exporter }), where 2.x took the exporter itself.
  spanProcessors: targets.map(({ protocol, url }) => new SimpleSpanProcessor({ exporter: new exporters[protocol]({ url }) })),
});
const tracer = provider.getTracer('tracecheck-e2e', '1.2.3');

const root = tracer.startSpan('POST /refunds', { kind: SpanKind.SERVER, attributes: { 'test.run.id': runId } }, context.active());
const child = tracer.startSpan(
  'stripe.refund.create',
  {
    kind: SpanKind.CLIENT,
    attributes: { 'test.run.id': runId, amount: 2500, ratio: 0.25, currency: 'EUR', captured: true, big: 9007199254740991, tags: ['a', 'b'], codes: [1, 2, 3], flags: [true, false] },
    links: link ? [{ context: { ...link, traceFlags: 1 }, attributes: { 'messaging.system': 'memory' } }] : [],
  },
  trace.setSpan(context.active(), root),
);
child.addEvent('retry', { attempt: 2, reason: 'timeout' });
child.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
child.end();
root.end();

await provider.forceFlush();
await provider.shutdown();

/** The version in the package.json above the file a package name resolves to. */
function versionOf(name) {
  let url = new URL('.', import.meta.resolve(name));
  while (!url.pathname.endsWith(`/${name}/`)) url = new URL('..', url);
  return JSON.parse(readFileSync(new URL('package.json', url), 'utf8')).version;
}

const packages = ['@opentelemetry/api', '@opentelemetry/sdk-trace', '@opentelemetry/exporter-trace-otlp-proto', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/exporter-trace-otlp-grpc'];
const versions = Object.fromEntries([['node', process.versions.node], ...packages.map((name) => [name, versionOf(name)])]);
console.log(JSON.stringify({ traceId: child.spanContext().traceId, spanId: child.spanContext().spanId, rootSpanId: root.spanContext().spanId, versions }));
