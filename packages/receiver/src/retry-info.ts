/*
 * The `google.rpc.RetryInfo` detail that makes a gRPC RESOURCE_EXHAUSTED retryable: the OTLP/gRPC
 * spec lets clients retry that code only when the server attaches RetryInfo to the status in
 * `grpc-status-details-bin`. Four fixed, tiny messages, so they are written by hand here rather
 * than through a schema.
 */

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** A length-delimited field (wire type 2). */
function lengthDelimited(field: number, bytes: Uint8Array): Uint8Array {
  return Uint8Array.from([...varint((field << 3) | 2), ...varint(bytes.length), ...bytes]);
}

/**
 * The bytes of `details` (field 3 of google.rpc.Status) holding an Any wrapping RetryInfo with the
 * given delay. Protobuf merges concatenated fields, so appending these bytes to an encoded Status
 * adds the detail to it.
 */
export function retryInfoDetailField(delaySeconds: number): Uint8Array {
  const duration = Uint8Array.from([0x08, ...varint(Math.max(0, Math.floor(delaySeconds)))]); // Duration.seconds = 1
  const retryInfo = lengthDelimited(1, duration); // RetryInfo.retry_delay = 1
  const any = new Uint8Array([
    ...lengthDelimited(1, new TextEncoder().encode(RETRY_INFO_TYPE_URL)), // Any.type_url = 1
    ...lengthDelimited(2, retryInfo), // Any.value = 2
  ]);
  return lengthDelimited(3, any);
}
