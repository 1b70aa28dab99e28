// Structural types for the pieces of the OpenTelemetry trace SDK this package touches. The SDK's own
// types live in @opentelemetry/sdk-trace-base (2.x) or @opentelemetry/sdk-trace (3.x); describing the
// few members we use here keeps one code base, and one set of peer dependencies, for both lines.
import type { Attributes, AttributeValue, Context, HrTime, Link, SpanContext, SpanStatus } from '@opentelemetry/api';

/** A span as a span processor's `onStart` sees it: still open, attributes can be set. */
export interface StartedSpan {
  setAttribute(key: string, value: AttributeValue): unknown;
  spanContext(): SpanContext;
}

/** An ended span as a span processor's `onEnd` and an exporter see it (the fields we read or edit). */
export interface EndedSpan {
  readonly name: string;
  readonly attributes: Attributes;
  readonly events: ReadonlyArray<{ readonly name: string; readonly attributes?: Attributes; readonly time: HrTime }>;
  readonly endTime: HrTime;
  /** Resource detectors may still be filling in attributes (host.id ...); exporters must wait for them. */
  readonly resource?: { readonly attributes?: Attributes; readonly asyncAttributesPending?: boolean; waitForAsyncAttributes?(): Promise<void> };
  // Read by the last-resort OTLP/JSON encoding on exit (otlp-json.ts) only.
  readonly kind?: number;
  readonly startTime?: HrTime;
  readonly status?: SpanStatus;
  readonly links?: readonly Link[];
  readonly parentSpanContext?: SpanContext;
  /** SDK 1.x spelling of the parent id, read when parentSpanContext is absent. */
  readonly parentSpanId?: string;
  readonly instrumentationScope?: { readonly name: string; readonly version?: string };
  readonly droppedAttributesCount?: number;
  readonly droppedEventsCount?: number;
  readonly droppedLinksCount?: number;
  spanContext(): SpanContext;
}

/** The SpanProcessor contract of both SDK lines. */
export interface SpanProcessorLike {
  onStart(span: StartedSpan, parentContext: Context): void;
  onEnd(span: EndedSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** An export result: code 0 is success, 1 failure (`ExportResultCode` in @opentelemetry/core). */
export interface ExportResultLike {
  code: number;
  error?: Error;
}

/** The SpanExporter contract of both SDK lines (the OTLP exporters implement it). */
export interface SpanExporterLike {
  export(spans: EndedSpan[], resultCallback: (result: ExportResultLike) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}
