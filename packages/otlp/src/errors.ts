/**
 * A request that is not a well-formed OTLP ExportTraceServiceRequest (garbage bytes, truncated
 * protobuf, wrong JSON types). The receiver answers 400 / INVALID_ARGUMENT and stores nothing from
 * it. The message says where decoding stopped: a byte offset for protobuf, a field path for JSON.
 */
export class OtlpDecodeError extends Error {
  readonly code = 'OTLP_DECODE';

  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}
