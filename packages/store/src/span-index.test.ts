import { createSpan, type Span } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { ColumnarStore } from './columnar-store.js';
import { SMALL_TRACE } from './span-index.js';

// A trace's rows as a list, found by span id along the list while the trace is small and through
// the span id table past SMALL_TRACE rows: the same answers either side of that size, through
// growth, duplicates, deletion (whole and in parts), reuse of freed rows, and a trace emptied and
// filled again.

const T = 'a'.repeat(32);
const U = 'b'.repeat(32);
const sid = (i: number): string => (i + 1).toString(16).padStart(16, '0');
const BIG = 3 * SMALL_TRACE;

/** Spans `from` to `to` of trace `traceId`, each the child of the one before; span i tagged with `run(i)` if any. */
function spans(traceId: string, from: number, to: number, run: string | ((i: number) => string | undefined) = () => undefined): Span[] {
  const tag = typeof run === 'string' ? () => run : run;
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    const r = tag(i);
    return createSpan({ traceId, spanId: sid(i), parentSpanId: i === 0 ? '' : sid(i - 1), name: `s${i}`, attributes: r === undefined ? {} : { 'test.run.id': r } });
  });
}

const ids = (list: readonly Span[]): string[] => list.map((s) => s.spanId);
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, k) => sid(from + k));

/** Each span's parent in the run's graph, by span id ('-' for none). */
function parents(store: ColumnarStore, run: string): string[] {
  const graph = store.runGraph();
  graph.add(store.runSpans(run));
  return graph.graph().traces.flatMap((t) => t.spans.map((s) => t.parent(s)?.spanId ?? '-'));
}

describe('ColumnarStore rows of a trace', () => {
  it('drops repeated spans and finds every span, before and after a trace outgrows SMALL_TRACE', () => {
    const store = new ColumnarStore();
    expect(store.add(spans(T, 0, SMALL_TRACE - 1, 'A'))).toEqual({ accepted: SMALL_TRACE - 1, duplicates: 0 });
    // One request that repeats the stored spans, repeats its own spans and crosses the size.
    const request = [...spans(T, 0, 4), ...spans(T, SMALL_TRACE - 1, BIG), ...spans(T, SMALL_TRACE, SMALL_TRACE + 3)];
    expect(store.add(request)).toEqual({ accepted: BIG - SMALL_TRACE + 1, duplicates: 7 });
    expect(store.add(spans(T, 0, BIG))).toEqual({ accepted: 0, duplicates: BIG });
    expect(ids(store.traceSpans(T))).toEqual(range(0, BIG));
    for (let i = 0; i < BIG; i++) expect(store.hasSpan(T, sid(i))).toBe(true);
    expect(store.hasSpan(T, sid(BIG))).toBe(false);
    expect(parents(store, 'A')).toEqual(['-', ...range(0, BIG - 1)]);
  });

  it('reuses the rows of deleted spans for other traces, each keeping its own spans in order', () => {
    const store = new ColumnarStore();
    store.add([...spans(T, 0, BIG, 'A'), ...spans(U, 0, 5, 'B')]);
    store.deleteRun('A');
    expect(store.hasSpan(T, sid(0))).toBe(false);
    // The freed rows go to U's new spans and to a new small trace; T's ids are new again.
    expect(store.add([...spans(U, 5, BIG + 5), ...spans(T, 0, 3, 'C')])).toEqual({ accepted: BIG + 3, duplicates: 0 });
    expect(ids(store.traceSpans(U))).toEqual(range(0, BIG + 5));
    expect(ids(store.traceSpans(T))).toEqual(range(0, 3));
    expect(parents(store, 'B')).toEqual(['-', ...range(0, BIG + 4)]);
    expect(store.hasSpan(U, sid(BIG + 4))).toBe(true);
    expect(store.hasSpan(T, sid(3))).toBe(false);
  });

  it('deletes a run in parts out of large traces it shares, keeping the other run its spans in order', () => {
    const store = new ColumnarStore();
    // The spans of T and U alternate between runs A and B; their untagged spans belong to both and stay.
    const tag = (i: number): string | undefined => (i % 3 === 2 ? undefined : i % 3 === 0 ? 'A' : 'B');
    store.add([...spans(T, 0, BIG, tag), ...spans(U, 0, BIG, tag)]);
    const kept = range(0, BIG).filter((_, i) => i % 3 !== 0);
    // A part ends only between traces: one trace per part here.
    expect(store.deleteRunSome('A', 5)).toBe('more');
    expect([T, U].map((trace) => store.traceSpans(trace).length).sort()).toEqual([kept.length, BIG]);
    expect(store.deleteRunSome('A', 5)).toBe('done');
    for (const trace of [T, U]) {
      expect(ids(store.traceSpans(trace))).toEqual(kept);
      for (let i = 0; i < BIG; i++) expect(store.hasSpan(trace, sid(i))).toBe(i % 3 !== 0);
    }
    expect(ids(store.runSpans('B'))).toEqual([...kept, ...kept]);
    // A deleted span is new again; a kept one is still a duplicate.
    expect(store.add(spans(T, 0, 2, 'B'))).toEqual({ accepted: 1, duplicates: 1 });
    expect(ids(store.traceSpans(T))).toEqual([...kept, sid(0)]);
  });

  it('empties a trace and fills it again, small after large and large after small', () => {
    const store = new ColumnarStore();
    store.add(spans(T, 0, BIG, 'A'));
    store.deleteRun('A');
    expect(store.traceSpans(T)).toEqual([]);
    expect(store.add([...spans(T, 0, 3, 'B'), ...spans(T, 1, 2)])).toEqual({ accepted: 3, duplicates: 1 });
    expect(ids(store.traceSpans(T))).toEqual(range(0, 3));
    store.deleteRun('B');
    expect(store.add(spans(T, 0, BIG, 'C'))).toEqual({ accepted: BIG, duplicates: 0 });
    expect(ids(store.runSpans('C'))).toEqual(range(0, BIG));
    expect(parents(store, 'C')).toEqual(['-', ...range(0, BIG - 1)]);
    expect(store.spanCount).toBe(BIG);
    store.deleteRun('C');
    expect(store.spanCount).toBe(0);
    expect(store.usedBytes).toBe(0);
  });
});
