import { type Context, context, propagation } from '@opentelemetry/api';
import { RUN_ID_ATTRIBUTE } from '@tracecheck/model/wire';
import type { EndedSpan, SpanProcessorLike, StartedSpan } from './span-types.js';

/** The baggage entry, and the span attribute, that carry a test's run id (docs/language.md, "Runs"). */
export const RUN_ID_KEY = RUN_ID_ATTRIBUTE;

/** The run id in a context's baggage, if any. */
export function runIdOf(ctx: Context = context.active()): string | undefined {
  return propagation.getBaggage(ctx)?.getEntry(RUN_ID_KEY)?.value;
}

/**
 * Copies the baggage entry `test.run.id` onto every span started in its context, as the attribute
 * `test.run.id`. The tracer provider calls it for every span, so spans of auto-instrumentations
 * (http, undici, databases) are stamped as well as the service's own.
 *
 * Use it alone in a service with its own OpenTelemetry setup: add it to the provider's
 * `spanProcessors`, before the exporting processor.
 */
export class RunIdSpanProcessor implements SpanProcessorLike {
  onStart(span: StartedSpan, parentContext: Context): void {
    const runId = runIdOf(parentContext ?? context.active());
    if (runId) span.setAttribute(RUN_ID_KEY, runId);
  }

  onEnd(_span: EndedSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
