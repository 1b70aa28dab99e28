import { type Attributes, type Context, context, type Link, type Span, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { toAttributes } from './attributes.js';
import { payloadAttributes } from './payload.js';
import { effectSettings } from './settings.js';
import { SDK_NAME, SDK_VERSION } from './version.js';

/**
 * What an effect did: span attributes (`amount`, `charge`, `recipient`...) and, under the reserved key
 * `payload`, the JSON-able body that was sent, recorded as `effect.payload`.
 */
export interface EffectDetails {
  payload?: unknown;
  [attribute: string]: unknown;
}

/** How the effect's span is started. */
export interface EffectOptions {
  /** `client` for a call that gets an answer (default), `producer` for a message sent one way. */
  kind?: 'client' | 'producer';
}

let tracer: Tracer | undefined;

/** The tracer of this package (a no-op tracer until an SDK is registered). */
export function sdkTracer(): Tracer {
  tracer ??= trace.getTracer(SDK_NAME, SDK_VERSION);
  return tracer;
}

/**
 * Runs `fn` as one outbound business effect (a payment call, an email send, a CRM upsert, a webhook)
 * inside a CLIENT (or PRODUCER) span named `name`. `details` become span attributes, `details.payload`
 * the redacted, size-capped `effect.payload`. The span ends with status OK when `fn` returns (or its
 * promise fulfils) and ERROR with the exception recorded when it throws (or rejects).
 *
 * Returns exactly what `fn` returned (the same promise, for async functions) and throws exactly what
 * it threw. With no SDK started, `fn` runs in a no-op span.
 */
export function effect<T>(name: string, details: EffectDetails, fn: (span: Span) => T, options: EffectOptions = {}): T {
  const span = startEffectSpan(name, details, options.kind === 'producer' ? SpanKind.PRODUCER : SpanKind.CLIENT);
  return runInSpan(span, fn);
}

/** The span attributes `details` record: redacted attributes plus the capped payload; never throws. */
export function detailAttributes(details: EffectDetails): Attributes {
  try {
    const { redactor, payloadLimit } = effectSettings();
    const attributes = toAttributes(details, redactor, 'payload');
    return details.payload === undefined ? attributes : { ...attributes, ...payloadAttributes(details.payload, redactor, payloadLimit) };
  } catch {
    // Recording is best effort: a detail that cannot be recorded must not stop the effect.
    return {};
  }
}

/** Starts a span recording `details` (only when it records: a no-op span costs no JSON work). */
export function startEffectSpan(name: string, details: EffectDetails, kind: SpanKind, ctx: Context = context.active(), links: Link[] = []): Span {
  const span = sdkTracer().startSpan(name, { kind, links }, ctx);
  if (span.isRecording()) span.setAttributes(detailAttributes(details));
  return span;
}

/** Runs `fn` with `span` active, ends the span with fn's outcome, and hands back fn's result unchanged. */
export function runInSpan<T>(span: Span, fn: (span: Span) => T): T {
  const ctx = trace.setSpan(context.active(), span);
  let result: T;
  try {
    result = context.with(ctx, () => fn(span));
  } catch (error) {
    fail(span, error);
    throw error;
  }
  if (isThenable(result)) {
    // Observe the promise without changing it: the caller gets the original and sees its rejection.
    result.then(
      () => succeed(span),
      (error: unknown) => fail(span, error),
    );
    return result;
  }
  succeed(span);
  return result;
}

function succeed(span: Span): void {
  span.setStatus({ code: SpanStatusCode.OK });
  span.end();
}

function fail(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  else span.recordException(String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
