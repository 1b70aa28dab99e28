import type { AnyValue, Attributes, Span, SpanEvent, SpanLink } from '@tracecheck/model';
import { groupSpans } from './group-spans.js';
import { otlpTypes } from './schema.js';

/*
 * Model spans -> protobuf ExportTraceServiceRequest, through the schema's generic encoder. For tests,
 * benchmarks and tools that replay spans; the receiver itself never encodes requests.
 */

/** 64-bit values as the low/high halves protobufjs's writer takes (it accepts any {low, high}). */
function long(v: bigint): { low: number; high: number } {
  return { low: Number(v & 0xffff_ffffn) | 0, high: Number((v >> 32n) & 0xffff_ffffn) | 0 };
}

function idBytes(hex: string): Uint8Array {
  return Buffer.from(hex, 'hex');
}

function anyValue(v: AnyValue): object {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'int':
      return { intValue: long(v.value) };
    case 'double':
      return { doubleValue: v.value };
    case 'bytes':
      return { bytesValue: v.value };
    case 'array':
      return { arrayValue: { values: v.value.map(anyValue) } };
    case 'kvlist':
      return { kvlistValue: { values: keyValues(v.value) } };
    case 'empty':
      return {};
  }
}

function keyValues(attributes: Attributes): object[] {
  const out: object[] = [];
  for (const [key, value] of attributes) out.push({ key, value: anyValue(value) });
  return out;
}

function event(e: SpanEvent): object {
  return {
    timeUnixNano: long(e.timeUnixNano),
    name: e.name,
    attributes: keyValues(e.attributes),
    droppedAttributesCount: e.droppedAttributesCount,
  };
}

function link(l: SpanLink): object {
  return {
    traceId: idBytes(l.traceId),
    spanId: idBytes(l.spanId),
    traceState: l.traceState,
    attributes: keyValues(l.attributes),
    droppedAttributesCount: l.droppedAttributesCount,
    flags: l.flags,
  };
}

function span(s: Span): object {
  return {
    traceId: idBytes(s.traceId),
    spanId: idBytes(s.spanId),
    traceState: s.traceState,
    parentSpanId: idBytes(s.parentSpanId),
    flags: s.flags,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: long(s.startTimeUnixNano),
    endTimeUnixNano: long(s.endTimeUnixNano),
    attributes: keyValues(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map(event),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map(link),
    droppedLinksCount: s.droppedLinksCount,
    status: s.status.code === 0 && s.status.message === '' ? null : { code: s.status.code, message: s.status.message },
  };
}

/**
 * Encodes spans as a protobuf ExportTraceServiceRequest, one ResourceSpans per distinct resource
 * object and one ScopeSpans per distinct scope object; decoding the bytes gives the spans back.
 */
export function encodeProtobufRequest(spans: readonly Span[]): Uint8Array {
  const request = {
    resourceSpans: groupSpans(spans).map((g) => ({
      resource: { attributes: keyValues(g.resource.attributes), droppedAttributesCount: g.resource.droppedAttributesCount },
      schemaUrl: g.resource.schemaUrl,
      scopeSpans: g.scopes.map((sg) => ({
        scope: {
          name: sg.scope.name,
          version: sg.scope.version,
          attributes: keyValues(sg.scope.attributes),
          droppedAttributesCount: sg.scope.droppedAttributesCount,
        },
        schemaUrl: sg.scope.schemaUrl,
        spans: sg.spans.map(span),
      })),
    })),
  };
  return otlpTypes.ExportTraceServiceRequest.encode(request).finish();
}
