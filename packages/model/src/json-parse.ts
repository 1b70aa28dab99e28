import type { AnyValue, Attributes } from './attributes.js';
import type { JsonAnyValue, JsonKeyValue, JsonSpan } from './json.js';
import type { InstrumentationScope, Resource, Span, SpanKind, StatusCode } from './span.js';

/** Reads back an AnyValue the query API wrote (`anyValueToJson`), keeping its type. */
export function anyValueFromJson(v: JsonAnyValue): AnyValue {
  const o = v as Record<string, unknown>;
  if ('stringValue' in o) return { type: 'string', value: String(o.stringValue) };
  if ('boolValue' in o) return { type: 'bool', value: Boolean(o.boolValue) };
  if ('intValue' in o) return { type: 'int', value: BigInt(o.intValue as string) };
  if ('doubleValue' in o) return { type: 'double', value: Number(o.doubleValue) };
  if ('bytesValue' in o) return { type: 'bytes', value: new Uint8Array(Buffer.from(String(o.bytesValue), 'base64')) };
  if ('arrayValue' in o) return { type: 'array', value: ((o.arrayValue as { values?: JsonAnyValue[] }).values ?? []).map(anyValueFromJson) };
  if ('kvlistValue' in o) return { type: 'kvlist', value: attributesFromJson((o.kvlistValue as { values?: JsonKeyValue[] }).values ?? []) };
  return { type: 'empty' };
}

export function attributesFromJson(list: readonly JsonKeyValue[]): Attributes {
  return new Map(list.map((kv) => [kv.key, anyValueFromJson(kv.value)]));
}

/**
 * Reads back spans the query API wrote (`spanToJson`). Resource and scope objects are shared
 * between spans that had equal ones, as in the store, so a client holds them once.
 */
export function spansFromJson(list: readonly JsonSpan[]): Span[] {
  const resources = new Map<string, Resource>();
  const scopes = new Map<string, InstrumentationScope>();
  return list.map((s) => {
    const rKey = JSON.stringify(s.resource);
    let resource = resources.get(rKey);
    if (!resource) {
      resource = { attributes: attributesFromJson(s.resource.attributes), droppedAttributesCount: s.resource.droppedAttributesCount, schemaUrl: s.resource.schemaUrl };
      resources.set(rKey, resource);
    }
    const sKey = JSON.stringify(s.scope);
    let scope = scopes.get(sKey);
    if (!scope) {
      scope = { ...s.scope, attributes: attributesFromJson(s.scope.attributes) };
      scopes.set(sKey, scope);
    }
    return {
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      traceState: s.traceState,
      flags: s.flags,
      name: s.name,
      kind: s.kind as SpanKind,
      startTimeUnixNano: BigInt(s.startTimeUnixNano),
      endTimeUnixNano: BigInt(s.endTimeUnixNano),
      attributes: attributesFromJson(s.attributes),
      droppedAttributesCount: s.droppedAttributesCount,
      events: s.events.map((e) => ({ ...e, timeUnixNano: BigInt(e.timeUnixNano), attributes: attributesFromJson(e.attributes) })),
      droppedEventsCount: s.droppedEventsCount,
      links: s.links.map((l) => ({ ...l, attributes: attributesFromJson(l.attributes) })),
      droppedLinksCount: s.droppedLinksCount,
      status: { code: s.status.code as StatusCode, message: s.status.message },
      resource,
      scope,
    };
  });
}
