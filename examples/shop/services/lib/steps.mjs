// Internal steps worth seeing in a trace (a row written, a request validated): INTERNAL spans from the
// service's own tracer. Outbound effects use @tracecheck/sdk's effect() instead (lib/providers.mjs).
import { SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('shop');

/** Runs `fn` inside an INTERNAL span `name` with `attributes`; ends it with fn's outcome. */
export function step(name, attributes, fn) {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      throw err;
    } finally {
      span.end();
    }
  });
}
