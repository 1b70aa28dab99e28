// A service that keeps its own OpenTelemetry 3.x setup (a TracerProvider of @opentelemetry/sdk-trace,
// no NodeSDK: 3.x has no NodeTracerProvider) and adds tracecheck's span processors, as the SDK
// README's "own setup" section shows. MODE=prompt: createSpanProcessors(exporter); MODE=batch:
// RunIdSpanProcessor, RedactingSpanProcessor and the 3.x BatchSpanProcessor.
// In the baggage of run RUN_ID it sends a message through the queue helpers and, in the consumer,
// charges a card through effect() with secrets in the payload; then it shuts the provider down.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { consume, createSpanProcessors, effect, produce, RedactingSpanProcessor, RunIdSpanProcessor } from '@tracecheck/sdk';

const mode = process.env.MODE ?? 'prompt';
// The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT.
const exporter = new OTLPTraceExporter();
const spanProcessors =
  mode === 'batch'
    ? [new RunIdSpanProcessor(), new RedactingSpanProcessor(), new BatchSpanProcessor({ exporter, scheduledDelayMillis: 20 })]
    : createSpanProcessors(exporter);
const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': `own-setup-${mode}` }), spanProcessors });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
trace.setGlobalTracerProvider(provider);

const run = propagation.setBaggage(context.active(), propagation.createBaggage({ 'test.run.id': { value: process.env.RUN_ID ?? 'run' } }));
const message = await context.with(run, () => produce('orders', {}, (headers) => ({ headers, body: { amount: 2500 } }), { system: 'memory' }));
// The consumer runs outside the run's context: only the message headers carry it.
const charge = await consume('orders', message.headers, () =>
  effect('payment.charge', { amount: message.body.amount, payload: { card: '4242 4242 4242 4242', password: 'hunter2' } }, async () => ({ id: 'ch_1' })),
  { system: 'memory' },
);
await provider.forceFlush();
await provider.shutdown();
console.log(JSON.stringify({ charge, node: process.versions.node, sdkTrace: import.meta.resolve('@opentelemetry/sdk-trace') }));
