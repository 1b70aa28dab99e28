// OpenTelemetry setup for the demo service, as any Node service would have it: a tracer provider,
// W3C trace-context + baggage propagation, and an OTLP/HTTP exporter configured by OTEL_* variables.
// The one tracecheck-specific piece is RunIdProcessor (what @tracecheck/sdk will provide): it copies
// the `test.run.id` baggage entry onto every span started in its context.
import { context, propagation } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

class RunIdProcessor {
  onStart(span, parentContext) {
    const runId = propagation.getBaggage(parentContext ?? context.active())?.getEntry('test.run.id')?.value;
    if (runId) span.setAttribute('test.run.id', runId);
  }
  onEnd() {}
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

export function startTracing(serviceName) {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    // A short delay so spans reach the receiver within milliseconds (the default is 5 s).
    spanProcessors: [new RunIdProcessor(), new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 20 })],
  });
  provider.register({ propagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }) });
  return provider;
}
