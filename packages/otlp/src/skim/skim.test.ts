import { createSpan, type Span } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { encodeProtobufRequest, LazyAttributes, OtlpBudgetError, releaseSkim, type SkimResult, skimProtobufRequest, skimProtobufRequestSliced } from '../index.js';

// What the differential tests cannot see: ownership of the bytes, the budget, pauses, laziness.

let n = 0;
const span = (init: Partial<Parameters<typeof createSpan>[0]> = {}): Span =>
  createSpan({ traceId: 'ab'.repeat(16), spanId: (++n).toString(16).padStart(16, '0'), name: 'op', ...init });
const request = (count: number): Uint8Array =>
  encodeProtobufRequest(Array.from({ length: count }, () => span({ attributes: { 'test.run.id': 'r1', amount: 2500 } })));

describe('skimProtobufRequest', () => {
  it('copies a view into a larger buffer (the pool), keeps a buffer of its own as is', () => {
    const bytes = request(3);
    const pooled = Buffer.alloc(bytes.length + 100);
    pooled.set(bytes, 50);
    const view = pooled.subarray(50, 50 + bytes.length);
    const fromView = skimProtobufRequest(view);
    expect(fromView.bytes.buffer).not.toBe(pooled.buffer);
    expect(fromView.bytes.byteLength).toBe(fromView.bytes.buffer.byteLength);
    expect([...fromView.bytes]).toEqual([...bytes]);
    const own = new Uint8Array(bytes);
    expect(skimProtobufRequest(own).bytes).toBe(own);
  });

  it('charges the budget for the bytes it keeps and each row, and is refused when it runs out', () => {
    const bytes = request(1000);
    let taken = 0;
    const r = skimProtobufRequest(bytes, { budget: { take: (b) => ((taken += b), true) } });
    expect(r.count).toBe(1000);
    expect(taken).toBeGreaterThan(bytes.byteLength + 1000 * 100);
    expect(() => skimProtobufRequest(bytes, { budget: { take: () => false } })).toThrow(OtlpBudgetError);
    let left = bytes.byteLength + 70_000;
    expect(() => skimProtobufRequest(bytes, { budget: { take: (b) => (left -= b) >= 0 } })).toThrow(OtlpBudgetError);
  });

  it('sizes its columns to the rows (views of the filled part)', () => {
    const r = skimProtobufRequest(request(37));
    expect([r.count, r.kind.length, r.ids.length, r.ranges.length, r.linkStart.length, r.names.length, r.runTags.length]).toEqual([37, 37, 37 * 8, 74, 38, 37, 37]);
  });

  it('reuses released columns for the next skim, zeroed: it reads the same as on fresh columns', () => {
    // The first request sets what the second leaves unset: parents, complex rows (a value over the
    // limit), inherited run tags, links; the second has root spans with tags of their own.
    const limits = { maxValueBytes: 12 };
    const first = encodeProtobufRequest(
      Array.from({ length: 60 }, (_, i) =>
        span({ parentSpanId: 'cd'.repeat(8), kind: 2, attributes: { big: i % 2 ? 'x'.repeat(20) : 'y' }, links: [{ traceId: 'ef'.repeat(16), spanId: '12'.repeat(8) }] }),
      ),
    );
    const second = encodeProtobufRequest(Array.from({ length: 50 }, () => span({ attributes: { 'test.run.id': 'r2' } })));
    const columns = (r: SkimResult) => [r.ids, r.ranges, r.startNanos, r.endNanos, r.kind, r.statusCode, r.flags, r.resourceIndex, r.scopeIndex, r.linkStart, r.linkIds, r.complex].map((c) => [...c]);
    const fresh = columns(skimProtobufRequest(second, { limits }));
    const a = skimProtobufRequest(first, { limits });
    expect(a.complex.some((c) => c === 1)).toBe(true);
    releaseSkim(a);
    releaseSkim(a); // a second release changes nothing
    const b = skimProtobufRequest(second, { limits });
    expect(b.ids.buffer).toBe(a.ids.buffer);
    expect(columns(b)).toEqual(fresh);
    expect(b.runTags).toEqual(Array(50).fill('r2'));
    // Released once, the buffer goes to one skim only.
    expect(skimProtobufRequest(second, { limits }).ids.buffer).not.toBe(b.ids.buffer);
  });

  it('sliced: pauses between spans', async () => {
    let pauses = 0;
    const r = await skimProtobufRequestSliced(request(100), { sliceMs: 0, checkEvery: 1, pause: async () => void pauses++ });
    expect(r.count).toBe(100);
    expect(pauses).toBeGreaterThanOrEqual(100);
  });
});

describe('LazyAttributes', () => {
  it('answers get and has by a scan, decodes the whole span once for size and iteration', () => {
    const bytes = encodeProtobufRequest([span({ attributes: { a: 1, b: 'x', a2: [1, { k: 'v' }] } })]);
    const r = skimProtobufRequest(bytes);
    const lazy = new LazyAttributes({ bytes: r.bytes, start: r.ranges[0]!, end: r.ranges[1]! });
    expect(lazy.get('b')).toEqual({ type: 'string', value: 'x' });
    expect(lazy.get('b')).toBe(lazy.get('b'));
    expect(lazy.has('zz')).toBe(false);
    expect([...lazy.keys()]).toEqual(['a', 'b', 'a2']);
    expect(lazy.size).toBe(3);
    const seen: string[] = [];
    lazy.forEach((_, k, map) => {
      expect(map).toBe(lazy);
      seen.push(k);
    });
    expect(seen).toEqual(['a', 'b', 'a2']);
  });
});
