import { describe, expect, it } from 'vitest';
import { OtlpDecodeError, decodeJsonRequest } from './index.js';

type Json = Record<string, unknown>;

/** A valid request with one span carrying one attribute, event and link; `edit` changes a copy. */
function request(edit: (span: Json, root: Json) => void = () => {}): string {
  const span: Json = {
    traceId: '5B8EFFF798038103D269B633813FC60C',
    spanId: 'EEE19B7EC3C1B174',
    name: 'checkout',
    kind: 2,
    startTimeUnixNano: '1544712660000000000',
    endTimeUnixNano: '1544712661000000000',
    attributes: [{ key: 'amount', value: { intValue: '2500' } }],
    events: [{ timeUnixNano: '1544712660500000000', name: 'retry' }],
    links: [{ traceId: '0AF7651916CD43DD8448EB211C80319C', spanId: 'B7AD6B7169203331' }],
    status: { code: 2, message: 'declined' },
  };
  const root: Json = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [{ scope: { name: 'lib', version: '1.0' }, spans: [span] }],
      },
    ],
  };
  edit(span, root);
  return JSON.stringify(root);
}

const firstSpan = (body: string | Uint8Array) => {
  const result = decodeJsonRequest(body);
  expect(result.rejectedSpans).toBe(0);
  return result.spans[0]!;
};
const attr = (value: unknown) => (s: Json) => {
  s['attributes'] = [{ key: 'x', value }];
};
const SPAN = 'resourceSpans[0].scopeSpans[0].spans[0]';

