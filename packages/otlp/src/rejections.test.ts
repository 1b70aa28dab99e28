import { describe, expect, it } from 'vitest';
import type { Span } from '@tracecheck/model';
import {
  decodeJsonRequest,
  decodeProtobufRequest,
  decodeProtobufRequestGeneric,
  encodeJsonRequest,
  encodeProtobufRequest,
} from './index.js';
import type { DecodeResult } from './index.js';
import { randomSpans } from './testing/random-spans.js';

/*
 * Spans with unusable ids are dropped one by one and counted (for OTLP partial success); the rest of
 * the request comes through. The encoders write whatever hex they are given, so a model span with a
 * short id becomes a span with a short id on the wire.
 */

const decoders: Record<string, (spans: Span[]) => DecodeResult> = {
  'protobuf (Reader)': (s) => decodeProtobufRequest(encodeProtobufRequest(s)),
  'protobuf (generic)': (s) => decodeProtobufRequestGeneric(encodeProtobufRequest(s)),
  'OTLP/JSON': (s) => decodeJsonRequest(encodeJsonRequest(s)),
};

describe.each(Object.entries(decoders))('invalid ids: %s', (_name, roundTrip) => {
  const good = randomSpans(21).slice(0, 3);
  const base = good[0]!;

  it.each([
    ['a trace id of 15 bytes', { traceId: 'ab'.repeat(15) }, 'traceId must be 16 bytes, got 15'],
    ['no trace id', { traceId: '' }, 'traceId must be 16 bytes, got 0'],
    ['an all-zero trace id', { traceId: '0'.repeat(32) }, 'traceId is all zeros'],
    ['a span id of 7 bytes', { spanId: 'ab'.repeat(7) }, 'spanId must be 8 bytes, got 7'],
    ['an all-zero span id', { spanId: '0'.repeat(16) }, 'spanId is all zeros'],
    ['a parent id of 4 bytes', { parentSpanId: 'abcdabcd' }, 'parentSpanId must be 8 bytes when present, got 4'],
  ])('rejects a span with %s and keeps the others', (_what, bad, reason) => {
    const result = roundTrip([good[0]!, { ...base, ...bad }, good[1]!, good[2]!]);
    expect(result.spans).toEqual(good);
    expect(result.rejectedSpans).toBe(1);
    expect(result.errorMessage).toBe(`rejected 1 span with invalid ids: resourceSpans[0].scopeSpans[0].spans[1]: ${reason}`);
  });

  it('counts every rejected span and names the first', () => {
    const result = roundTrip([{ ...base, traceId: '' }, good[1]!, { ...base, spanId: '00' }]);
    expect(result.spans).toEqual([good[1]]);
    expect(result.rejectedSpans).toBe(2);
    expect(result.errorMessage).toBe(
      'rejected 2 spans with invalid ids; first: resourceSpans[0].scopeSpans[0].spans[0]: traceId must be 16 bytes, got 0',
    );
  });

  it('reads a parent id of 8 zero bytes as no parent', () => {
    const result = roundTrip([{ ...base, parentSpanId: '0'.repeat(16) }]);
    expect(result.rejectedSpans).toBe(0);
    expect(result.spans[0]!.parentSpanId).toBe('');
  });
});

describe('invalid ids in OTLP/JSON', () => {
  const request = (span: object) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
  const ok = { traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174' };

  it.each([
    ['a trace id that is not hex', { ...ok, traceId: 'zz'.repeat(16) }, 'traceId is not hex'],
    ['a span id with an odd number of digits', { ...ok, spanId: 'abc' }, 'spanId is not hex'],
    ['a parent id that is not hex', { ...ok, parentSpanId: 'not-hex!' }, 'parentSpanId is not hex'],
    ['a link id that is not hex', { ...ok, links: [{ traceId: 'xyz', spanId: 'EEE19B7EC3C1B174' }] }, 'a link id is not hex'],
  ])('rejects the span with %s', (_what, span, reason) => {
    const result = decodeJsonRequest(request(span));
    expect(result.spans).toEqual([]);
    expect(result.rejectedSpans).toBe(1);
    expect(result.errorMessage).toContain(reason);
  });

  it('accepts the same span with valid ids', () => {
    expect(decodeJsonRequest(request(ok)).spans).toHaveLength(1);
  });
});
