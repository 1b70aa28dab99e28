import fc from 'fast-check';
import { createSpan, type Span } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DECODE_LIMITS,
  type DecodeOptions,
  type DecodeResult,
  OtlpBudgetError,
  OtlpDecodeError,
  decodeJsonRequest,
  decodeJsonRequestSliced,
  decodeProtobufRequest,
  decodeProtobufRequestSliced,
  encodeJsonRequest,
  encodeProtobufRequest,
} from './index.js';
import { IncrementalJson } from './json-incremental.js';
import { BudgetMeter } from './limits.js';
import { randomSpans } from './testing/random-spans.js';

// What one request may decode into is bounded while decoding: counts past a limit are dropped and
// counted, long values truncated, and the request's partial success says so. All four decoders
// (protobuf and JSON, whole and sliced) agree.

type Decode = (bytes: string | Uint8Array, options?: DecodeOptions) => Promise<DecodeResult>;
const decoders: [string, (spans: Span[]) => string | Uint8Array, Decode][] = [
  ['protobuf', encodeProtobufRequest, async (b, o) => decodeProtobufRequest(b as Uint8Array, o)],
  ['protobuf, sliced', encodeProtobufRequest, (b, o) => decodeProtobufRequestSliced(b as Uint8Array, { ...o, sliceMs: 0 })],
  ['JSON', encodeJsonRequest, async (b, o) => decodeJsonRequest(b, o)],
  ['JSON, sliced', encodeJsonRequest, (b, o) => decodeJsonRequestSliced(b, { ...o, sliceMs: 0 })],
];

let n = 0;
const span = (init: Partial<Parameters<typeof createSpan>[0]> = {}): Span =>
  createSpan({ traceId: 'ab'.repeat(16), spanId: (++n).toString(16).padStart(16, '0'), name: 'op', ...init });

describe.each(decoders)('decode limits (%s)', (_, encode, decode) => {
  it('drops an attribute whose array is over maxArrayElements, counts it, keeps the rest of the span', async () => {
    const bytes = encode([span({ attributes: { big: Array.from({ length: 20_000 }, (_, i) => i), ok: 'yes' } })]);
    const r = await decode(bytes);
    expect(r.spans).toHaveLength(1);
    const s = r.spans[0]!;
    expect(s.attributes.has('big')).toBe(false);
    expect(s.attributes.get('ok')).toEqual({ type: 'string', value: 'yes' });
    expect(s.droppedAttributesCount).toBe(1);
    expect(r.rejectedSpans).toBe(0);
    expect(r.limited).toMatchObject({ droppedAttributes: 1 });
    expect(r.errorMessage).toMatch(/dropped 1 attribute over maxAttributes \(1024\) or with more than maxArrayElements \(10000\) elements/);
  });

  it('drops a nested value over the limits with its attribute, and keeps one just within', async () => {
    const within = Array.from({ length: 10 }, (_, i) => i);
    const bytes = encode([span({ attributes: { nested: [[1, 2], { deep: within.concat(within) }], fine: within } })]);
    const r = await decode(bytes, { limits: { maxArrayElements: 10 } });
    expect(r.spans[0]!.attributes.has('nested')).toBe(false);
    expect(r.spans[0]!.attributes.get('fine')).toMatchObject({ type: 'array' });
    expect(r.spans[0]!.droppedAttributesCount).toBe(1);
  });

  it('keeps the first maxAttributes attributes, events and links, and adds the rest to the dropped counts', async () => {
    const attributes = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`a${i}`, i]));
    const events = Array.from({ length: 7 }, (_, i) => ({ name: `e${i}`, timeUnixNano: BigInt(i), attributes }));
    const links = Array.from({ length: 6 }, (_, i) => ({ traceId: 'cd'.repeat(16), spanId: (i + 1).toString(16).padStart(16, '0'), attributes: {} }));
    const bytes = encode([span({ attributes, events, links })]);
    const r = await decode(bytes, { limits: { maxAttributes: 10, maxEvents: 5, maxLinks: 4 } });
    const s = r.spans[0]!;
    expect([...s.attributes.keys()]).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
    expect(s.droppedAttributesCount).toBe(2);
    expect(s.events.map((e) => e.name)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(s.events[0]!.droppedAttributesCount).toBe(2);
    expect(s.droppedEventsCount).toBe(2);
    expect(s.links).toHaveLength(4);
    expect(s.droppedLinksCount).toBe(2);
    expect(r.limited).toEqual({ truncatedValues: 0, droppedAttributes: 2 + 5 * 2, droppedEvents: 2, droppedLinks: 2 });
  });

  it('truncates strings over maxValueBytes at a character boundary', async () => {
    const bytes = encode([span({ name: 'n'.repeat(50), attributes: { s: `${'x'.repeat(9)}é and more`, short: 'ok' } })]);
    const r = await decode(bytes, { limits: { maxValueBytes: 10 } });
    const s = r.spans[0]!;
    expect(s.attributes.get('s')).toEqual({ type: 'string', value: 'x'.repeat(9) });
    expect(s.attributes.get('short')).toEqual({ type: 'string', value: 'ok' });
    expect(s.name).toBe('n'.repeat(10));
    // The name, the value, and the default service name in the resource.
    expect(r.limited?.truncatedValues).toBeGreaterThanOrEqual(2);
    expect(r.errorMessage).toMatch(/truncated \d+ string or bytes values to maxValueBytes \(10\)/);
  });

  it('stops with OtlpBudgetError when the budget refuses, and decodes within one that suffices', async () => {
    const spans = Array.from({ length: 2000 }, () => span({ attributes: { k: 'v'.repeat(100) } }));
    const bytes = encode(spans);
    let taken = 0;
    const small = { take: (b: number) => (taken += b) <= 100_000 };
    await expect(decode(bytes, { budget: small })).rejects.toBeInstanceOf(OtlpBudgetError);
    const r = await decode(bytes, { budget: { take: () => true } });
    expect(r.spans).toHaveLength(2000);
  });

  it('decodes random requests exactly as with no limits', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const spans = randomSpans(seed);
      const bytes = encode(spans);
      const r = await decode(bytes);
      expect(r.limited).toBeUndefined();
      expect(r.spans.length).toBe(spans.length);
    }
  });
});

