import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { type AnyValue, type Attributes, createSpan, type Span, taggedRunId } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import {
  type DecodeLimits,
  decodeProtobufRequest,
  decodeSpanRange,
  encodeProtobufRequest,
  findSpanAttribute,
  LazyAttributes,
  type SkimResult,
  releaseSkim,
  skimProtobufRequest,
  skimProtobufRequestSliced,
  spanHasField,
  spanTraceState,
} from '../index.js';
import { randomSpans } from '../testing/random-spans.js';
import { MUTATION_OPS, type Mutation, mutate } from '../testing/wire-mutations.js';

// The full decoder is the oracle: for every input the skim accepts and refuses exactly as it does,
// and every row, read back through the columns, decodeSpanRange, findSpanAttribute and
// LazyAttributes, is the full decoder's span. Inputs: real requests (the official serializer's, the
// spec's example, ours from random spans) and structure-aware mutations of them, with small limits.
// TRACECHECK_FUZZ_RUNS (default 300) and TRACECHECK_FUZZ_SEED replay or extend the campaign.

const RUNS = Number(process.env.TRACECHECK_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.TRACECHECK_FUZZ_SEED ?? 20_251_129);

const file = (path: string): Uint8Array => readFileSync(new URL(path, import.meta.url));

/** Maps as entry lists (so attribute order counts), everything else as is. */
function plain(x: unknown): unknown {
  if (x instanceof Map) return [...x].map(([k, v]) => [k, plain(v)]);
  if (x instanceof Uint8Array) return { bytes: [...x] };
  if (Array.isArray(x)) return x.map(plain);
  if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

const hexOfWords = (words: Uint32Array, from: number, n: number): string =>
  Array.from(words.subarray(from, from + n), (w) => w.toString(16).padStart(8, '0')).join('');

const ABSENT_KEYS = ['absent', 'test.run.i', 'test.run.idx', '\ud800', 'é'];

function expectAttributesEqual(lazy: Attributes, expected: Attributes): void {
  expect(plain(new Map(lazy))).toEqual(plain(expected));
  expect(lazy.size).toBe(expected.size);
}

/** Checks one row of the skim against the full decoder's span. */
function expectRow(r: SkimResult, i: number, span: Span, limits: Partial<DecodeLimits> | undefined): void {
  const start = r.ranges[2 * i]!;
  const end = r.ranges[2 * i + 1]!;
  const resource = r.resources[r.resourceIndex[i]!]!;
  const scope = r.scopes[r.scopeIndex[i]!]!;
  expect(plain(decodeSpanRange(r.bytes, start, end, resource, scope, limits))).toEqual(plain(span));
  expect(hexOfWords(r.ids, i * 8, 4)).toBe(span.traceId);
  expect(hexOfWords(r.ids, i * 8 + 4, 2)).toBe(span.spanId);
  expect(hexOfWords(r.ids, i * 8 + 6, 2)).toBe(span.parentSpanId === '' ? '0'.repeat(16) : span.parentSpanId);
  expect([r.startNanos[i], r.endNanos[i], r.kind[i], r.statusCode[i], r.flags[i], r.names[i]]).toEqual([
    span.startTimeUnixNano,
    span.endTimeUnixNano,
    span.kind,
    span.status.code,
    span.flags,
    span.name,
  ]);
  expect(r.runTags[i]).toBe(taggedRunId(span));
  const links = [];
  for (let l = r.linkStart[i]!; l < r.linkStart[i + 1]!; l++) links.push(hexOfWords(r.linkIds, l * 6, 4) + hexOfWords(r.linkIds, l * 6 + 4, 2));
  expect(links).toEqual(span.links.filter((l) => l.traceId.length === 32 && l.spanId.length === 16).map((l) => l.traceId + l.spanId));
  const complex = r.complex[i] === 1;
  const keys = [...span.attributes.keys(), ...ABSENT_KEYS];
  if (!complex) {
    for (const key of keys) expect(plain(findSpanAttribute(r.bytes, start, end, key))).toEqual(plain(span.attributes.get(key)));
    // The walks a store's views take for single fields (undefined: a group, the full decoder's case).
    const state = spanTraceState(r.bytes, start, end);
    if (state !== undefined) expect(state).toBe(span.traceState);
    const events = spanHasField(r.bytes, start, end, 0x5a);
    if (events === false) expect(span.events).toEqual([]);
    const linked = spanHasField(r.bytes, start, end, 0x6a);
    if (linked === false) expect(span.links).toEqual([]);
  }
  const lazy = new LazyAttributes({ bytes: r.bytes, start, end, complex, limits });
  for (const key of keys) {
    expect(plain(lazy.get(key))).toEqual(plain(span.attributes.get(key)));
    expect(lazy.has(key)).toBe(span.attributes.has(key));
  }
  expectAttributesEqual(lazy, span.attributes);
}

type Outcome = 'refused' | 'accepted';

/** Skims and fully decodes `bytes`; expects the same outcome. */
function expectSameAsFullDecoder(bytes: Uint8Array, limits?: Partial<DecodeLimits>): Outcome {
  let full;
  try {
    full = decodeProtobufRequest(bytes, { limits });
  } catch (e) {
    expect(() => skimProtobufRequest(bytes, { limits })).toThrow(e as Error);
    return 'refused';
  }
  const r = skimProtobufRequest(bytes, { limits });
  expect([r.rejectedSpans, r.errorMessage, r.limited]).toEqual([full.rejectedSpans, full.errorMessage, full.limited]);
  expect(r.count).toBe(full.spans.length);
  expect(r.linkStart.length).toBe(r.count + 1);
  full.spans.forEach((span, i) => expectRow(r, i, span, limits));
  // The next request's skim reuses these columns (when of a similar size): every comparison after
  // the first also checks that reused columns read as fresh ones.
  releaseSkim(r);
  return 'accepted';
}

let n = 0;
const span = (init: Partial<Parameters<typeof createSpan>[0]> = {}): Span =>
  createSpan({ traceId: 'ab'.repeat(16), spanId: (++n).toString(16).padStart(16, '0'), name: 'op', ...init });

/** An int nested in d arrays: at value level d + 1 of an attribute. */
const deep = (d: number): unknown => (d === 0 ? 1 : [deep(d - 1)]);

/** Requests that exercise what the columns hold: run tags of every kind, links, limits, nesting. */
function corner(): Span[] {
  const resource = { attributes: new Map<string, AnyValue>([['test.run.id', { type: 'string', value: 'res-run' }]]), droppedAttributesCount: 0, schemaUrl: '' };
  return [
    span({ resource, attributes: { a: 1 } }),
    span({ resource, attributes: { 'test.run.id': '' } }),
    span({ resource, attributes: { 'test.run.id': 7 } }),
    span({ resource, attributes: { 'test.run.id': 'own', x: [1, 2, 3], kv: { a: 'b', c: [true] } } }),
    span({ links: [{ traceId: 'cd'.repeat(16), spanId: '01'.repeat(8), attributes: { w: 1 } }], events: [{ name: 'e', timeUnixNano: 5n, attributes: { q: 'r' } }] }),
    span({ attributes: { deep30: deep(30), deep31: deep(31) } }),
    span({ name: 'é'.repeat(20), attributes: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, 'v'.repeat(i)])) }),
    // Lengths on both sides of one-byte varints (127), in a field a key scan steps over and in keys.
    ...[0, 1, 100, 126, 127, 128, 129, 200, 300].map((len) =>
      span({ name: 'n'.repeat(len), attributes: { [`k${'e'.repeat(len)}`]: 'v'.repeat(len), a: len } }),
    ),
  ];
}

