import { SpanKind, StatusCode } from '@tracecheck/model';

/*
 * OTLP enums are open: a newer sender may use a value this version does not know. The model only has
 * the known values, so an unknown kind reads as UNSPECIFIED and an unknown status code as UNSET, the
 * same in every decoder.
 */

/** The model's span kind for an OTLP SpanKind number. */
export function spanKindOf(n: number): SpanKind {
  return n >= SpanKind.UNSPECIFIED && n <= SpanKind.CONSUMER ? (n as SpanKind) : SpanKind.UNSPECIFIED;
}

/** The model's status code for an OTLP StatusCode number. */
export function statusCodeOf(n: number): StatusCode {
  return n === StatusCode.OK || n === StatusCode.ERROR ? n : StatusCode.UNSET;
}

/** Enum names OTLP/JSON senders sometimes use although the spec asks for numbers. */
export const SPAN_KIND_NAMES: ReadonlyMap<string, SpanKind> = new Map([
  ['SPAN_KIND_UNSPECIFIED', SpanKind.UNSPECIFIED],
  ['SPAN_KIND_INTERNAL', SpanKind.INTERNAL],
  ['SPAN_KIND_SERVER', SpanKind.SERVER],
  ['SPAN_KIND_CLIENT', SpanKind.CLIENT],
  ['SPAN_KIND_PRODUCER', SpanKind.PRODUCER],
  ['SPAN_KIND_CONSUMER', SpanKind.CONSUMER],
]);

export const STATUS_CODE_NAMES: ReadonlyMap<string, StatusCode> = new Map([
  ['STATUS_CODE_UNSET', StatusCode.UNSET],
  ['STATUS_CODE_OK', StatusCode.OK],
  ['STATUS_CODE_ERROR', StatusCode.ERROR],
]);

/**
 * How deeply attribute values may nest (an array in a kvlist in an array ...). Real telemetry nests
 * a few levels; the cap keeps a hostile request from exhausting the stack in any decoder.
 */
export const MAX_VALUE_DEPTH = 32;
