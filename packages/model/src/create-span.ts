import { type Attributes, emptyAttributes, toAttributes } from './attributes.js';
import type { InstrumentationScope, Resource, Span, SpanEvent, SpanKind, SpanLink, StatusCode } from './span.js';

/** What `createSpan` needs; everything but the ids has a default. Attributes may be plain objects. */
export interface SpanInit {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name?: string;
  kind?: SpanKind;
  startTimeUnixNano?: bigint;
  endTimeUnixNano?: bigint;
  attributes?: Attributes | Record<string, unknown>;
  events?: { timeUnixNano?: bigint; name: string; attributes?: Attributes | Record<string, unknown> }[];
  links?: { traceId: string; spanId: string; attributes?: Attributes | Record<string, unknown> }[];
  status?: { code: StatusCode; message?: string };
  resource?: Resource;
  scope?: InstrumentationScope;
}

function attrs(a: Attributes | Record<string, unknown> | undefined): Attributes {
  if (a === undefined) return emptyAttributes;
  return a instanceof Map ? a : toAttributes(a as Record<string, unknown>);
}

/** Builds a resource from plain attributes (fixtures, the file mode of the CLI, tests). */
export function createResource(attributes: Record<string, unknown> = {}): Resource {
  return { attributes: toAttributes(attributes), droppedAttributesCount: 0, schemaUrl: '' };
}

const defaultResource = createResource({ 'service.name': 'unknown_service' });
const defaultScope: InstrumentationScope = { name: '', version: '', attributes: emptyAttributes, droppedAttributesCount: 0, schemaUrl: '' };

/** Builds a model span with defaults for what a fixture does not care about. */
export function createSpan(init: SpanInit): Span {
  const start = init.startTimeUnixNano ?? 1_000_000_000n;
  const events: SpanEvent[] = (init.events ?? []).map((e) => ({
    timeUnixNano: e.timeUnixNano ?? start,
    name: e.name,
    attributes: attrs(e.attributes),
    droppedAttributesCount: 0,
  }));
  const links: SpanLink[] = (init.links ?? []).map((l) => ({
    traceId: l.traceId,
    spanId: l.spanId,
    traceState: '',
    attributes: attrs(l.attributes),
    droppedAttributesCount: 0,
    flags: 0,
  }));
  return {
    traceId: init.traceId,
    spanId: init.spanId,
    parentSpanId: init.parentSpanId ?? '',
    traceState: '',
    flags: 1,
    name: init.name ?? 'span',
    kind: init.kind ?? 1,
    startTimeUnixNano: start,
    endTimeUnixNano: init.endTimeUnixNano ?? start + 1_000_000n,
    attributes: attrs(init.attributes),
    droppedAttributesCount: 0,
    events,
    droppedEventsCount: 0,
    links,
    droppedLinksCount: 0,
    status: { code: init.status?.code ?? 0, message: init.status?.message ?? '' },
    resource: init.resource ?? defaultResource,
    scope: init.scope ?? defaultScope,
  };
}
