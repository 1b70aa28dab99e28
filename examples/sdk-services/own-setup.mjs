// A service that keeps its own OpenTelemetry 2.x setup (a NodeTracerProvider, no NodeSDK started by
// tracecheck) and adds tracecheck's span processors, as the SDK README's "own setup" section shows.
// MODE=prompt: createSpanProcessors(exporter); MODE=batch: RunIdSpanProcessor, RedactingSpanProcessor
// and OpenTelemetry's BatchSpanProcessor. (examples/otel-v3/own-setup.mjs is the 3.x counterpart.)
// In the baggage of run RUN_ID it sends a message through the queue helpers and, in the consumer,
// charges a card through effect() with secrets in the payload; then it shuts the provider down.
import { context, propagation } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { node, resources, tracing } from '@opentelemetry/sdk-node';
import { consume, createSpanProcessors, effect, produce, RedactingSpanProcessor, RunIdSpanProcessor } from '@tracecheck/sdk';

const mode = process.env.MODE ?? 'prompt';
// The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT.
const exporter = new OTLPTraceExporter();
const spanProcessors =
  mode === 'batch'
    ? [new RunIdSpanProcessor(), new RedactingSpanProcessor(), new tracing.BatchSpanProcessor(exporter, { scheduledDelayMillis: 20 })]
    : createSpanProcessors(exporter);
const provider = new node.NodeTracerProvider({ resource: resources.resourceFromAttributes({ 'service.name': `own-setup-${mode}` }), spanProcessors });
// The service's own registration: context manager and W3C trace-context + baggage propagators.
provider.register();

const run = propagation.setBaggage(context.active(), propagation.createBaggage({ 'test.run.id': { value: process.env.RUN_ID ?? 'run' } }));
const message = await context.with(run, () => produce('orders', {}, (headers) => ({ headers, body: { amount: 2500 } }), { system: 'memory' }));
// The consumer runs outside the run's context: only the message headers carry it.
const charge = await consume('orders', message.headers, () =>
  effect('payment.charge', { amount: message.body.amount, payload: { card: '4242 4242 4242 4242', password: 'hunter2' } }, async () => ({ id: 'ch_1' })),
  { system: 'memory' },
);
await provider.forceFlush();
await provider.shutdown();
console.log(JSON.stringify({ charge, sdkNode: import.meta.resolve('@opentelemetry/sdk-node') }));
