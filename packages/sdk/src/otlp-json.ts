import type { AttributeValue, HrTime } from '@opentelemetry/api';
import type { EndedSpan } from './span-types.js';

// A small OTLP/JSON encoder for the last-resort export on process exit (exit-rescue.ts), which must
// encode synchronously without the exporters' internals. The exporters do all other encoding.

type JsonValue = Record<string, unknown>;

function anyValue(value: unknown): JsonValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return {};
}

function keyValues(attributes: Readonly<Record<string, AttributeValue | undefined>> | undefined): JsonValue[] {
  if (!attributes) return [];
  return Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => ({ key, value: anyValue(v) }));
}

function nanos(time: HrTime | undefined): string {
  if (!time) return '0';
  return (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();
}

function spanJson(span: EndedSpan): JsonValue {
  const ctx = span.spanContext();
  const parent = span.parentSpanContext?.spanId ?? span.parentSpanId;
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    ...(ctx.traceState ? { traceState: ctx.traceState.serialize() } : {}),
    flags: ctx.traceFlags,
    name: span.name,
    // The API numbers kinds from INTERNAL = 0; OTLP from UNSPECIFIED = 0.
    kind: (span.kind ?? 0) + 1,
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    attributes: keyValues(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount ?? 0,
    events: span.events.map((e) => ({ timeUnixNano: nanos(e.time), name: e.name, attributes: keyValues(e.attributes) })),
    droppedEventsCount: span.droppedEventsCount ?? 0,
    links: (span.links ?? []).map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, flags: l.context.traceFlags, attributes: keyValues(l.attributes) })),
    droppedLinksCount: span.droppedLinksCount ?? 0,
    status: { code: span.status?.code ?? 0, ...(span.status?.message ? { message: span.status.message } : {}) },
  };
}

/** An OTLP/JSON ExportTraceServiceRequest for `spans`, grouped by resource and scope as the SDK groups them. */
export function encodeOtlpJson(spans: readonly EndedSpan[]): string {
  const byResource = new Map<unknown, Map<string, { scope: EndedSpan['instrumentationScope']; spans: JsonValue[] }>>();
  for (const span of spans) {
    let scopes = byResource.get(span.resource);
    if (!scopes) byResource.set(span.resource, (scopes = new Map()));
    const scope = span.instrumentationScope;
    const key = `${scope?.name ?? ''}@${scope?.version ?? ''}`;
    let entry = scopes.get(key);
    if (!entry) scopes.set(key, (entry = { scope, spans: [] }));
    entry.spans.push(spanJson(span));
  }
  const resourceSpans = [...byResource].map(([resource, scopes]) => ({
    resource: { attributes: keyValues((resource as { attributes?: Record<string, AttributeValue> } | undefined)?.attributes) },
    scopeSpans: [...scopes.values()].map(({ scope, spans: list }) => ({
      scope: { name: scope?.name ?? '', ...(scope?.version ? { version: scope.version } : {}) },
      spans: list,
    })),
  }));
  return JSON.stringify({ resourceSpans });
}
