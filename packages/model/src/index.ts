export type { AnyValue, Attributes } from './attributes.js';
export { anyValueEquals, attributesEqual, emptyAttributes, toAnyValue, toAttributes } from './attributes.js';
export type { InstrumentationScope, Resource, Span, SpanEvent, SpanLink, SpanStatus } from './span.js';
export { RUN_ID_ATTRIBUTE, SpanKind, StatusCode, taggedRunId } from './span.js';
export type { JsonAnyValue, JsonKeyValue, JsonSpan } from './json.js';
export { anyValueToJson, attributesToJson, spanToJson } from './json.js';
