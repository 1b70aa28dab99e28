import { describe, expect, it } from 'vitest';
import { createResource, createSpan } from './create-span.js';
import { spanToJson } from './json.js';
import { spansFromJson } from './json-parse.js';

describe('span JSON', () => {
  it('round-trips every attribute type exactly, sharing equal resources', () => {
    const resource = createResource({ 'service.name': 'payments', 'host.cores': 2 });
    const attributes = {
      s: 'x',
      b: true,
      i: 9007199254740993n,
      d: 2.5,
      n: -0.5,
      bytes: new Uint8Array([0, 1, 255]),
      arr: ['a', 1n, false],
      kv: { nested: 'y', deeper: { z: 1n } },
      empty: null,
    };
    const spans = [
      createSpan({ traceId: 'a'.repeat(32), spanId: '1'.repeat(16), name: 'one', attributes, resource, events: [{ name: 'e', timeUnixNano: 5n, attributes: { k: 1n } }], links: [{ traceId: 'b'.repeat(32), spanId: '2'.repeat(16), attributes: { l: 'v' } }], status: { code: 2, message: 'boom' } }),
      createSpan({ traceId: 'a'.repeat(32), spanId: '3'.repeat(16), parentSpanId: '1'.repeat(16), resource }),
    ];
    const wire = JSON.parse(JSON.stringify(spans.map(spanToJson)));
    const back = spansFromJson(wire);
    expect(back).toEqual(spans);
    expect(back[0]!.resource).toBe(back[1]!.resource);
    expect(wire[0].attributes.find((a: { key: string }) => a.key === 'i').value).toEqual({ intValue: '9007199254740993' });
    expect(wire[0].startTimeUnixNano).toBe('1000000000');
  });

  it('writes non-finite doubles as the strings OTLP/JSON uses', () => {
    const span = createSpan({ traceId: 'a'.repeat(32), spanId: '1'.repeat(16), attributes: { nan: NaN, inf: Infinity } });
    expect(spanToJson(span).attributes.map((a) => a.value)).toEqual([{ doubleValue: 'NaN' }, { doubleValue: 'Infinity' }]);
  });
});