const BASES: readonly Uint8Array[] = [
  file('./testdata/official-shop.pb'),
  file('./testdata/official-untagged.pb'),
  file('../testing/vectors/trace.pb'),
  encodeProtobufRequest(corner()),
  // One level too deep (refused); mutations that drop it are accepted.
  encodeProtobufRequest([span({ attributes: { fine: 1, deep32: deep(32) } })]),
  ...Array.from({ length: 24 }, (_, seed) => encodeProtobufRequest(randomSpans(seed))),
];

/** A length-delimited field of under 16 KiB. */
const ld = (field: number, body: number[]): number[] => [(field << 3) | 2, ...(body.length < 128 ? [body.length] : [(body.length & 0x7f) | 0x80, body.length >> 7]), ...body];
const k = ld(1, [0x6b]);
const value = (body: number[]): number[] => ld(2, body);

/** A request of one span whose one attribute is the KeyValue `body`. */
function requestWithAttribute(body: number[]): Uint8Array {
  const span = [...ld(1, Array<number>(16).fill(0xab)), ...ld(2, Array<number>(8).fill(1)), ...ld(9, body)];
  return Uint8Array.from(ld(1, ld(2, ld(2, span))));
}

/**
 * KeyValues at the edges of the forms the skim reads in one go (a key, then a value holding one
 * scalar or an array of them): what one-byte changes of real requests cannot reach, as every
 * length would have to change with it.
 */
