import type { Context } from '@opentelemetry/api';
import type { EndedSpan, SpanProcessorLike, StartedSpan } from '../span-types.js';
import { type RedactionOptions, Redactor } from './redactor.js';

/**
 * Masks secrets in every ended span before any exporter sees it: span attributes, event attributes
 * (exception messages, logs) and the status message. Values are replaced in place on the ended span,
 * so every processor after this one exports the masked span.
 *
 * Put it before the exporting processors. (A BatchSpanProcessor placed before it still exports masked
 * spans, since it exports later; a SimpleSpanProcessor placed before it would not.)
 */
export class RedactingSpanProcessor implements SpanProcessorLike {
  readonly redactor: Redactor;

  constructor(options: RedactionOptions | Redactor = {}) {
    this.redactor = options instanceof Redactor ? options : new Redactor(options);
  }

  onStart(_span: StartedSpan, _parentContext: Context): void {}

  onEnd(span: EndedSpan): void {
    try {
      this.redactor.attributes(span.attributes);
      for (const event of span.events) if (event.attributes) this.redactor.attributes(event.attributes);
      const status = (span as { status?: { message?: string } }).status;
      if (status && typeof status.message === 'string' && status.message.length > 0) status.message = this.redactor.text(status.message);
    } catch {
      // A span the SDK froze or shaped differently is exported as it is rather than breaking the app.
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
