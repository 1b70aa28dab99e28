import type protobuf from 'protobufjs';
import { emptyAttributes } from '@tracecheck/model';
import type { AnyValue, Attributes, InstrumentationScope, Resource, Span, SpanEvent, SpanLink } from '@tracecheck/model';
import { Rejections, spanPath } from './decode-result.js';
import type { DecodeResult } from './decode-result.js';
import { MAX_VALUE_DEPTH, spanKindOf, statusCodeOf } from './enums.js';
import { OtlpDecodeError } from './errors.js';
import { hexOf, invalidIdReason, normalizeParentId } from './ids.js';
import { createReader, longToBigInt, withDecodeErrors } from './proto-reader.js';
import { otlpTypes } from './schema.js';

/*
 * The generic decoder: protobufjs decodes the request into message objects from the schema
 * (schema.ts), then they are converted to model spans. Slower than the hand-written Reader decoder
 * (it builds every message twice over) but follows protobufjs's own reading of the wire format, so
 * the two cross-check each other.
 */

// The decoded message objects, as protobufjs builds them (camelCase names; absent messages are
// null, absent scalars the default from the prototype, 64-bit ints Long).
interface PbAnyValue {
  /** The oneof's virtual field: which member is set. */
  readonly value: string | undefined;
  readonly stringValue: string;
  readonly boolValue: boolean;
  readonly intValue: protobuf.Long | number;
  readonly doubleValue: number;
  readonly arrayValue: { readonly values: readonly PbAnyValue[] } | null;
  readonly kvlistValue: { readonly values: readonly PbKeyValue[] } | null;
  readonly bytesValue: Uint8Array;
}
interface PbKeyValue {
  readonly key: string;
  readonly value: PbAnyValue | null;
}
type Long64 = protobuf.Long | number;
interface PbEvent {
  readonly timeUnixNano: Long64;
  readonly name: string;
  readonly attributes: readonly PbKeyValue[];
  readonly droppedAttributesCount: number;
}
interface PbLink {
  readonly traceId: Uint8Array;
  readonly spanId: Uint8Array;
  readonly traceState: string;
  readonly attributes: readonly PbKeyValue[];
  readonly droppedAttributesCount: number;
  readonly flags: number;
}
interface PbSpan {
  readonly traceId: Uint8Array;
  readonly spanId: Uint8Array;
  readonly traceState: string;
  readonly parentSpanId: Uint8Array;
  readonly flags: number;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: Long64;
  readonly endTimeUnixNano: Long64;
  readonly attributes: readonly PbKeyValue[];
  readonly droppedAttributesCount: number;
  readonly events: readonly PbEvent[];
  readonly droppedEventsCount: number;
  readonly links: readonly PbLink[];
  readonly droppedLinksCount: number;
  readonly status: { readonly code: number; readonly message: string } | null;
}
interface PbScopeSpans {
  readonly scope: {
    readonly name: string;
    readonly version: string;
    readonly attributes: readonly PbKeyValue[];
    readonly droppedAttributesCount: number;
  } | null;
  readonly spans: readonly PbSpan[];
  readonly schemaUrl: string;
}
interface PbResourceSpans {
  readonly resource: { readonly attributes: readonly PbKeyValue[]; readonly droppedAttributesCount: number } | null;
  readonly scopeSpans: readonly PbScopeSpans[];
  readonly schemaUrl: string;
}
interface PbRequest {
  readonly resourceSpans: readonly PbResourceSpans[];
}

const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
const NO_LINKS: readonly SpanLink[] = Object.freeze([]);
const EMPTY_VALUE: AnyValue = Object.freeze({ type: 'empty' });

/**
 * Decodes a protobuf ExportTraceServiceRequest through protobufjs's generic message decoding. Same
 * result as decodeProtobufRequest (the hand-written decoder), slower; kept to cross-check it.
 */
