/*
 * Span and trace ids: bytes on the protobuf wire, hex text in OTLP/JSON, lowercase hex in the model.
 * The validity rules live here so every decoder rejects the same spans with the same reasons.
 */

const HEX_BYTE: string[] = [];
for (let i = 0; i < 256; i++) HEX_BYTE.push(i.toString(16).padStart(2, '0'));

/** Lowercase hex of buf[start, end), without allocating a view for id-sized ranges. */
export function hexOf(buf: Uint8Array, start: number, end: number): string {
  // Ids are 8 or 16 bytes; a sender's oversized garbage goes through Buffer's native encoder.
  if (end - start > 32) return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('hex');
  let s = '';
  for (let i = start; i < end; i++) s += HEX_BYTE[buf[i]!]!;
  return s;
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
