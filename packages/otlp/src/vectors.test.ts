import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeJsonRequest, decodeProtobufRequest, decodeProtobufRequestGeneric } from './index.js';

// The OTLP spec's example request (opentelemetry-proto examples/), as JSON and as protobuf.
const json = readFileSync(new URL('./testing/vectors/trace.json', import.meta.url));
const pb = readFileSync(new URL('./testing/vectors/trace.pb', import.meta.url));

describe("the spec's example request", () => {
  it('decodes from OTLP/JSON, upper-case hex ids normalized to lowercase', () => {
    const { spans, rejectedSpans, errorMessage } = decodeJsonRequest(json);
    expect(rejectedSpans).toBe(0);
    expect(errorMessage).toBe('');
    expect(spans).toHaveLength(1);
    const span = spans[0]!;
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      // Its parent never arrives: still a legal span, the id is kept as sent.
      parentSpanId: 'eee19b7ec3c1b173',
      name: "I'm a server span",
      kind: 2,
      startTimeUnixNano: 1_544_712_660_000_000_000n,
      endTimeUnixNano: 1_544_712_661_000_000_000n,
      status: { code: 0, message: '' },
      events: [],
      links: [],
    });
    expect(span.attributes).toEqual(new Map([['my.span.attr', { type: 'string', value: 'some value' }]]));
    expect(span.resource.attributes).toEqual(new Map([['service.name', { type: 'string', value: 'my.service' }]]));
    expect(span.scope).toEqual({
      name: 'my.library',
      version: '1.0.0',
      attributes: new Map([['my.scope.attribute', { type: 'string', value: 'some scope attribute' }]]),
      droppedAttributesCount: 0,
      schemaUrl: '',
    });
  });

  it('decodes from protobuf to the same spans with both protobuf decoders', () => {
    const fromJson = decodeJsonRequest(json.toString('utf8'));
    expect(decodeProtobufRequest(pb)).toEqual(fromJson);
    expect(decodeProtobufRequestGeneric(pb)).toEqual(fromJson);
  });
});
