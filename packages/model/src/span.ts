import { EXTERNAL_PARENT_TRACESTATE_KEY, RUN_ID_ATTRIBUTE } from './wire.js';
import type { Attributes, AnyValue } from './attributes.js';

/** OTLP span kinds, numbered as in the protocol. */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** OTLP status codes, numbered as in the protocol. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];


/** Shared by every span of one ResourceSpans: stored once, referenced by each span. */
export interface Resource {
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly schemaUrl: string;
}

/** Shared by every span of one ScopeSpans. */
export interface InstrumentationScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly schemaUrl: string;
}

export interface SpanEvent {
  readonly timeUnixNano: bigint;
  readonly name: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
}

export interface SpanLink {
  /** Lowercase hex, 32 chars. */
  readonly traceId: string;
  /** Lowercase hex, 16 chars. */
  readonly spanId: string;
  readonly traceState: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly flags: number;
}

export interface SpanStatus {
  readonly code: StatusCode;
  readonly message: string;
}

/**
 * One span, normalized: ids are lowercase hex, times bigint nanoseconds since the epoch, attribute
 * values typed. The same OTLP data decodes to equal spans whether it came as protobuf or JSON.
 */
export interface Span {
  /** Lowercase hex, 32 chars. */
  readonly traceId: string;
  /** Lowercase hex, 16 chars. */
  readonly spanId: string;
  /** Lowercase hex, 16 chars; '' for a root span. */
  readonly parentSpanId: string;
  readonly traceState: string;
  readonly flags: number;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly events: readonly SpanEvent[];
  readonly droppedEventsCount: number;
  readonly links: readonly SpanLink[];
  readonly droppedLinksCount: number;
  readonly status: SpanStatus;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
}

/**
 * A span that can read one of its attributes without making its attribute map: the columnar
 * store's views, which find the key in the span's bytes. A check reads an attribute of every span
 * of a run, so a map per span is worth saving.
 */
export const READ_ATTRIBUTE: unique symbol = Symbol('tracecheck.readAttribute');

/** The span attribute `key`, read without making the span's attribute map where the span can. */
export function spanAttribute(span: Span, key: string): AnyValue | undefined {
  const read = (span as { [READ_ATTRIBUTE]?: (key: string) => AnyValue | undefined })[READ_ATTRIBUTE];
  return read === undefined ? span.attributes.get(key) : read.call(span, key);
}

/**
 * The run id a span is tagged with: its `test.run.id` attribute when that is a non-empty string,
 * else its resource's (a process started for one test run may tag its resource instead).
 */
export function taggedRunId(span: Span): string | undefined {
  const v = span.attributes.get(RUN_ID_ATTRIBUTE) ?? span.resource.attributes.get(RUN_ID_ATTRIBUTE);
  return v?.type === 'string' && v.value !== '' ? v.value : undefined;
}

/**
 * A span as a plain object with every field read: for comparing spans by value, or keeping one
 * past the work that read it (a store may hand out views that decode as they are read).
 */
export function plainSpan(span: Span): Span {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    traceState: span.traceState,
    flags: span.flags,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    attributes: new Map(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events,
    droppedEventsCount: span.droppedEventsCount,
    links: span.links,
    droppedLinksCount: span.droppedLinksCount,
    status: { code: span.status.code, message: span.status.message },
    resource: span.resource,
    scope: span.scope,
  };
}

/**
 * True when the span's trace state names its parent as the one a test invented: a test that sends
 * its own `traceparent` on the request starting a flow names a parent span no service will export,
 * and says so with the `tracestate` entry `tracecheck=<that parent id>`. Every span of the flow
 * carries it, so the span under the invented parent is recognized as the flow's real root. Deciding
 * does not wait for that parent, and, a deliberate difference from Tempo, structural operators
 * treat the span as a root (docs/language.md).
 */
export function parentIsExternal(span: Span): boolean {
  if (span.parentSpanId === '' || span.traceState === '') return false;
  for (const entry of span.traceState.split(',')) {
    const eq = entry.indexOf('=');
    if (eq > 0 && entry.slice(0, eq).trim() === EXTERNAL_PARENT_TRACESTATE_KEY && entry.slice(eq + 1).trim() === span.parentSpanId) return true;
  }
  return false;
}
