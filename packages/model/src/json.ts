import type { AnyValue, Attributes } from './attributes.js';
import type { Span } from './span.js';

/** An AnyValue in OTLP/JSON form: ints as decimal strings, bytes as base64, types explicit. */
export type JsonAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string }
  | { bytesValue: string }
  | { arrayValue: { values: JsonAnyValue[] } }
  | { kvlistValue: { values: JsonKeyValue[] } }
  | Record<string, never>;

export interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}

/**
 * A span as the query API returns it: ids lowercase hex, times as decimal strings of nanoseconds (a
 * JSON number cannot hold every int64 exactly), as in OTLP/JSON.
 */
export interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: JsonKeyValue[];
  droppedAttributesCount: number;
  events: { timeUnixNano: string; name: string; attributes: JsonKeyValue[]; droppedAttributesCount: number }[];
  droppedEventsCount: number;
  links: {
    traceId: string;
    spanId: string;
    traceState: string;
    attributes: JsonKeyValue[];
    droppedAttributesCount: number;
    flags: number;
  }[];
  droppedLinksCount: number;
  status: { code: number; message: string };
  resource: { attributes: JsonKeyValue[]; droppedAttributesCount: number; schemaUrl: string };
  scope: { name: string; version: string; attributes: JsonKeyValue[]; droppedAttributesCount: number; schemaUrl: string };
}

/**
 * Non-finite doubles have no JSON number form; OTLP/JSON (proto3 mapping) spells them as strings.
 * So is -0, which JSON.stringify would print as 0.
 */
function jsonDouble(n: number): number | string {
  if (Object.is(n, -0)) return '-0';
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

export function anyValueToJson(v: AnyValue): JsonAnyValue {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'int':
      return { intValue: v.value.toString() };
    case 'double':
      return { doubleValue: jsonDouble(v.value) };
    case 'bytes':
      return { bytesValue: Buffer.from(v.value.buffer, v.value.byteOffset, v.value.byteLength).toString('base64') };
    case 'array':
      return { arrayValue: { values: v.value.map(anyValueToJson) } };
    case 'kvlist':
      return { kvlistValue: { values: attributesToJson(v.value) } };
    case 'empty':
      return {};
  }
}

export function attributesToJson(a: Attributes): JsonKeyValue[] {
  const out: JsonKeyValue[] = [];
  for (const [key, value] of a) out.push({ key, value: anyValueToJson(value) });
  return out;
}

/** Serializes a span for the query API, keeping every attribute's type. */
export function spanToJson(s: Span): JsonSpan {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    traceState: s.traceState,
    flags: s.flags,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: s.endTimeUnixNano.toString(),
    attributes: attributesToJson(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({
      timeUnixNano: e.timeUnixNano.toString(),
      name: e.name,
      attributes: attributesToJson(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount,
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map((l) => ({
      traceId: l.traceId,
      spanId: l.spanId,
      traceState: l.traceState,
      attributes: attributesToJson(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount,
      flags: l.flags,
    })),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: s.status.code, message: s.status.message },
    resource: {
      attributes: attributesToJson(s.resource.attributes),
      droppedAttributesCount: s.resource.droppedAttributesCount,
      schemaUrl: s.resource.schemaUrl,
    },
    scope: {
      name: s.scope.name,
      version: s.scope.version,
      attributes: attributesToJson(s.scope.attributes),
      droppedAttributesCount: s.scope.droppedAttributesCount,
      schemaUrl: s.scope.schemaUrl,
    },
  };
}