describe('OTLP/JSON decoding', () => {
  it('accepts int64 fields as decimal strings or JSON numbers', () => {
    const span = firstSpan(
      request((s) => {
        s['startTimeUnixNano'] = 1544712660000000000;
        s['attributes'] = [
          { key: 'n', value: { intValue: 2500 } },
          { key: 's', value: { intValue: '-42' } },
          { key: 'big', value: { intValue: '9223372036854775807' } },
        ];
      }),
    );
    expect(span.startTimeUnixNano).toBe(1_544_712_660_000_000_000n);
    expect(span.attributes.get('n')).toEqual({ type: 'int', value: 2500n });
    expect(span.attributes.get('s')).toEqual({ type: 'int', value: -42n });
    expect(span.attributes.get('big')).toEqual({ type: 'int', value: 9_223_372_036_854_775_807n });
  });

  it('accepts enum names as well as numbers, and reads unknown enum numbers as the default', () => {
    const named = firstSpan(request((s) => Object.assign(s, { kind: 'SPAN_KIND_CONSUMER', status: { code: 'STATUS_CODE_OK' } })));
    expect(named.kind).toBe(5);
    expect(named.status).toEqual({ code: 1, message: '' });
    const future = firstSpan(request((s) => Object.assign(s, { kind: 9, status: { code: 7 } })));
    expect(future.kind).toBe(0);
    expect(future.status.code).toBe(0);
  });

  it('reads doubles from numbers and the proto3 JSON strings, bytes from base64', () => {
    const span = firstSpan(
      request((s) => {
        s['attributes'] = [
          { key: 'nan', value: { doubleValue: 'NaN' } },
          { key: 'inf', value: { doubleValue: 'Infinity' } },
          { key: 'ninf', value: { doubleValue: '-Infinity' } },
          { key: 'text', value: { doubleValue: '1.5e3' } },
          { key: 'num', value: { doubleValue: 2.25 } },
          { key: 'b64', value: { bytesValue: 'AAH+/w==' } },
          { key: 'b64url', value: { bytesValue: 'AAH-_w' } },
        ];
      }),
    );
    expect(span.attributes.get('nan')).toEqual({ type: 'double', value: NaN });
    expect(span.attributes.get('inf')).toEqual({ type: 'double', value: Infinity });
    expect(span.attributes.get('ninf')).toEqual({ type: 'double', value: -Infinity });
    expect(span.attributes.get('text')).toEqual({ type: 'double', value: 1500 });
    expect(span.attributes.get('num')).toEqual({ type: 'double', value: 2.25 });
    expect(span.attributes.get('b64')).toEqual({ type: 'bytes', value: new Uint8Array([0, 1, 254, 255]) });
    expect(span.attributes.get('b64url')).toEqual({ type: 'bytes', value: new Uint8Array([0, 1, 254, 255]) });
  });

  it('ignores unknown fields (snake_case names included) and reads null as the default', () => {
    const plain = firstSpan(request());
    const noisy = firstSpan(
      request((s, root) => {
        root['futureTopLevel'] = { anything: [1, 2] };
        s['dropped_attributes_count'] = 'not even a number';
        s['somethingNew'] = { nested: true };
        s['attributes'] = [{ key: 'amount', value: { intValue: '2500', stringValueStrindex: 3 }, keyStrindex: 1 }];
        (s['events'] as Json[])[0]!['future'] = null;
        s['traceState'] = null;
        s['droppedLinksCount'] = null;
      }),
    );
    expect(noisy).toEqual(plain);
  });

  it('decodes a UTF-8 body given as bytes and rejects bytes that are not UTF-8', () => {
    expect(firstSpan(new TextEncoder().encode(request()))).toEqual(firstSpan(request()));
    const invalid = Uint8Array.from([...new TextEncoder().encode('{"resourceSpans":[]'), 0xff, 0x7d]);
    expect(() => decodeJsonRequest(invalid)).toThrow(new OtlpDecodeError('request body is not valid UTF-8'));
  });

  it('treats an empty object as a request with no spans', () => {
    expect(decodeJsonRequest('{}')).toEqual({ spans: [], rejectedSpans: 0, errorMessage: '' });
  });

  it.each<[string, (s: Json, root: Json) => void, string]>([
    ['resourceSpans is an object', (_s, r) => (r['resourceSpans'] = {}), 'resourceSpans: expected an array, got object'],
    ['a resourceSpans element is a number', (_s, r) => (r['resourceSpans'] = [1]), 'resourceSpans[0]: expected an object, got 1'],
    ['a time is an object', (s) => (s['startTimeUnixNano'] = {}), `${SPAN}.startTimeUnixNano: expected a uint64 as string or number, got object`],
    ['a time is not an integer', (s) => (s['endTimeUnixNano'] = 1.5), `${SPAN}.endTimeUnixNano: expected a uint64 as string or number, got 1.5`],
    ['a time is negative', (s) => (s['endTimeUnixNano'] = '-1'), `${SPAN}.endTimeUnixNano: expected a uint64 as string or number, got "-1"`],
    ['a name is a number', (s) => (s['name'] = 5), `${SPAN}.name: expected a string, got 5`],
    ['a trace id is a number', (s) => (s['traceId'] = 123), `${SPAN}.traceId: expected a string, got 123`],
    ['a kind is an unknown name', (s) => (s['kind'] = 'SERVER'), `${SPAN}.kind: expected an enum number or one of SPAN_KIND_UNSPECIFIED`],
    ['attributes is a string', (s) => (s['attributes'] = 'x'), `${SPAN}.attributes: expected an array, got "x"`],
    ['an attribute key is a number', (s) => (s['attributes'] = [{ key: 1 }]), `${SPAN}.attributes[0].key: expected a string, got 1`],
    ['an attribute value is a string', attr('str'), `${SPAN}.attributes[0].value: expected an object, got "str"`],
    ['an intValue is not a number', attr({ intValue: '12abc' }), `${SPAN}.attributes[0].value.intValue: expected an int64 as string or number, got "12abc"`],
    ['an intValue overflows int64', attr({ intValue: '9223372036854775808' }), `${SPAN}.attributes[0].value.intValue: expected an int64`],
    ['a boolValue is a string', attr({ boolValue: 'true' }), `${SPAN}.attributes[0].value.boolValue: expected a boolean, got "true"`],
    ['a doubleValue is a word', attr({ doubleValue: 'abc' }), `${SPAN}.attributes[0].value.doubleValue: expected a double as number or string, got "abc"`],
    ['a bytesValue is not base64', attr({ bytesValue: '!!' }), `${SPAN}.attributes[0].value.bytesValue: expected base64 bytes, got "!!"`],
    ['an array element is a number', attr({ arrayValue: { values: [{ intValue: 1 }, 3] } }), `${SPAN}.attributes[0].value.arrayValue.values[1]: expected an object, got 3`],
    [
      'a value deep in a kvlist is wrong',
      attr({ kvlistValue: { values: [{ key: 'k', value: { arrayValue: { values: [{ doubleValue: [] }] } } }] } }),
      `${SPAN}.attributes[0].value.kvlistValue.values[0].value.arrayValue.values[0].doubleValue: expected a double as number or string, got array`,
    ],
    ['an AnyValue holds two values', attr({ stringValue: 'a', intValue: '1' }), `${SPAN}.attributes[0].value: both stringValue and intValue are set`],
    ['a dropped count is negative', (s) => (s['droppedAttributesCount'] = -1), `${SPAN}.droppedAttributesCount: expected a uint32 as number or string, got -1`],
    ['flags exceed 32 bits', (s) => (s['flags'] = 2 ** 32), `${SPAN}.flags: expected a uint32 as number or string, got 4294967296`],
    ['an event time is a boolean', (s) => (s['events'] = [{ timeUnixNano: true }]), `${SPAN}.events[0].timeUnixNano: expected a uint64 as string or number, got true`],
    ['a link trace id is a number', (s) => (s['links'] = [{ traceId: 5 }]), `${SPAN}.links[0].traceId: expected a string, got 5`],
    ['status is a string', (s) => (s['status'] = 'ERROR'), `${SPAN}.status: expected an object, got "ERROR"`],
    ['a status code is fractional', (s) => (s['status'] = { code: 1.5 }), `${SPAN}.status.code: expected an enum number or one of`],
    [
      'a resource attribute key is a number',
      (_s, r) => ((r['resourceSpans'] as Json[])[0]!['resource'] = { attributes: [{ key: 1 }] }),
      'resourceSpans[0].resource.attributes[0].key: expected a string, got 1',
    ],
    [
      'a scope name is an array',
      (_s, r) => (((r['resourceSpans'] as Json[])[0]!['scopeSpans'] as Json[])[0]!['scope'] = { name: [] }),
      'resourceSpans[0].scopeSpans[0].scope.name: expected a string, got array',
    ],
  ])('fails the whole request when %s', (_what, edit, message) => {
    const body = request(edit);
    expect(() => decodeJsonRequest(body)).toThrow(OtlpDecodeError);
    expect(() => decodeJsonRequest(body)).toThrow(message);
  });

  it('reports the path and the reason as fields too', () => {
    const body = request((s) => (s['name'] = 5));
    expect(() => decodeJsonRequest(body)).toThrow(
      expect.objectContaining({ code: 'OTLP_DECODE', path: `${SPAN}.name`, reason: 'expected a string, got 5', offset: undefined }),
    );
  });

  it('names the span by its index when a later span is malformed', () => {
    const body = request((s, root) => {
      const spans = ((root['resourceSpans'] as Json[])[0]!['scopeSpans'] as Json[])[0]!['spans'] as Json[];
      spans.push({ ...s }, { ...s, startTimeUnixNano: {} });
    });
    expect(() => decodeJsonRequest(body)).toThrow(
      'resourceSpans[0].scopeSpans[0].spans[2].startTimeUnixNano: expected a uint64 as string or number, got object',
    );
  });

  it.each([
    ['text that is not JSON', '{"resourceSpans": [', /^invalid JSON: /],
    ['trailing garbage', '{} x', /^invalid JSON: /],
    ['an empty body', '', /^invalid JSON: /],
    ['a top-level array', '[]', 'request: expected a JSON object, got array'],
    ['a top-level null', 'null', 'request: expected a JSON object, got null'],
    ['a top-level number', '42', 'request: expected a JSON object, got 42'],
    ['a top-level string', '"spans"', 'request: expected a JSON object, got "spans"'],
  ])('fails on %s', (_what, body, message) => {
    let error: unknown;
    try {
      decodeJsonRequest(body);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OtlpDecodeError);
    expect((error as OtlpDecodeError).code).toBe('OTLP_DECODE');
    expect((error as Error).message).toMatch(message);
  });
});
