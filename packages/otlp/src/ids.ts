/*
 * Span and trace ids: bytes on the protobuf wire, hex text in OTLP/JSON, lowercase hex in the model.
 * The validity rules live here so every decoder rejects the same spans with the same reasons.
 */

/** Lowercase hex of some bytes (a view, not a copy). */
export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const HEX_TEXT = /^(?:[0-9a-fA-F]{2})*$/;

/** Whether an OTLP/JSON id is hex bytes (an even number of hex digits, either case). */
export function isHexId(text: string): boolean {
  return HEX_TEXT.test(text);
}

/** Normalizes an OTLP/JSON id (hex, either case); undefined when the text is not hex bytes. */
export function normalizeHexId(text: string): string | undefined {
  return isHexId(text) ? text.toLowerCase() : undefined;
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

/**
 * Why a span of an OTLP/JSON request is rejected for its ids (hex text, either case; `linkIdsHex`:
 * whether every link id of the span is hex), or undefined when they are fine.
 */
export function jsonIdRejection(traceId: string, spanId: string, parentSpanId: string, linkIdsHex: boolean): string | undefined {
  const notHex = !isHexId(traceId) ? 'traceId' : !isHexId(spanId) ? 'spanId' : !isHexId(parentSpanId) ? 'parentSpanId' : linkIdsHex ? undefined : 'a link id';
  if (notHex !== undefined) return `${notHex} is not hex`;
  // Length and all-zero checks read the same in either case of hex.
  return invalidIdReason(traceId, spanId, parentSpanId);
}

/** The model's parent id: '' for no parent, which OTel also spells as 8 zero bytes. */
export function normalizeParentId(parentSpanId: string): string {
  return parentSpanId === ZERO_SPAN_ID ? '' : parentSpanId;
}
