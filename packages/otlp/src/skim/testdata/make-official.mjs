// Writes official-*.pb: requests serialized by OpenTelemetry JS's own ProtobufTraceSerializer
// (@opentelemetry/otlp-transformer, what the proto exporters send) from spans made by the SDK, as
// seeds for the skim's differential tests. The package does not depend on the SDK, so this is run
// by hand from the repository root, where the receiver's tests have it: node
// packages/otlp/src/skim/testdata/make-official.mjs
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const fromTest = createRequire(new URL('../../../../../test/package.json', import.meta.url));
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = fromTest('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = fromTest('@opentelemetry/resources');
const fromExporter = createRequire(fromTest.resolve('@opentelemetry/exporter-trace-otlp-proto'));
const { ProtobufTraceSerializer } = fromExporter('@opentelemetry/otlp-transformer');

function request(service, spans, runId) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.4.2', ...(runId ? { 'test.run.id': runId } : {}) }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('@opentelemetry/instrumentation-http', '0.52.0');
  const scoped = provider.getTracer('shop.payments', '2.0.0');
  let previous;
  for (let i = 0; i < spans; i++) {
    const t = i % 2 === 0 ? tracer : scoped;
    const root = t.startSpan(`POST /api/refunds/${i % 3}`, {
      kind: 1 + (i % 4),
      attributes: { 'http.request.method': 'POST', 'http.response.status_code': 200 + i, 'server.port': 443, retry: i % 2 === 0, ratio: i / 7, tags: ['a', 'é', '中'], ...(i % 3 === 0 ? {} : { 'test.run.id': `run-${i % 2}` }) },
      links: previous ? [{ context: previous.spanContext(), attributes: { 'link.reason': 'queue' } }] : [],
    });
    root.addEvent('exception', { 'exception.type': 'TimeoutError', 'exception.message': 'upstream 🐢' });
    if (i % 4 === 1) root.setStatus({ code: 2, message: 'card_declined' });
    root.end();
    previous = root;
  }
  return ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans());
}

writeFileSync(new URL('./official-shop.pb', import.meta.url), request('shop', 12, 'run-7f3a9c'));
writeFileSync(new URL('./official-untagged.pb', import.meta.url), request('payments', 6));
