import { createSpan, type Span, SpanStore, type SpanStoreLike, type SpanStoreOptions } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { ColumnarStore } from './columnar-store.js';

const stores: [string, (options?: SpanStoreOptions) => SpanStoreLike][] = [
  ['SpanStore', (o) => new SpanStore(o)],
  ['ColumnarStore', (o) => new ColumnarStore(o)],
];

// Run inheritance through links on long chains: a queue hop per trace, 8,000 traces each linking to
// the previous one (what a 650 KB request can carry). Every order of arrival gives the same runs,
// and a deleted run leaves none behind, also through a cycle.

const tid = (i: number): string => (i + 1).toString(16).padStart(32, '0');
const sid = (i: number): string => (i + 1).toString(16).padStart(16, '0');
const N = 8000;

function chain(n: number, tagged: (i: number) => string | undefined = (i) => (i === 0 ? 'R' : undefined)): Span[] {
  return Array.from({ length: n }, (_, i) => {
    const run = tagged(i);
    return createSpan({
      traceId: tid(i),
      spanId: sid(i),
      name: 'hop',
      attributes: run === undefined ? {} : { 'test.run.id': run },
      links: i === 0 ? [] : [{ traceId: tid(i - 1), spanId: sid(i - 1) }],
    });
  });
}

describe.each(stores)('%s: run inheritance along a chain of linked traces', (_, make) => {
  it.each([
    ['in one batch, head first', (s: SpanStoreLike, spans: Span[]) => s.add(spans)],
    ['in one batch, head last', (s: SpanStoreLike, spans: Span[]) => s.add([...spans].reverse())],
    ['the rest first, the tagged head in a later batch', (s: SpanStoreLike, spans: Span[]) => (s.add(spans.slice(1)), s.add(spans.slice(0, 1)))],
    ['one trace per batch', (s: SpanStoreLike, spans: Span[]) => spans.forEach((x) => s.add([x]))],
  ])('gives all %s traces the head run (%s)', (_, load) => {
    const store = make();
    const heard: number[] = [];
    store.subscribe('R', (u) => heard.push(u.spans.length));
    load(store, chain(N));
    expect(store.runSpans('R')).toHaveLength(N);
    expect(store.run('R')?.traces).toBe(N);
    expect(heard.reduce((a, b) => a + b, 0)).toBe(N);
  });

  it('passes two runs down the chain where two heads feed it, and forgets one when it is deleted', () => {
    const store = make();
    const spans = chain(N);
    const second = createSpan({ traceId: tid(N + 10), spanId: sid(N + 10), name: 'other', attributes: { 'test.run.id': 'S' } });
    const joiner = createSpan({ traceId: tid(5), spanId: sid(N + 11), name: 'join', links: [{ traceId: tid(N + 10), spanId: sid(N + 10) }] });
    store.add([...spans, second, joiner]);
    expect(store.runSpans('R')).toHaveLength(N + 1);
    expect(store.runSpans('S')).toHaveLength(N - 5 + 1 + 1);
    store.deleteRun('S');
    expect(store.run('S')).toBeUndefined();
    expect(store.runSpans('R').some((s) => s.spanId === spans[N - 1]!.spanId)).toBe(true);
  });

  it('keeps no stale run in a cycle after the run feeding it is deleted', () => {
    const store = make();
    const spans = chain(N);
    // Close the chain into a cycle: the head's trace gets an untagged span linking to the tail.
    const back = createSpan({ traceId: tid(0), spanId: sid(N + 1), name: 'back', links: [{ traceId: tid(N - 1), spanId: sid(N - 1) }] });
    store.add([...spans, back]);
    expect(store.runSpans('R')).toHaveLength(N + 1);
    store.deleteRun('R');
    expect(store.runs()).toEqual([]);
  });
});

describe.each(stores)('%s: a retention sweep in steps', (_, make) => {
  it('stops starting on another run once maxSpans were dropped, and finishes over later calls', () => {
    let now = 0;
    const store = make({ retentionMs: 1000, now: () => now });
    for (let r = 0; r < 10; r++) {
      store.add(Array.from({ length: 100 }, (_, i) => createSpan({ traceId: tid(r), spanId: sid(i), name: 'op', attributes: { 'test.run.id': `run-${r}` } })));
    }
    now = 5000;
    const steps: number[] = [];
    for (let n = store.sweep(250); ; n = store.sweep(250)) {
      steps.push(n);
      if (n < 250) break;
    }
    expect(steps).toEqual([300, 300, 300, 100]);
    expect(store.spanCount).toBe(0);
    expect(store.runs()).toEqual([]);
  });
});
