import { describe, expect, it } from 'vitest';
import { OtlpDecodeError, decodeProtobufRequest, decodeProtobufRequestGeneric, encodeProtobufRequest } from './index.js';
import type { DecodeResult } from './index.js';
import { groupSpans } from './group-spans.js';
import { randomSpans, rng } from './testing/random-spans.js';
import { varint } from './testing/wire-mutations.js';

/*
 * The hand-written Reader decoder against protobufjs's generic decoding of the schema: same spans,
 * same rejections, and both fail (with OtlpDecodeError only) on the same malformed bytes.
 */

type Outcome = { ok: DecodeResult } | { error: unknown };

function run(decode: (b: Uint8Array) => DecodeResult, bytes: Uint8Array): Outcome {
  try {
    return { ok: decode(bytes) };
  } catch (error) {
    return { error };
  }
}

/** Decodes with both; asserts they agree and that any failure is an OtlpDecodeError. */
function both(bytes: Uint8Array, label = ''): Outcome {
  const a = run(decodeProtobufRequest, bytes);
  const b = run(decodeProtobufRequestGeneric, bytes);
  if ('error' in a || 'error' in b) {
    expect('error' in a && a.error, `Reader decoder ${label}`).toBeInstanceOf(OtlpDecodeError);
    expect('error' in b && b.error, `generic decoder ${label}`).toBeInstanceOf(OtlpDecodeError);
    expect((a as { error: OtlpDecodeError }).error.code).toBe('OTLP_DECODE');
  } else {
    expect(a.ok, label).toEqual(b.ok);
  }
  return a;
}

