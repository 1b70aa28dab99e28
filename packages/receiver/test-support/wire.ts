/*
 * A minimal protobuf wire-format reader, so tests can look inside the receiver's binary answers
 * (google.rpc.Status, RetryInfo, partial success) without a schema: field number -> values, varints
 * as numbers and length-delimited fields as bytes.
 */

export type WireFields = Map<number, (number | Uint8Array)[]>;

export function readFields(bytes: Uint8Array): WireFields {
  const fields: WireFields = new Map();
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) throw new Error('truncated varint');
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    let value: number | Uint8Array;
    if (wireType === 0) value = varint();
    else if (wireType === 2) {
      const len = varint();
      value = bytes.subarray(pos, pos + len);
      pos += len;
    } else throw new Error(`wire type ${wireType} not supported by this test reader`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

/** The one value of `field`, as a number (varint) or text (length-delimited). */
export function fieldNumber(fields: WireFields, field: number): number | undefined {
  const v = fields.get(field)?.[0];
  return typeof v === 'number' ? v : undefined;
}

export function fieldText(fields: WireFields, field: number): string | undefined {
  const v = fields.get(field)?.[0];
  return v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : undefined;
}

export function fieldBytes(fields: WireFields, field: number): Uint8Array | undefined {
  const v = fields.get(field)?.[0];
  return v instanceof Uint8Array ? v : undefined;
}

/** A decoded google.rpc.Status with its RetryInfo delay, if it carries one. */
export function readRpcStatus(bytes: Uint8Array): { code: number; message: string; retryDelaySeconds?: number } {
  const status = readFields(bytes);
  const out: { code: number; message: string; retryDelaySeconds?: number } = {
    code: fieldNumber(status, 1) ?? 0,
    message: fieldText(status, 2) ?? '',
  };
  for (const detail of status.get(3) ?? []) {
    const any = readFields(detail as Uint8Array);
    if (fieldText(any, 1) !== 'type.googleapis.com/google.rpc.RetryInfo') continue;
    const duration = fieldBytes(readFields(fieldBytes(any, 2)!), 1)!;
    out.retryDelaySeconds = fieldNumber(readFields(duration), 1) ?? 0;
  }
  return out;
}

/** A decoded ExportTraceServiceResponse.partial_success; zeros when absent. */
export function readPartialSuccess(bytes: Uint8Array): { rejectedSpans: number; errorMessage: string } {
  const partial = fieldBytes(readFields(bytes), 1);
  if (partial === undefined) return { rejectedSpans: 0, errorMessage: '' };
  const f = readFields(partial);
  return { rejectedSpans: fieldNumber(f, 1) ?? 0, errorMessage: fieldText(f, 2) ?? '' };
}
