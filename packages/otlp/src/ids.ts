/*
 * Span and trace ids: bytes on the protobuf wire, hex text in OTLP/JSON, lowercase hex in the model.
 * The validity rules live here so every decoder rejects the same spans with the same reasons.
 */

/** Lowercase hex of some bytes (a view, not a copy). */
export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const HEX_TEXT = /^(?:[0-9a-fA-F]{2})*$/;

/** Normalizes an OTLP/JSON id (hex, either case); undefined when the text is not hex bytes. */
export function normalizeHexId(text: string): string | undefined {
  return HEX_TEXT.test(text) ? text.toLowerCase() : undefined;
}

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/**
 * Why a span's ids (lowercase hex of whatever bytes arrived) make it unusable, or undefined when they
 * are fine. A parent id of 8 zero bytes is the OTel "invalid span id", i.e. no parent: the caller
 * stores it as '' (normalizeParentId).
 */
export function invalidIdReason(traceId: string, spanId: string, parentSpanId: string): string | undefined {
  if (traceId.length !== 32) return `traceId must be 16 bytes, got ${traceId.length / 2}`;
  if (traceId === ZERO_TRACE_ID) return 'traceId is all zeros';
  if (spanId.length !== 16) return `spanId must be 8 bytes, got ${spanId.length / 2}`;
  if (spanId === ZERO_SPAN_ID) return 'spanId is all zeros';
  if (parentSpanId !== '' && parentSpanId.length !== 16) {
    return `parentSpanId must be 8 bytes when present, got ${parentSpanId.length / 2}`;
  }
  return undefined;
}

/** The model's parent id: '' for no parent, which OTel also spells as 8 zero bytes. */
export function normalizeParentId(parentSpanId: string): string {
  return parentSpanId === ZERO_SPAN_ID ? '' : parentSpanId;
}
