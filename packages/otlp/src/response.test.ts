import { describe, expect, it } from 'vitest';
import { encodeProtobufResponse, encodeProtobufStatus, jsonResponse, jsonResponseObject, jsonStatus } from './index.js';
import { otlpTypes } from './schema.js';

describe('export responses', () => {
  it('are empty on full success, as the spec requires partial_success unset', () => {
    expect(encodeProtobufResponse({ rejectedSpans: 0, errorMessage: '' })).toHaveLength(0);
    expect(JSON.parse(jsonResponse({ rejectedSpans: 0, errorMessage: '' }))).toEqual({});
  });

  it('carry the rejected count and message on partial success', () => {
    const bytes = encodeProtobufResponse({ rejectedSpans: 3, errorMessage: 'rejected 3 spans' });
    const decoded = otlpTypes.ExportTraceServiceResponse.toObject(otlpTypes.ExportTraceServiceResponse.decode(bytes), { longs: String });
    expect(decoded).toEqual({ partialSuccess: { rejectedSpans: '3', errorMessage: 'rejected 3 spans' } });
    expect(JSON.parse(jsonResponse({ rejectedSpans: 3, errorMessage: 'rejected 3 spans' }))).toEqual({
      partialSuccess: { rejectedSpans: '3', errorMessage: 'rejected 3 spans' },
    });
    expect(jsonResponseObject({ rejectedSpans: 1, errorMessage: '' })).toEqual({ partialSuccess: { rejectedSpans: '1', errorMessage: '' } });
  });
});

describe('error bodies (google.rpc.Status)', () => {
  it('encode code and message in protobuf and JSON', () => {
    const status = { code: 3, message: 'truncated message at offset 12' };
    const decoded = otlpTypes.RpcStatus.toObject(otlpTypes.RpcStatus.decode(encodeProtobufStatus(status)));
    expect(decoded).toEqual(status);
    expect(JSON.parse(jsonStatus(status))).toEqual(status);
  });
});
