/** Where in a request decoding stopped: a byte offset (protobuf) or a field path (OTLP/JSON). */
export interface DecodeErrorLocation {
  readonly offset?: number;
  readonly path?: string;
}

/**
 * A request that is not a well-formed OTLP ExportTraceServiceRequest (garbage bytes, truncated
 * protobuf, wrong JSON types). The receiver answers 400 / INVALID_ARGUMENT and stores nothing from
 * it. The message says what and where: `truncated message at offset 12`,
 * `resourceSpans[0].scopeSpans[0].spans[2].name: expected a string, got 5`.
 */
export class OtlpDecodeError extends Error {
  readonly code = 'OTLP_DECODE';
  /** What is wrong, without the location. */
  readonly reason: string;
  /** Byte offset in a protobuf request, when known. */
  readonly offset: number | undefined;
  /** Field path in an OTLP/JSON request, when known. */
  readonly path: string | undefined;

  constructor(reason: string, location: DecodeErrorLocation = {}) {
    super(renderMessage(reason, location));
    this.name = 'OtlpDecodeError';
    this.reason = reason;
    this.offset = location.offset;
    this.path = location.path;
  }
}

function renderMessage(reason: string, { offset, path }: DecodeErrorLocation): string {
  if (path !== undefined) return `${path}: ${reason}`;
  if (offset !== undefined) return `${reason} at offset ${offset}`;
  return reason;
}
