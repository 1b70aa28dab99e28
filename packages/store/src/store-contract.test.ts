import { createSpan, type RunUpdate, type SpanInit, SpanStore, type SpanStoreLike, type SpanStoreOptions, StoreFullError } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { ColumnarStore } from './columnar-store.js';

// The contract every span store keeps (run membership, subscriptions, the cap, deletion, retention),
// run against the object store of @tracecheck/model and the columnar store of this package.
const stores: [string, (options?: SpanStoreOptions) => SpanStoreLike][] = [
  ['SpanStore', (o) => new SpanStore(o)],
  ['ColumnarStore', (o) => new ColumnarStore(o)],
];

const T1 = '1'.repeat(32);
const T2 = '2'.repeat(32);
const T3 = '3'.repeat(32);
const sid = (n: number) => n.toString(16).padStart(16, '0');

function span(traceId: string, n: number, extra: Partial<SpanInit> & { run?: string } = {}) {
  const { run, ...rest } = extra;
  return createSpan({ traceId, spanId: sid(n), name: `s${n}`, ...rest, attributes: run ? { 'test.run.id': run } : {} });
}
const names = (store: SpanStoreLike, run: string) => store.runSpans(run).map((s) => s.name).sort();

describe.each(stores)('%s run membership', (_, make) => {
  it('puts a tagged span in its run only, and untagged spans of its trace in the same run', () => {
    const store = make();
    store.add([span(T1, 1, { run: 'A' }), span(T1, 2, { parentSpanId: sid(1) })]);
    expect(names(store, 'A')).toEqual(['s1', 's2']);
    expect(store.runSpans('B')).toEqual([]);
  });

  it('adopts untagged spans that arrived before the tagged one', () => {
    const store = make();
    store.add([span(T1, 2, { parentSpanId: sid(1) }), span(T1, 3, { parentSpanId: sid(2) })]);
    expect(store.runs()).toEqual([]);
    store.add([span(T1, 1, { run: 'A' })]);
    expect(names(store, 'A')).toEqual(['s1', 's2', 's3']);
  });

  it('keeps runs isolated: a span tagged with one run never appears in another', () => {
    const store = make();
    store.add([span(T1, 1, { run: 'A' }), span(T1, 2, { run: 'B' }), span(T1, 3)]);
    expect(names(store, 'A')).toEqual(['s1', 's3']);
    expect(names(store, 'B')).toEqual(['s2', 's3']);
  });

  it('gives an untagged trace the runs of the spans it links to, transitively and in any order', () => {
    const store = make();
    // T3 links to T2 which links to T1; they arrive last-first.
    store.add([span(T3, 30, { links: [{ traceId: T2, spanId: sid(20) }] })]);
    store.add([span(T2, 20, { links: [{ traceId: T1, spanId: sid(10) }] }), span(T2, 21, { parentSpanId: sid(20) })]);
    expect(store.runs()).toEqual([]);
    store.add([span(T1, 10, { run: 'A' })]);
    expect(names(store, 'A')).toEqual(['s10', 's20', 's21', 's30']);
  });

  it('counts a batch trace linked from two runs in both', () => {
    const store = make();
    store.add([
      span(T1, 1, { run: 'A' }),
      span(T2, 2, { run: 'B' }),
      span(T3, 3, { links: [{ traceId: T1, spanId: sid(1) }, { traceId: T2, spanId: sid(2) }] }),
    ]);
    expect(names(store, 'A')).toEqual(['s1', 's3']);
    expect(names(store, 'B')).toEqual(['s2', 's3']);
  });

  it('does not follow links from a trace that has tagged spans of its own', () => {
    const store = make();
    store.add([span(T1, 1, { run: 'A' }), span(T2, 2, { run: 'B', links: [{ traceId: T1, spanId: sid(1) }] }), span(T2, 3)]);
    expect(names(store, 'A')).toEqual(['s1']);
    expect(names(store, 'B')).toEqual(['s2', 's3']);
  });

  it('survives a cycle of links without inventing runs', () => {
    const store = make();
    store.add([span(T1, 1, { links: [{ traceId: T2, spanId: sid(2) }] }), span(T2, 2, { links: [{ traceId: T1, spanId: sid(1) }] })]);
    expect(store.runs()).toEqual([]);
    store.add([span(T3, 3, { run: 'A' }), span(T1, 4, { links: [{ traceId: T3, spanId: sid(3) }] })]);
    expect(names(store, 'A')).toEqual(['s1', 's2', 's3', 's4']);
  });

  it('ignores a duplicate span (same trace and span id)', () => {
    const store = make();
    expect(store.add([span(T1, 1, { run: 'A' }), span(T1, 1, { run: 'A' })])).toEqual({ accepted: 1, duplicates: 1 });
    expect(store.add([span(T1, 1, { run: 'A' })])).toEqual({ accepted: 0, duplicates: 1 });
    expect(store.runSpans('A')).toHaveLength(1);
  });

  it('indexes spans by trace', () => {
    const store = make();
    store.add([span(T1, 1, { run: 'A', name: 'charge' }), span(T2, 2, { run: 'B', name: 'charge' }), span(T2, 3)]);
    expect(store.traceSpans(T2).map((s) => s.spanId)).toEqual([sid(2), sid(3)]);
    expect(store.hasSpan(T1, sid(1))).toBe(true);
    expect(store.hasSpan(T1, sid(2))).toBe(false);
    expect(store.hasSpan('not hex', sid(1))).toBe(false);
  });
});