describe('the sliced decoders', () => {
  it('give the spans the whole decoders give', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const spans = randomSpans(seed);
      const pb = encodeProtobufRequest(spans);
      expect(await decodeProtobufRequestSliced(pb, { sliceMs: 0 })).toEqual(decodeProtobufRequest(pb));
      const json = encodeJsonRequest(spans);
      const whole = decodeJsonRequest(json);
      const sliced = await decodeJsonRequestSliced(json, { sliceMs: 0 });
      expect(sliced).toEqual(whole);
    }
  });

  it('pause between slices, so other work runs while a large request decodes', async () => {
    const spans = Array.from({ length: 3000 }, () => span({ attributes: { k: 'v' } }));
    const runs: [string | Uint8Array, typeof decodeJsonRequestSliced][] = [
      [encodeProtobufRequest(spans), (b, o) => decodeProtobufRequestSliced(b as Uint8Array, o)],
      [encodeJsonRequest(spans), decodeJsonRequestSliced],
    ];
    for (const [bytes, decode] of runs) {
      let pauses = 0;
      const r = await decode(bytes, { sliceMs: 0, pause: async () => void pauses++ });
      expect(r.spans).toHaveLength(3000);
      expect(pauses).toBeGreaterThan(10);
    }
  });

  it('refuse malformed JSON as JSON.parse does', async () => {
    for (const bad of ['', '{', '{"resourceSpans": [', '{} x', '{"a":1,}', '[1,]', '{"a" 1}', '"\\x"', '01', '-', '1.', '{"a":"\u0001"}', 'nul', '{"a":tru}']) {
      expect(() => JSON.parse(bad)).toThrow();
      await expect(decodeJsonRequestSliced(Buffer.from(bad))).rejects.toBeInstanceOf(OtlpDecodeError);
    }
    await expect(decodeJsonRequestSliced(Buffer.from([0x7b, 0xff, 0x7d]))).rejects.toThrow('request body is not valid UTF-8');
    await expect(decodeJsonRequestSliced(Buffer.from(`${'['.repeat(200)}${']'.repeat(200)}`))).rejects.toThrow(/nested deeper than/);
  });
});

describe('work between pauses', () => {
  it('refuses a span of millions of fields (a scalar repeated), which would hold the decoder in one piece', () => {
    const head = Buffer.from([0x0a, 16, ...Array(16).fill(1), 0x12, 8, ...Array(8).fill(1)]);
    const flags = Buffer.alloc(6 * 2_100_000);
    flags.fill(Buffer.from([0x85, 0x01, 1, 0, 0, 0])); // field 16 (flags), fixed32, again and again
    const ld = (field: number, b: Buffer): Buffer => {
      const len: number[] = [];
      for (let n = b.length; ; n = Math.floor(n / 128)) {
        if (n < 128) {
          len.push(n);
          break;
        }
        len.push((n % 128) | 0x80);
      }
      return Buffer.concat([Buffer.from([(field << 3) | 2, ...len]), b]);
    };
    const request = ld(1, ld(2, ld(2, Buffer.concat([head, flags]))));
    expect(() => decodeProtobufRequest(request)).toThrow(/more than 2000000 fields in one span, resource or scope/);
  });

  it('pauses between empty resourceSpans too', async () => {
    const empties = Buffer.alloc(2 * 200_000);
    empties.fill(Buffer.from([0x0a, 0x00]));
    let pauses = 0;
    const r = await decodeProtobufRequestSliced(empties, { sliceMs: 0, pause: async () => void pauses++ });
    expect(r.spans).toEqual([]);
    expect(pauses).toBeGreaterThan(100);
  });
});

describe('the incremental JSON parser', () => {
  const parse = (text: string, maxElements = Infinity): unknown => {
    const p = new IncrementalJson(Buffer.from(text), { maxElements, uncappedKeys: new Set(), maxDepth: 1000, meter: new BudgetMeter(undefined) });
    while (!p.step(7));
    return p.value;
  };
  const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

  it('gives what JSON.parse gives (property, seeded)', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(plain(parse(text))).toEqual(JSON.parse(text));
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('keeps at most maxElements elements of an array and remembers how many it read past them', () => {
    const text = JSON.stringify({ values: Array.from({ length: 50 }, (_, i) => ({ intValue: i })) });
    const p = new IncrementalJson(Buffer.from(text), { maxElements: 5, uncappedKeys: new Set(), maxDepth: 10, meter: new BudgetMeter(undefined) });
    while (!p.step(100));
    const values = (p.value as { values: unknown[] }).values;
    expect(values).toHaveLength(5);
    expect(p.discardedOf(values)).toBe(45);
  });

  it('treats "__proto__" as an ordinary key', () => {
    expect(plain(parse('{"__proto__": {"x": 1}, "a": 2}'))).toEqual(JSON.parse('{"__proto__": {"x": 1}, "a": 2}'));
  });
});

it('the defaults are documented values', () => {
  expect(DEFAULT_DECODE_LIMITS).toEqual({ maxAttributes: 1024, maxEvents: 1024, maxLinks: 1024, maxArrayElements: 10_000, maxValueBytes: 1_048_576 });
});
