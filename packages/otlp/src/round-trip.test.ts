import { describe, expect, it } from 'vitest';
import { toAttributes } from '@tracecheck/model';
import type { AnyValue, InstrumentationScope, Resource, Span } from '@tracecheck/model';
import {
  OtlpDecodeError,
  decodeJsonRequest,
  decodeProtobufRequest,
  decodeProtobufRequestGeneric,
  encodeJsonRequest,
  encodeProtobufRequest,
} from './index.js';
import { randomSpans } from './testing/random-spans.js';

const resource: Resource = {
  attributes: toAttributes({ 'service.name': 'payments', 'test.run.id': 'run-1' }),
  droppedAttributesCount: 2,
  schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
};
const scope: InstrumentationScope = {
  name: 'tracecheck',
  version: '0.1.0',
  attributes: toAttributes({ 'scope.attr': true }),
  droppedAttributesCount: 1,
  schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
};

const everyType = new Map<string, AnyValue>([
  ['string', { type: 'string', value: 'héllo "wörld" 🌍' }],
  ['empty-string', { type: 'string', value: '' }],
  ['bool', { type: 'bool', value: true }],
  ['false', { type: 'bool', value: false }],
  ['int', { type: 'int', value: 2500n }],
  ['negative', { type: 'int', value: -42n }],
  ['beyond-2^53', { type: 'int', value: 9_007_199_254_740_993n }],
  ['int64-max', { type: 'int', value: 9_223_372_036_854_775_807n }],
  ['int64-min', { type: 'int', value: -9_223_372_036_854_775_808n }],
  ['double', { type: 'double', value: 12.5 }],
  ['nan', { type: 'double', value: NaN }],
  ['inf', { type: 'double', value: Infinity }],
  ['-inf', { type: 'double', value: -Infinity }],
  ['-0', { type: 'double', value: -0 }],
  ['bytes', { type: 'bytes', value: new Uint8Array([0, 1, 254, 255]) }],
  ['empty-bytes', { type: 'bytes', value: new Uint8Array(0) }],
  ['array', { type: 'array', value: [{ type: 'int', value: 1n }, { type: 'string', value: 'two' }, { type: 'empty' }] }],
  ['empty-array', { type: 'array', value: [] }],
  ['kvlist', { type: 'kvlist', value: toAttributes({ nested: { deeper: [1, 'x'] }, n: 1.5 }) }],
  ['empty-kvlist', { type: 'kvlist', value: new Map() }],
  ['empty', { type: 'empty' }],
]);

const fullSpan: Span = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  parentSpanId: 'eee19b7ec3c1b173',
  traceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
  flags: 0x301,
  name: 'stripe.refund.create',
  kind: 3,
  startTimeUnixNano: 1_544_712_660_000_000_000n,
  endTimeUnixNano: 18_446_744_073_709_551_615n,
  attributes: everyType,
  droppedAttributesCount: 3,
  events: [
    { timeUnixNano: 1_544_712_660_500_000_000n, name: 'exception', attributes: toAttributes({ 'exception.type': 'TimeoutError' }), droppedAttributesCount: 1 },
    { timeUnixNano: 0n, name: '', attributes: new Map(), droppedAttributesCount: 0 },
  ],
  droppedEventsCount: 4,
  links: [
    {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceState: 'rojo=1',
      attributes: toAttributes({ 'messaging.system': 'kafka' }),
      droppedAttributesCount: 5,
      flags: 1,
    },
  ],
  droppedLinksCount: 6,
  status: { code: 2, message: 'card_declined' },
  resource,
  scope,
};

const rootSpan: Span = {
  ...fullSpan,
  spanId: 'eee19b7ec3c1b175',
  parentSpanId: '',
  traceState: '',
  flags: 0,
  kind: 0,
  attributes: new Map(),
  events: [],
  links: [],
  droppedAttributesCount: 0,
  droppedEventsCount: 0,
  droppedLinksCount: 0,
  status: { code: 0, message: '' },
};

const decoders = {
  'protobuf (Reader)': (spans: readonly Span[]) => decodeProtobufRequest(encodeProtobufRequest(spans)),
  'protobuf (generic)': (spans: readonly Span[]) => decodeProtobufRequestGeneric(encodeProtobufRequest(spans)),
  'OTLP/JSON': (spans: readonly Span[]) => decodeJsonRequest(encodeJsonRequest(spans)),
  'OTLP/JSON as bytes': (spans: readonly Span[]) => decodeJsonRequest(new TextEncoder().encode(encodeJsonRequest(spans))),
};

describe.each(Object.entries(decoders))('encode then decode: %s', (_name, roundTrip) => {
  it('keeps every attribute type, events, links, status, flags, trace state and dropped counts', () => {
    const result = roundTrip([fullSpan, rootSpan]);
    expect(result.rejectedSpans).toBe(0);
    expect(result.errorMessage).toBe('');
    expect(result.spans).toEqual([fullSpan, rootSpan]);
    const attrs = result.spans[0]!.attributes;
    expect(attrs.get('beyond-2^53')).toEqual({ type: 'int', value: 9_007_199_254_740_993n });
    expect(Object.is((attrs.get('-0') as { value: number }).value, -0)).toBe(true);
    expect(attrs.get('bytes')).toEqual({ type: 'bytes', value: new Uint8Array([0, 1, 254, 255]) });
  });

  it('shares one resource and one scope object among the spans of a group', () => {
    const otherScope = { ...scope, name: 'other' };
    const spans = [fullSpan, rootSpan, { ...rootSpan, spanId: '0000000000000009', scope: otherScope }];
    const decoded = roundTrip(spans).spans;
    expect(decoded).toEqual(spans);
    expect(decoded[0]!.resource).toBe(decoded[2]!.resource);
    expect(decoded[0]!.scope).toBe(decoded[1]!.scope);
    expect(decoded[0]!.scope).not.toBe(decoded[2]!.scope);
  });

  it('round-trips randomized requests', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const spans = randomSpans(seed);
      expect(roundTrip(spans).spans, `seed ${seed}`).toEqual(spans);
    }
  });
});

describe('protobuf and OTLP/JSON', () => {
  it('decode the same data to identical spans', () => {
    for (let seed = 100; seed < 130; seed++) {
      const spans = randomSpans(seed);
      const fromJson = decodeJsonRequest(encodeJsonRequest(spans));
      expect(decodeProtobufRequest(encodeProtobufRequest(spans)), `seed ${seed}`).toEqual(fromJson);
    }
  });
});

describe('nesting limit', () => {
  const nested = (depth: number): AnyValue => {
    let v: AnyValue = { type: 'string', value: 'bottom' };
    for (let i = 1; i < depth; i++) v = i % 2 ? { type: 'array', value: [v] } : { type: 'kvlist', value: new Map([['k', v]]) };
    return v;
  };
  const withValue = (v: AnyValue): Span[] => [{ ...rootSpan, attributes: new Map([['deep', v]]) }];

  it.each(Object.entries(decoders))('%s: reads values nested 32 levels, fails the request at 33', (_name, roundTrip) => {
    expect(roundTrip(withValue(nested(32))).spans).toEqual(withValue(nested(32)));
    expect(() => roundTrip(withValue(nested(33)))).toThrow(OtlpDecodeError);
    expect(() => roundTrip(withValue(nested(33)))).toThrow(/nested deeper than 32 levels/);
  });
});
