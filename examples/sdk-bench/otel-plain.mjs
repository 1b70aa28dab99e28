// The "plain OpenTelemetry" setup bench/sdk-overhead.mjs compares against (`node --import
// ./otel-plain.mjs workload.mjs`): @opentelemetry/sdk-node with the same http and undici
// instrumentations and OTLP/HTTP protobuf export, but none of tracecheck's processors (no run-id
// stamping, no redaction) and NodeSDK's default BatchSpanProcessor (export every 5 s or 512 spans)
// instead of prompt export. effect() still works on it (any registered provider does).
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';

const sdk = new NodeSDK({
  traceExporter: new OTLPTraceExporter(),
  instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation()],
  metricReaders: [],
  logRecordProcessors: [],
});
sdk.start();
process.once('beforeExit', () => void sdk.shutdown());