export function decodeProtobufRequestGeneric(bytes: Uint8Array): DecodeResult {
  const reader = createReader(bytes);
  const request = withDecodeErrors(reader, () => otlpTypes.ExportTraceServiceRequest.decode(reader)) as unknown as PbRequest;
  const spans: Span[] = [];
  const rejections = new Rejections();
  request.resourceSpans.forEach((rs, rsIndex) => {
    const resource: Resource = {
      attributes: attributesOf(rs.resource?.attributes ?? [], 1),
      droppedAttributesCount: rs.resource?.droppedAttributesCount ?? 0,
      schemaUrl: rs.schemaUrl,
    };
    rs.scopeSpans.forEach((ss, ssIndex) => {
      const scope: InstrumentationScope = {
        name: ss.scope?.name ?? '',
        version: ss.scope?.version ?? '',
        attributes: attributesOf(ss.scope?.attributes ?? [], 1),
        droppedAttributesCount: ss.scope?.droppedAttributesCount ?? 0,
        schemaUrl: ss.schemaUrl,
      };
      ss.spans.forEach((s, spanIndex) => {
        const span = toSpan(s, resource, scope);
        const reason = invalidIdReason(span.traceId, span.spanId, span.parentSpanId);
        if (reason === undefined) spans.push({ ...span, parentSpanId: normalizeParentId(span.parentSpanId) });
        else rejections.reject(spanPath(rsIndex, ssIndex, spanIndex), reason);
      });
    });
  });
  return rejections.result(spans);
}

/** An id's hex; an absent bytes field is protobufjs's default, a plain empty array, not a Uint8Array. */
function hex(bytes: Uint8Array): string {
  return bytes.length === 0 ? '' : hexOf(bytes);
}

function toSpan(s: PbSpan, resource: Resource, scope: InstrumentationScope): Span {
  return {
    traceId: hex(s.traceId),
    spanId: hex(s.spanId),
    parentSpanId: hex(s.parentSpanId),
    traceState: s.traceState,
    flags: s.flags,
    name: s.name,
    kind: spanKindOf(s.kind),
    startTimeUnixNano: longToBigInt(s.startTimeUnixNano, true),
    endTimeUnixNano: longToBigInt(s.endTimeUnixNano, true),
    attributes: attributesOf(s.attributes, 1),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.length === 0 ? NO_EVENTS : s.events.map(toEvent),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.length === 0 ? NO_LINKS : s.links.map(toLink),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: statusCodeOf(s.status?.code ?? 0), message: s.status?.message ?? '' },
    resource,
    scope,
  };
}

function toEvent(e: PbEvent): SpanEvent {
  return {
    timeUnixNano: longToBigInt(e.timeUnixNano, true),
    name: e.name,
    attributes: attributesOf(e.attributes, 1),
    droppedAttributesCount: e.droppedAttributesCount,
  };
}

function toLink(l: PbLink): SpanLink {
  return {
    traceId: hex(l.traceId),
    spanId: hex(l.spanId),
    traceState: l.traceState,
    attributes: attributesOf(l.attributes, 1),
    droppedAttributesCount: l.droppedAttributesCount,
    flags: l.flags,
  };
}

/** KeyValues to attributes; `level` is the nesting level of their values (1 at the top). */
function attributesOf(list: readonly PbKeyValue[], level: number): Attributes {
  if (list.length === 0) return emptyAttributes;
  return kvMap(list, level);
}

function kvMap(list: readonly PbKeyValue[], level: number): Map<string, AnyValue> {
  const map = new Map<string, AnyValue>();
  for (const kv of list) map.set(kv.key, kv.value === null ? EMPTY_VALUE : anyValueOf(kv.value, level));
  return map;
}

function anyValueOf(v: PbAnyValue, level: number): AnyValue {
  if (level > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  switch (v.value) {
    case 'stringValue':
      return { type: 'string', value: v.stringValue };
    case 'boolValue':
      return { type: 'bool', value: v.boolValue };
    case 'intValue':
      return { type: 'int', value: longToBigInt(v.intValue, false) };
    case 'doubleValue':
      return { type: 'double', value: v.doubleValue };
    case 'bytesValue':
      return { type: 'bytes', value: new Uint8Array(v.bytesValue) };
    case 'arrayValue':
      return { type: 'array', value: v.arrayValue!.values.map((x) => anyValueOf(x, level + 1)) };
    case 'kvlistValue':
      return { type: 'kvlist', value: kvMap(v.kvlistValue!.values, level + 1) };
    default:
      return EMPTY_VALUE;
  }
}
