/**
 * Readers for intrinsics and attributes. Each reads one `EvalContext`: the span, its trace (for
 * trace-level intrinsics and `span:childCount`) and, inside a filter with event or link conditions,
 * the one event and the one link being tried.
 */
import { type Span, spanAttribute, type SpanEvent, type SpanLink } from '@tracecheck/model';
import type { AttributeRef, IntrinsicRef } from '../ast.js';
import type { CanonicalIntrinsic } from '../intrinsics.js';
import { intrinsicInfo } from '../intrinsics.js';
import { EvalCompileError } from './errors.js';
import type { TraceGraph } from './graph.js';
import type { Value } from './value.js';
import { KIND_NAMES, STATUS_NAMES, attributeValue } from './value.js';

/** What one evaluation of a field expression sees. */
export interface EvalContext {
  span: Span;
  trace: TraceGraph;
  /** The event being tried, when the filter has event conditions and the span has events. */
  event: SpanEvent | undefined;
  /** The link being tried, likewise. */
  link: SpanLink | undefined;
}

export type Reader = (ctx: EvalContext) => Value;

/** What a field reads beyond the span itself: deciding and the per-element loop need to know. */
export type FieldLevel = 'span' | 'trace' | 'structure' | 'event' | 'link';

const str = (value: string): Value => ({ type: 'string', value });

const INTRINSIC_READERS: Record<CanonicalIntrinsic, Reader> = {
  'span:name': (c) => str(c.span.name),
  'span:kind': (c) => ({ type: 'kind', value: KIND_NAMES[c.span.kind] ?? 'unspecified' }),
  'span:status': (c) => ({ type: 'status', value: STATUS_NAMES[c.span.status.code] ?? 'unset' }),
  'span:statusMessage': (c) => str(c.span.status.message),
  'span:duration': (c) => ({ type: 'duration', value: c.span.endTimeUnixNano - c.span.startTimeUnixNano }),
  'span:id': (c) => str(c.span.spanId),
  'span:parentID': (c) => (c.span.parentSpanId === '' ? undefined : str(c.span.parentSpanId)),
  'span:childCount': (c) => ({ type: 'int', value: BigInt(c.trace.children(c.span).length) }),
  'trace:id': (c) => str(c.span.traceId),
  'trace:duration': (c) => ({ type: 'duration', value: c.trace.endNanos - c.trace.startNanos }),
  'trace:rootName': (c) => (c.trace.root === undefined ? undefined : str(c.trace.root.name)),
  'trace:rootService': (c) => attributeValue(c.trace.root?.resource.attributes.get('service.name')),
  'event:name': (c) => (c.event === undefined ? undefined : str(c.event.name)),
  'event:timeSinceStart': (c) => (c.event === undefined ? undefined : { type: 'duration', value: c.event.timeUnixNano - c.span.startTimeUnixNano }),
  'link:traceID': (c) => (c.link === undefined ? undefined : str(c.link.traceId)),
  'link:spanID': (c) => (c.link === undefined ? undefined : str(c.link.spanId)),
  'instrumentation:name': (c) => str(c.span.scope.name),
  'instrumentation:version': (c) => str(c.span.scope.version),
};

/** The canonical name of an intrinsic as written (`rootName` -> `trace:rootName`). */
export function canonicalIntrinsic(ref: IntrinsicRef): CanonicalIntrinsic {
  const info = intrinsicInfo(ref.name);
  if (info === undefined) throw new EvalCompileError('unresolved-field', `unknown intrinsic ${ref.name}`);
  return info.canonical;
}

/** What an intrinsic depends on. `trace:id` is fixed per span, so it counts as span-level. */
export function intrinsicLevel(c: CanonicalIntrinsic): FieldLevel {
  if (c === 'span:childCount') return 'structure';
  if (c === 'trace:id') return 'span';
  if (c.startsWith('trace:')) return 'trace';
  if (c.startsWith('event:')) return 'event';
  if (c.startsWith('link:')) return 'link';
  return 'span';
}

export function intrinsicReader(ref: IntrinsicRef): Reader {
  return INTRINSIC_READERS[canonicalIntrinsic(ref)];
}

export function attributeLevel(ref: AttributeRef): FieldLevel {
  return ref.scope === 'event' ? 'event' : ref.scope === 'link' ? 'link' : 'span';
}

export function attributeReader(ref: AttributeRef): Reader {
  const key = ref.name;
  switch (ref.scope) {
    case 'span': return (c) => attributeValue(spanAttribute(c.span, key));
    case 'resource': return (c) => attributeValue(c.span.resource.attributes.get(key));
    case 'instrumentation': return (c) => attributeValue(c.span.scope.attributes.get(key));
    case 'event': return (c) => attributeValue(c.event?.attributes.get(key));
    case 'link': return (c) => attributeValue(c.link?.attributes.get(key));
    case 'unscoped': return (c) => attributeValue(spanAttribute(c.span, key)) ?? attributeValue(c.span.resource.attributes.get(key));
  }
}
