// One load-test process: a service instrumented with the official OpenTelemetry SDK and exporter,
// ending `runs` × `spans` spans (run ids `<prefix>-r<j>`, attribute seq = 0..spans-1) in batches, then
// flushing. Prints `ended N` on stdout. Resolves packages from test/node_modules.
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

const [protocol, http, grpc, prefix, runs, spans] = process.argv.slice(2);
// A long export timeout: at a small memory cap, 429 retries (Retry-After) may take a while.
const options = { timeoutMillis: 60_000 };
const exporter =
  protocol === 'grpc'
    ? new GrpcExporter({ url: `http://${grpc}`, ...options })
    : protocol === 'http/json'
      ? new JsonExporter({ url: `${http}/v1/traces`, ...options })
      : new ProtoExporter({ url: `${http}/v1/traces`, ...options });
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': `load-${prefix}` }),
  // The queue holds a whole run, so nothing is dropped before export (drops would be the SDK's, not ours).
  spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 20, maxQueueSize: 100_000, maxExportBatchSize: 512, exportTimeoutMillis: 60_000 })],
});
const tracer = provider.getTracer('load');
let ended = 0;
for (let r = 0; r < Number(runs); r++) {
  for (let i = 0; i < Number(spans); i++) {
    tracer.startSpan('load', { attributes: { 'test.run.id': `${prefix}-r${r}`, seq: i, payload: 'x'.repeat(64) } }).end();
    ended++;
    if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
  }
  await provider.forceFlush();
}
await provider.shutdown();
process.stdout.write(`ended ${ended}\n`);