describe.each(stores)('%s subscriptions', (_, make) => {
  it('pushes new spans of the run, and stored spans when they inherit the run later', () => {
    const store = make();
    const updates: RunUpdate[] = [];
    store.subscribe('A', (u) => updates.push(u));
    store.add([span(T1, 2, { parentSpanId: sid(1) })]);
    expect(updates).toEqual([]);
    store.add([span(T1, 1, { run: 'A' }), span(T2, 5, { run: 'B' })]);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.spans.map((s) => s.name).sort()).toEqual(['s1', 's2']);
    store.add([span(T1, 3, { parentSpanId: sid(1) })]);
    expect(updates[1]!.spans.map((s) => s.name)).toEqual(['s3']);
  });

  it('stops after unsubscribe, and a throwing listener does not break ingest', () => {
    const store = make();
    let calls = 0;
    store.subscribe('A', () => {
      throw new Error('listener bug');
    });
    const off = store.subscribe('A', () => calls++);
    store.add([span(T1, 1, { run: 'A' })]);
    off();
    store.add([span(T1, 2, { run: 'A' })]);
    expect(calls).toBe(1);
    expect(store.runSpans('A')).toHaveLength(2);
  });
});

describe.each(stores)('%s limits and deletion', (_, make) => {
  it('refuses a batch over the memory cap atomically and keeps what it had', () => {
    const store = make({ maxBytes: 20_000 });
    store.add([span(T1, 1, { run: 'A' })]);
    const before = store.usedBytes;
    const big = Array.from({ length: 100 }, (_, i) => span(T2, 100 + i, { run: 'B' }));
    expect(() => store.add(big)).toThrow(StoreFullError);
    expect(store.usedBytes).toBe(before);
    expect(store.runSpans('B')).toEqual([]);
    expect(store.runSpans('A')).toHaveLength(1);
  });

  it('frees memory when a run is deleted, keeping spans shared with other runs', () => {
    const store = make();
    store.add([span(T1, 1, { run: 'A' }), span(T1, 2), span(T2, 3, { run: 'A' }), span(T2, 4, { run: 'B' }), span(T2, 5)]);
    expect(store.deleteRun('A')).toBe(true);
    expect(store.run('A')).toBeUndefined();
    expect(names(store, 'B')).toEqual(['s4', 's5']);
    expect(store.spanCount).toBe(2);
    expect(store.deleteRun('A')).toBe(false);
  });

  it('returns memory to zero after every run is deleted', () => {
    const store = make();
    store.add([span(T1, 1, { run: 'A' }), span(T1, 2), span(T2, 3, { links: [{ traceId: T1, spanId: sid(1) }] })]);
    store.deleteRun('A');
    expect(store.spanCount).toBe(0);
    expect(store.usedBytes).toBe(0);
  });

  it('drops runs and orphan traces quiet for longer than the retention', () => {
    let now = 1_000;
    const store = make({ retentionMs: 100, now: () => now });
    store.add([span(T1, 1, { run: 'A' }), span(T3, 9)]);
    now = 1_050;
    store.add([span(T2, 2, { run: 'B' })]);
    now = 1_120;
    expect(store.sweep()).toBe(2);
    expect(store.runs().map((r) => r.id)).toEqual(['B']);
    expect(store.traceSpans(T3)).toEqual([]);
  });

  it('summarizes runs with span and trace counts and receive times', () => {
    let now = 5;
    const store = make({ now: () => now });
    store.add([span(T1, 1, { run: 'A' }), span(T1, 2)]);
    now = 9;
    store.add([span(T2, 3, { run: 'A' })]);
    expect(store.runs()).toEqual([{ id: 'A', spans: 3, traces: 2, firstSeen: 5, lastSeen: 9 }]);
  });
});