// Hand-built wire format, to send what our encoder never would (unknown fields, odd wire types).
const tag = (field: number, wire: number): number[] => varint(field * 8 + wire);
const bytesOf = (...parts: (number[] | Uint8Array)[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const ld = (field: number, ...parts: (number[] | Uint8Array)[]): number[] => {
  const body = bytesOf(...parts);
  return [...tag(field, 2), ...varint(body.length), ...body];
};
const str = (field: number, s: string): number[] => ld(field, new TextEncoder().encode(s));
const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const fixed64 = (field: number, v: bigint): number[] => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return [...tag(field, 1), ...b];
};

/** One unknown field of every wire type (varint, i64, len, group, i32), as a newer sender might add. */
const UNKNOWN = [
  ...tag(100, 0), ...varint(300),
  ...tag(101, 1), 1, 2, 3, 4, 5, 6, 7, 8,
  ...str(102, 'from the future'),
  ...tag(103, 3), ...tag(1, 0), 1, ...str(2, 'in a group'), ...tag(103, 4),
  ...tag(104, 5), 9, 9, 9, 9,
];

/** A request with one span of each kind of content, with or without unknown fields everywhere. */
function handBuilt(unknown: number[]): Uint8Array {
  const anyValue = (...p: number[][]) => ld(2, unknown, ...p);
  const kv = (field: number, key: string, value: number[]) => ld(field, unknown, str(1, key), value);
  const span = ld(
    2,
    unknown,
    ld(1, hexBytes('5b8efff798038103d269b633813fc60c')),
    ld(2, hexBytes('eee19b7ec3c1b174')),
    str(5, 'checkout'),
    [...tag(6, 0), 2],
    fixed64(7, 1_544_712_660_000_000_000n),
    fixed64(8, 1_544_712_661_000_000_000n),
    kv(9, 'amount', anyValue([...tag(3, 0), ...varint(2500)])),
    kv(9, 'list', anyValue(ld(5, unknown, ld(1, unknown, str(1, 'x'))))),
    ld(11, unknown, fixed64(1, 5n), str(2, 'event')),
    ld(13, unknown, ld(1, hexBytes('0af7651916cd43dd8448eb211c80319c')), ld(2, hexBytes('b7ad6b7169203331'))),
    ld(15, unknown, str(2, 'bad'), [...tag(3, 0), 2]),
  );
  const scopeSpans = ld(2, unknown, ld(1, unknown, str(1, 'lib'), str(2, '1.0')), span);
  const resource = ld(1, unknown, kv(1, 'service.name', anyValue(str(1, 'svc'))));
  return bytesOf(unknown, ld(1, unknown, resource, scopeSpans));
}

describe('protobuf decoding', () => {
  it('skips unknown fields of every wire type at every level', () => {
    const plain = both(handBuilt([]));
    const withUnknown = both(handBuilt(UNKNOWN));
    expect('ok' in plain && plain.ok.spans).toHaveLength(1);
    expect(withUnknown).toEqual(plain);
    const span = (plain as { ok: DecodeResult }).ok.spans[0]!;
    expect(span.attributes.get('amount')).toEqual({ type: 'int', value: 2500n });
    expect(span.attributes.get('list')).toEqual({ type: 'array', value: [{ type: 'string', value: 'x' }] });
    expect(span.status).toEqual({ code: 2, message: 'bad' });
    expect(span.links[0]!.spanId).toBe('b7ad6b7169203331');
    expect(span.resource.attributes.get('service.name')).toEqual({ type: 'string', value: 'svc' });
  });

  it('skips a known field sent with another wire type, like any unknown field', () => {
    const span = ld(2, ld(1, hexBytes('5b8efff798038103d269b633813fc60c')), ld(2, hexBytes('eee19b7ec3c1b174')), [...tag(5, 0), 7]);
    const result = both(bytesOf(ld(1, ld(2, span))));
    expect('ok' in result && result.ok.spans[0]!.name).toBe('');
  });

  it('keeps the last value of a repeated attribute key', () => {
    const kv = (v: number) => ld(9, str(1, 'k'), ld(2, [...tag(3, 0), v]));
    const span = ld(2, ld(1, hexBytes('5b8efff798038103d269b633813fc60c')), ld(2, hexBytes('eee19b7ec3c1b174')), kv(1), kv(2));
    const result = both(bytesOf(ld(1, ld(2, span))));
    expect('ok' in result && result.ok.spans[0]!.attributes.get('k')).toEqual({ type: 'int', value: 2n });
  });

  it('keeps apart attribute keys that differ only in the middle, or only beyond ASCII', () => {
    const keys = ['aXbcd', 'aYbcd', 'aXbcd', 'cafe', 'café', 'cafè', 'aZbcd', ''];
    const kvs = keys.map((k, i) => ld(9, str(1, k), ld(2, [...tag(3, 0), i])));
    const span = (id: string) => ld(2, ld(1, hexBytes('5b8efff798038103d269b633813fc60c')), ld(2, hexBytes(id)), ...kvs);
    const result = both(bytesOf(ld(1, ld(2, span('eee19b7ec3c1b174'), span('eee19b7ec3c1b175')))));
    expect('ok' in result).toBe(true);
    for (const s of (result as { ok: DecodeResult }).ok.spans) {
      expect([...s.attributes].map(([k, v]) => [k, v.type === 'int' ? Number(v.value) : -1])).toEqual([
        ['aXbcd', 2], ['aYbcd', 1], ['cafe', 3], ['café', 4], ['cafè', 5], ['aZbcd', 6], ['', 7],
      ]);
    }
  });

  it('reads concatenated requests as one', () => {
    const a = randomSpans(7);
    const b = randomSpans(8);
    const joined = both(bytesOf(encodeProtobufRequest(a), encodeProtobufRequest(b)));
    expect('ok' in joined && joined.ok.spans).toEqual([...a, ...b]);
  });

  it('merges a message field sent twice: later scalars win, repeated fields append, oneofs switch', () => {
    const ids = [...ld(1, hexBytes('5b8efff798038103d269b633813fc60c')), ...ld(2, hexBytes('eee19b7ec3c1b174'))];
    const intValue = (n: number) => [...tag(3, 0), ...varint(n)];
    const arrayOf = (...strings: string[]) => ld(5, ...strings.map((x) => ld(1, str(1, x))));
    const firstHalf = [
      ...ids,
      ...str(5, 'first'),
      ...ld(9, str(1, 'a'), ld(2, intValue(1))),
      ...ld(9, str(1, 'list'), ld(2, arrayOf('x')), ld(2, arrayOf('y'))),
      ...ld(9, str(1, 'switch'), ld(2, arrayOf('x')), ld(2, str(1, 's')), ld(2, arrayOf('z'))),
      ...ld(15, str(2, 'kept message')),
    ];
    const secondHalf = [...str(5, 'second'), ...ld(9, str(1, 'a'), ld(2, intValue(2))), ...ld(15, [...tag(3, 0), 2])];
    const resourceTwice = [...ld(1, ld(1, str(1, 'r1'), ld(2, str(1, 'one')))), ...ld(1, ld(1, str(1, 'r2'), ld(2, str(1, 'two'))))];
    const request = bytesOf(ld(1, resourceTwice, ld(2, ld(2, firstHalf, secondHalf))));
    const result = both(request);
    expect('ok' in result).toBe(true);
    const span = (result as { ok: DecodeResult }).ok.spans[0]!;
    expect(span.name).toBe('second');
    expect(span.attributes.get('a')).toEqual({ type: 'int', value: 2n });
    expect(span.attributes.get('list')).toEqual({ type: 'array', value: [{ type: 'string', value: 'x' }, { type: 'string', value: 'y' }] });
    expect(span.attributes.get('switch')).toEqual({ type: 'array', value: [{ type: 'string', value: 'z' }] });
    expect(span.status).toEqual({ code: 2, message: 'kept message' });
    expect([...span.resource.attributes.keys()]).toEqual(['r1', 'r2']);
  });

  it('agrees with the generic decoder on randomized requests', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const result = both(encodeProtobufRequest(randomSpans(seed)), `seed ${seed}`);
      expect('ok' in result, `seed ${seed}`).toBe(true);
    }
  });

  it('fails on a request cut at any point inside a message, and reads cuts between messages', () => {
    const spans = randomSpans(3);
    const bytes = encodeProtobufRequest(spans);
    const groups = groupSpans(spans).length;
    let accepted = 0;
    for (let cut = 0; cut < bytes.length; cut++) {
      const result = both(bytes.subarray(0, cut), `cut at ${cut}`);
      if ('ok' in result) accepted++;
    }
    // Only the empty prefix and the boundaries between top-level ResourceSpans are whole requests.
    expect(accepted).toBe(groups);
    const last = run(decodeProtobufRequest, bytes.subarray(0, bytes.length - 1));
    expect('error' in last && (last.error as Error).message).toMatch(/^truncated message at offset \d+$/);
  });

  it('names the offset of a truncation and of an invalid wire type', () => {
    for (const decode of [decodeProtobufRequest, decodeProtobufRequestGeneric]) {
      expect(() => decode(Uint8Array.from([0x0a, 0x05, 0x0a]))).toThrow(
        expect.objectContaining({ message: 'truncated message at offset 2', reason: 'truncated message', offset: 2, path: undefined }),
      );
      expect(() => decode(Uint8Array.from([0x0f]))).toThrow(/^invalid wire type 7 at offset \d+$/);
      expect(() => decode(Uint8Array.from([0x0a, 0x02, 0x16, 0x00]))).toThrow(/^invalid wire type 6 at offset \d+$/);
      expect(() => decode(Uint8Array.from([0x08, 0xff, 0xff]))).toThrow(OtlpDecodeError);
    }
  });

  it('rejects a string field that is not UTF-8 (proto3 strings must be)', () => {
    const name = [...tag(5, 2), 2, 0xc3, 0x28];
    const span = ld(2, ld(1, hexBytes('5b8efff798038103d269b633813fc60c')), ld(2, hexBytes('eee19b7ec3c1b174')), name);
    const bytes = bytesOf(ld(1, ld(2, span)));
    for (const decode of [decodeProtobufRequest, decodeProtobufRequestGeneric]) {
      expect(() => decode(bytes)).toThrow(/^invalid UTF-8 in the string field ending at offset \d+$/);
    }
  });

  it('fails with OtlpDecodeError, never another error, on garbage and corrupted bytes', () => {
    const next = rng(42);
    let failures = 0;
    for (let i = 0; i < 400; i++) {
      const garbage = Uint8Array.from({ length: Math.floor(next() * 200) }, () => Math.floor(next() * 256));
      if ('error' in both(garbage, `garbage #${i}`)) failures++;
    }
    const valid = encodeProtobufRequest(randomSpans(5));
    for (let i = 0; i < 400; i++) {
      const corrupted = Uint8Array.from(valid);
      for (let k = 0; k < 3; k++) corrupted[Math.floor(next() * corrupted.length)] = Math.floor(next() * 256);
      if ('error' in both(corrupted, `corruption #${i}`)) failures++;
    }
    expect(failures).toBeGreaterThan(400);
  });

  it('returns the same result for a Buffer and for a plain Uint8Array', () => {
    const bytes = encodeProtobufRequest(randomSpans(11));
    const plain = Uint8Array.from(bytes);
    expect(decodeProtobufRequest(Buffer.from(bytes))).toEqual(decodeProtobufRequest(plain));
  });
});
