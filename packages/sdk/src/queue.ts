import { type Context, context, propagation, ROOT_CONTEXT, type Span, SpanKind, trace } from '@opentelemetry/api';
import { headersGetter, headersSetter, type MessageHeaders } from './carrier.js';
import { type EffectDetails, runInSpan, startEffectSpan } from './effect.js';

/** Messaging attributes shared by both ends of a queue hop. */
export interface QueueOptions {
  /** The broker, as `messaging.system` (`kafka`, `rabbitmq`, `sqs`, ...). */
  system?: string;
  /** More span attributes, and an optional `payload` recorded as `effect.payload` (redacted, capped). */
  details?: EffectDetails;
}

/** How a consumer span relates to the producer span besides the link. */
export interface ConsumeOptions extends QueueOptions {
  /**
   * Start a new trace for the handler instead of continuing the producer's (default false). The link
   * to the producer and the baggage (run id) are kept either way; receivers join linked traces.
   */
  newTrace?: boolean;
}

/**
 * Writes the context (trace parent, trace state and baggage, so the run id) into `headers` with the
 * propagator the SDK registered (W3C by default). Returns `headers`.
 */
export function injectContext<H extends MessageHeaders>(headers: H, ctx: Context = context.active()): H {
  propagation.inject(ctx, headers, headersSetter);
  return headers;
}

/** The context `headers` carry (trace parent and baggage), on top of an empty context. */
export function extractContext(headers: MessageHeaders | undefined, base: Context = ROOT_CONTEXT): Context {
  return propagation.extract(base, headers ?? {}, headersGetter);
}

/**
 * Sends one message as a PRODUCER span `send <destination>`: the span's context is injected into
 * `headers` before `fn` runs, so `fn` publishes headers that point at this span. Returns fn's result
 * unchanged (sync or async).
 */
export function produce<H extends MessageHeaders, T>(destination: string, headers: H, fn: (headers: H, span: Span) => T, options: QueueOptions = {}): T {
  const span = startEffectSpan(`send ${destination}`, messagingDetails(destination, 'send', options), SpanKind.PRODUCER);
  injectContext(headers, trace.setSpan(context.active(), span));
  return runInSpan(span, (s) => fn(headers, s));
}

/**
 * Handles one message as a CONSUMER span `process <destination>`, run in the context `headers` carry
 * (so spans the handler starts are stamped with the producer's run id) and linked to the producer
 * span. Returns the handler's result unchanged (sync or async).
 */
export function consume<T>(destination: string, headers: MessageHeaders | undefined, handler: (span: Span) => T, options: ConsumeOptions = {}): T {
  const extracted = extractContext(headers);
  const producer = trace.getSpanContext(extracted);
  const parent = options.newTrace ? trace.deleteSpan(extracted) : extracted;
  const links = producer && trace.isSpanContextValid(producer) ? [{ context: producer }] : [];
  const span = startEffectSpan(`process ${destination}`, messagingDetails(destination, 'process', options), SpanKind.CONSUMER, parent, links);
  return context.with(parent, () => runInSpan(span, handler));
}

function messagingDetails(destination: string, operation: 'send' | 'process', options: QueueOptions): EffectDetails {
  return {
    'messaging.destination.name': destination,
    'messaging.operation.type': operation,
    ...(options.system ? { 'messaging.system': options.system } : {}),
    ...options.details,
  };
}
