import type { AnyValue, Attributes } from './attributes.js';
import type { Span } from './span.js';

// Rough V8 costs, in bytes: the memory cap needs a stable, cheap estimate, not an exact count.
// bench/ measures real heap per stored span against this estimate.
const OBJECT = 64;
const MAP_ENTRY = 48;
const STRING = 16;

function stringBytes(s: string): number {
  return STRING + s.length * 2;
}

function valueBytes(v: AnyValue): number {
  switch (v.type) {
    case 'string':
      return OBJECT + stringBytes(v.value);
    case 'bytes':
      return OBJECT + 64 + v.value.byteLength;
    case 'array':
      return OBJECT + v.value.reduce((n, x) => n + 8 + valueBytes(x), 0);
    case 'kvlist':
      return OBJECT + estimateAttributesBytes(v.value);
    default:
      return OBJECT;
  }
}

/** Estimated memory of decoded attributes (a resource's, a scope's): what a store charges for them. */
export function estimateAttributesBytes(a: Attributes): number {
  let n = OBJECT;
  for (const [k, v] of a) n += MAP_ENTRY + stringBytes(k) + valueBytes(v);
  return n;
}

/**
 * Estimated memory a stored span holds, for the store's memory cap. Resource and scope objects are
 * shared by the spans of a batch, so each span is charged a share, not the whole.
 */
export function estimateSpanBytes(span: Span): number {
  let n = 3 * OBJECT + 256; // span, status, store record and index entries
  n += stringBytes(span.traceId) + stringBytes(span.spanId) + stringBytes(span.parentSpanId);
  n += stringBytes(span.name) + stringBytes(span.traceState) + stringBytes(span.status.message);
  n += estimateAttributesBytes(span.attributes);
  for (const e of span.events) n += OBJECT + stringBytes(e.name) + estimateAttributesBytes(e.attributes);
  for (const l of span.links) n += OBJECT + stringBytes(l.traceId) + stringBytes(l.spanId) + estimateAttributesBytes(l.attributes);
  return n;
}
