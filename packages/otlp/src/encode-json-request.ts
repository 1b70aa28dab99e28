import { attributesToJson as keyValues, type Span, type SpanEvent, type SpanLink } from '@tracecheck/model';
import { groupSpans } from './group-spans.js';

/*
 * Model spans -> OTLP/JSON ExportTraceServiceRequest (the Collector file exporter's line format).
 * Fields at their default value are left out, as the proto3 JSON mapping does.
 */

/** An OTLP/JSON ExportTraceServiceRequest as this encoder writes it (a subset of what decodes). */
export interface JsonExportTraceServiceRequest {
  resourceSpans: JsonResourceSpans[];
}

/** OTLP/JSON ResourceSpans. Nested messages are plain JSON objects. */
export interface JsonResourceSpans {
  resource: { attributes: object[]; droppedAttributesCount?: number };
  scopeSpans: { scope: object; spans: object[]; schemaUrl?: string }[];
  schemaUrl?: string;
}

/** Copies the entries whose value is not the proto3 default ('' , 0, empty list). */
function withoutDefaults(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === '' || v === 0 || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

function event(e: SpanEvent): object {
  return withoutDefaults({
    timeUnixNano: e.timeUnixNano.toString(),
    name: e.name,
    attributes: keyValues(e.attributes),
    droppedAttributesCount: e.droppedAttributesCount,
  });
}

function link(l: SpanLink): object {
  return withoutDefaults({
    traceId: l.traceId,
    spanId: l.spanId,
    traceState: l.traceState,
    attributes: keyValues(l.attributes),
    droppedAttributesCount: l.droppedAttributesCount,
    flags: l.flags,
  });
}

function span(s: Span): object {
  const out = withoutDefaults({
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    traceState: s.traceState,
    flags: s.flags,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: s.endTimeUnixNano.toString(),
    attributes: keyValues(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map(event),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map(link),
    droppedLinksCount: s.droppedLinksCount,
  });
  if (s.status.code !== 0 || s.status.message !== '') out['status'] = withoutDefaults({ code: s.status.code, message: s.status.message });
  return out;
}

/** The OTLP/JSON request object for spans, grouped by their shared resource and scope objects. */
export function jsonRequest(spans: readonly Span[]): JsonExportTraceServiceRequest {
  return {
    resourceSpans: groupSpans(spans).map((g) => ({
      resource: withoutDefaults({
        attributes: keyValues(g.resource.attributes),
        droppedAttributesCount: g.resource.droppedAttributesCount,
      }) as JsonResourceSpans['resource'],
      ...withoutDefaults({ schemaUrl: g.resource.schemaUrl }),
      scopeSpans: g.scopes.map((sg) => ({
        scope: withoutDefaults({
          name: sg.scope.name,
          version: sg.scope.version,
          attributes: keyValues(sg.scope.attributes),
          droppedAttributesCount: sg.scope.droppedAttributesCount,
        }),
        ...withoutDefaults({ schemaUrl: sg.scope.schemaUrl }),
        spans: sg.spans.map(span),
      })),
    })),
  };
}

/** Encodes spans as OTLP/JSON request text (one line, so it also serves JSON-lines files). */
export function encodeJsonRequest(spans: readonly Span[]): string {
  return JSON.stringify(jsonRequest(spans));
}
