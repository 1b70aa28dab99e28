import { describe, expect, it } from 'vitest';
import { createResource, createSpan } from '@tracecheck/model';
import { encodeProtobufRequest, jsonRequest } from '@tracecheck/otlp';
import { decodeTraceJson, decodeTraceProtobuf, idToHex, padTraceId } from './trace-body.js';

const resource = createResource({ 'service.name': 'api' });
const spans = [
  createSpan({ traceId: '000000000000000000000000000000ab', spanId: '00000000000000cd', name: 'root', resource, attributes: { 'test.run.id': 'r' } }),
  createSpan({ traceId: '000000000000000000000000000000ab', spanId: '1111111111111111', parentSpanId: '00000000000000cd', name: 'child', resource, links: [{ traceId: 'ff'.repeat(16), spanId: 'ee'.repeat(8) }] }),
];

/** A TraceByIDResponse as Tempo writes it: trace = 1, metrics = 2, status = 3, message = 4. */
function v2(traceBytes: Uint8Array, status = 0, message = ''): Uint8Array {
  const len = (n: number) => (n < 128 ? [n] : [(n & 0x7f) | 0x80, n >> 7]);
  const parts = [Buffer.from([0x0a, ...len(traceBytes.length)]), Buffer.from(traceBytes), Buffer.from([0x12, 0x02, 0x08, 0x05])];
  if (status) parts.push(Buffer.from([0x18, status]));
  if (message) parts.push(Buffer.from([0x22, message.length]), Buffer.from(message));
  return Buffer.concat(parts);
}

const key = (s: { traceId: string; spanId: string; parentSpanId: string; name: string; links: readonly { traceId: string }[] }) => [s.traceId, s.spanId, s.parentSpanId, s.name, s.links.map((l) => l.traceId)];

describe('trace-by-id bodies', () => {
  it('v2 protobuf: the trace in field 1, PARTIAL and its message in fields 3 and 4, metrics skipped', () => {
    const body = decodeTraceProtobuf(v2(encodeProtobufRequest(spans), 1, 'Trace exceeds maximum size'), 'v2');
    expect(body.spans.map(key)).toEqual(spans.map(key));
    expect(body).toMatchObject({ partial: true, message: 'Trace exceeds maximum size', rejected: 0 });
    expect(decodeTraceProtobuf(v2(encodeProtobufRequest(spans)), 'v2').partial).toBe(false);
  });

  it('v2 protobuf with an empty trace (an id Tempo does not hold) has no spans', () => {
    expect(decodeTraceProtobuf(v2(new Uint8Array(0)), 'v2').spans).toEqual([]);
    expect(decodeTraceProtobuf(new Uint8Array(0), 'v2').spans).toEqual([]);
  });

  it('v1 protobuf is the trace itself (TracesData layout)', () => {
    expect(decodeTraceProtobuf(encodeProtobufRequest(spans), 'v1').spans.map(key)).toEqual(spans.map(key));
  });

  it('refuses a truncated protobuf body', () => {
    const whole = v2(encodeProtobufRequest(spans));
    expect(() => decodeTraceProtobuf(whole.subarray(0, whole.length - 10), 'v2')).toThrow(/runs past its end/);
  });

  const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
  function tempoJson() {
    const req = JSON.parse(JSON.stringify(jsonRequest(spans)));
    for (const rs of req.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) {
      s.traceId = b64(s.traceId);
      s.spanId = b64(s.spanId);
      if (s.parentSpanId) s.parentSpanId = b64(s.parentSpanId);
      for (const l of s.links ?? []) {
        l.traceId = b64(l.traceId);
        l.spanId = b64(l.spanId);
      }
      s.kind = 'SPAN_KIND_INTERNAL';
    }
    return req.resourceSpans;
  }

  it('v2 JSON: {trace: {resourceSpans}}, base64 ids, status PARTIAL', () => {
    const body = decodeTraceJson(JSON.stringify({ trace: { resourceSpans: tempoJson() }, status: 'PARTIAL', message: 'cut' }));
    expect(body.spans.map(key)).toEqual(spans.map(key));
    expect(body).toMatchObject({ partial: true, message: 'cut' });
    expect(decodeTraceJson('{"trace":{},"metrics":{}}').spans).toEqual([]);
    expect(decodeTraceJson('{}').spans).toEqual([]);
  });

  it('v1 JSON: {batches}, and the older instrumentationLibrarySpans', () => {
    expect(decodeTraceJson(JSON.stringify({ batches: tempoJson() })).spans.map(key)).toEqual(spans.map(key));
    const old = tempoJson().map((rs: { scopeSpans: { scope: unknown }[] }) => ({ ...rs, scopeSpans: undefined, instrumentationLibrarySpans: rs.scopeSpans.map((ss) => ({ ...ss, scope: undefined, instrumentationLibrary: ss.scope })) }));
    expect(decodeTraceJson(JSON.stringify({ batches: old })).spans.map(key)).toEqual(spans.map(key));
  });

  it('hex ids in JSON stay as they are; not-JSON is refused', () => {
    expect(decodeTraceJson(JSON.stringify({ batches: jsonRequest(spans).resourceSpans })).spans.map(key)).toEqual(spans.map(key));
    expect(() => decodeTraceJson('<html>')).toThrow(/not JSON/);
    expect(idToHex('q83v', 8)).toBe('q83v'); // neither hex of the size nor base64 of it: left for the decoder to refuse
  });

  it('pads search trace ids back to 32 hex digits', () => {
    expect(padTraceId('ab')).toBe('000000000000000000000000000000ab');
    expect(padTraceId('F'.repeat(32))).toBe('f'.repeat(32));
  });
});