const ODD_KEY_VALUES: readonly number[][] = [
  [...k, ...value([])],
  [...k],
  [...value([0x10, 1]), ...k],
  [...k, ...value([0x10, 1]), ...value([0x18, 2])],
  [...k, ...value([0x10])],
  [...k, ...value([0x10, 0x80])],
  [...k, ...value([0x18, 0x80, 0x80, 0x80, 0x80, 0x01])],
  [...k, ...value([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
  [...k, ...value([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
  [...k, ...value([0x10, ...Array<number>(10).fill(0xff), 0x01])],
  [...k, ...value([0x18, 2, 0x10, 1])],
  [...k, ...value([0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])],
  [...k, ...value([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])],
  [...k, ...value([0x10, 2])],
  [...k, ...value([0x10, 1]), ...value([])],
  [...k, ...value([0x21, 1, 2, 3, 4, 5, 6, 7])],
  [...k, ...value([0x21, 1, 2, 3, 4, 5, 6, 7, 8, 0x10, 1])],
  [...k, ...value([0x0a, 3, 0x61, 0x62])],
  [...k, ...value([0x0a, 1, 0x61, 0x10, 1])],
  [...k, ...value([0x0a, 2, 0xc3, 0xa9])],
  [...k, ...value([0x3a, 1, 0xff])],
  [...k, ...value([0x12, 0])],
  [...k, ...value([0x2a, 0])],
  [...k, ...value([0x2a, 2, 0x0a, 0])],
  [...k, ...value([0x2a, 3, 0x0a, 1, 0x10])],
  [...k, ...value([0x2a, 3, 0x0a, 5, 0x10])],
  [...k, ...value([0x2a, 4, 0x0a, 2, 0x10, 0x01, 0x10, 1])],
  [...k, ...value([0x2a, 8, 0x0a, 2, 0x10, 0x01, 0x0a, 2, 0x2a, 0])],
  [...k, ...value([0x2a, 6, 0x0a, 4, 0x0a, 2, 0x61, 0x62])],
  [...k, ...value([0x2a, 5, 0x0a, 3, 0x0a, 1, 0xff])],
  [...k, ...value([0x2a, 4, 0x12, 2, 0x10, 1])],
  // An element of 1285 bytes, whose length's second byte is 0x0a: read as one byte of length, it
  // would be a string member of 131 bytes followed by unknown fields.
  [...k, ...value(ld(5, ld(1, [0x83, ...Array<number>(131).fill(0x61), 0x08, 0x80, 0x00, ...Array.from({ length: 575 }, () => [0x08, 0x00]).flat()])))],
];

const limitsArb = fc.option(
  fc.record({
    maxAttributes: fc.integer({ min: 0, max: 6 }),
    maxEvents: fc.integer({ min: 0, max: 2 }),
    maxLinks: fc.integer({ min: 0, max: 2 }),
    maxArrayElements: fc.integer({ min: 0, max: 4 }),
    maxValueBytes: fc.integer({ min: 0, max: 24 }),
  }),
  { nil: undefined },
);
const mutationArb: fc.Arbitrary<Mutation> = fc.record({ op: fc.constantFrom(...MUTATION_OPS), at: fc.nat(), pick: fc.nat() });

describe('skimProtobufRequest against the full decoder', () => {
  it.each(BASES.map((b, i) => [i, b] as const))('agrees on request %i, row by row', (i, bytes) => {
    expect(expectSameAsFullDecoder(bytes)).toBe(i === 4 ? 'refused' : 'accepted');
  });

  it('agrees on mutated requests under small limits (fast-check; seed and path printed on failure)', () => {
    const outcomes = { refused: 0, accepted: 0 };
    fc.assert(
      fc.property(fc.nat(BASES.length - 1), fc.array(mutationArb, { maxLength: 4 }), limitsArb, (base, mutations, limits) => {
        outcomes[expectSameAsFullDecoder(mutate(BASES[base]!, mutations), limits)]++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Both sides of the oracle are exercised, not only refusals.
    expect(outcomes.refused).toBeGreaterThan(RUNS / 20);
    expect(outcomes.accepted).toBeGreaterThan(RUNS / 10);
  });

  it('agrees on short strings with a byte that is not ASCII at each position (the ASCII test reads words)', () => {
    for (let len = 1; len <= 20; len++) {
      const text = '~'.repeat(len);
      for (const spanOf of [(name: string) => span({ name }), (value: string) => span({ attributes: { k: value } })]) {
        const bytes = encodeProtobufRequest([spanOf(text)]);
        const start = Buffer.from(bytes).indexOf(text);
        for (let at = 0; at < len; at++) {
          for (const bad of [0xff, 0xc3]) {
            const mutated = Uint8Array.from(bytes);
            mutated[start + at] = bad;
            expect(expectSameAsFullDecoder(mutated)).toBe('refused');
          }
          expect(expectSameAsFullDecoder(encodeProtobufRequest([spanOf(`${text.slice(0, at)}é${text.slice(at + 1)}`)]))).toBe('accepted');
        }
      }
    }
  });

  it('agrees on every one-byte change of a span with attributes of each form (the one-go readings)', () => {
    const attributes = { s: 'text', i: 200, i5: 2 ** 31, i6: 2 ** 35, neg: -1, b: true, d: 1.5, a: ['x', 7, 'yz'], 'test.run.id': 'r' };
    const bytes = encodeProtobufRequest([span({ name: 'n', attributes, events: [{ name: 'e', timeUnixNano: 1n, attributes: { k: 'v', n: 300 } }] })]);
    const outcomes = { refused: 0, accepted: 0 };
    for (let at = 0; at < bytes.length; at++) {
      for (const v of new Set([0x00, 0x01, 0x0a, 0x7f, 0x80, 0xff, bytes[at]! ^ 0x80, bytes[at]! + 1, bytes[at]! - 1])) {
        const mutated = Uint8Array.from(bytes);
        mutated[at] = v;
        outcomes[expectSameAsFullDecoder(mutated)]++;
      }
    }
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.accepted).toBeGreaterThan(0);
  });

  it.each(ODD_KEY_VALUES.map((kv, i) => [i, kv] as const))('agrees on the hand-made attribute %i, under small limits too', (_, kv) => {
    const bytes = requestWithAttribute(kv);
    for (const limits of [undefined, { maxValueBytes: 1 }, { maxArrayElements: 1 }, { maxAttributes: 0 }]) expectSameAsFullDecoder(bytes, limits);
  });

  it('sliced gives the same result and refuses with the same error', async () => {
    for (const bytes of [BASES[0]!, BASES[3]!, mutate(BASES[4]!, [{ op: 'badUtf8', at: 3, pick: 5 }])]) {
      const sliced = skimProtobufRequestSliced(bytes, { sliceMs: 0 });
      let sync;
      try {
        sync = skimProtobufRequest(bytes);
      } catch (e) {
        await expect(sliced).rejects.toThrow(e as Error);
        continue;
      }
      expect(plain(await sliced)).toEqual(plain(sync));
    }
  });
});
