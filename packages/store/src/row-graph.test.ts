import { RunGraphBuilder } from '@tracecheck/lang';
import { createSpan, type RunGraph, type Span } from '@tracecheck/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnarStore } from './columnar-store.js';

// The store's graph over its rows must answer exactly as the lang package's graph over span id
// strings, which every other source uses: same roots, parents, children, orphans and time extents,
// whatever the shape of the traces and the order spans arrive in.

const tid = (i: number): string => (i + 1).toString(16).padStart(32, '0');
const sid = (i: number): string => (i + 1).toString(16).padStart(16, '0');

interface Shape {
  /** Per span: its trace (0-3), its parent (an index, -1 for none, -2 for an invented parent named in trace state, -3 for a parent that never arrives, -4 for itself), start. */
  spans: { trace: number; parent: number; start: number; duration: number }[];
  /** Arrival in batches: cut points into a shuffled order. */
  order: number[];
  cuts: number[];
}

const shapes = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.record({
      spans: fc.array(
        fc.record({ trace: fc.integer({ min: 0, max: 3 }), parent: fc.integer({ min: -4, max: n - 1 }), start: fc.integer({ min: 0, max: 1e6 }), duration: fc.integer({ min: 0, max: 1e5 }) }),
        { minLength: n, maxLength: n },
      ),
      order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      cuts: fc.array(fc.integer({ min: 0, max: n }), { maxLength: 4 }),
    }),
  );

function spansOf(shape: Shape): Span[] {
  return shape.spans.map((s, i) => {
    // A parent index names a span of the same trace only when that span is in the same trace.
    const parent =
      s.parent >= 0 ? (shape.spans[s.parent]!.trace === s.trace ? sid(s.parent) : sid(10_000 + i)) : s.parent === -2 ? sid(20_000 + i) : s.parent === -3 ? sid(30_000 + i) : s.parent === -4 ? sid(i) : '';
    const start = 1_700_000_000_000_000_000n + BigInt(s.start);
    const span = createSpan({
      traceId: tid(s.trace),
      spanId: sid(i),
      parentSpanId: parent,
      name: `s${i}`,
      startTimeUnixNano: start,
      endTimeUnixNano: start + BigInt(s.duration),
      attributes: { 'test.run.id': 'R' },
    });
    return s.parent === -2 ? { ...span, traceState: `other=1,tracecheck=${parent}` } : span;
  });
}

/** Everything the evaluator can ask of a graph, by span name. */
function describeGraph(g: RunGraph) {
  const names = (list: readonly Span[]) => list.map((s) => s.name);
  return {
    spans: names(g.spans),
    startNanos: g.startNanos,
    traces: g.traces.map((t) => ({
      traceId: t.traceId,
      spans: names(t.spans),
      root: t.root?.name,
      startNanos: t.startNanos,
      endNanos: t.endNanos,
      perSpan: t.spans.map((s) => ({ parent: t.parent(s)?.name, children: names(t.children(s)).sort(), orphan: t.isOrphan(s), trace: g.traceOf(s).traceId })),
    })),
  };
}

describe('RowGraph, the columnar store\'s graph over its rows', () => {
  it('answers as RunGraphBuilder does, whatever the traces and the order of arrival', () => {
    fc.assert(
      fc.property(shapes, (shape) => {
        const spans = spansOf(shape);
        const arrival = shape.order.map((i) => spans[i]!);
        const cuts = [0, ...[...shape.cuts].sort((a, b) => a - b), arrival.length];
        const store = new ColumnarStore();
        const rows = store.runGraph();
        const reference = new RunGraphBuilder();
        let seen = 0;
        for (let c = 1; c < cuts.length; c++) {
          store.add(arrival.slice(cuts[c - 1], cuts[c]));
          // Grow both graphs with what the store now holds for the run, as deciding does on updates.
          const now = store.runSpans('R');
          rows.add(now.slice(seen));
          reference.add(now.slice(seen));
          seen = now.length;
          expect(describeGraph(rows.graph())).toEqual(describeGraph(reference.graph()));
        }
      }),
      { numRuns: Number(process.env.TRACECHECK_FUZZ_RUNS ?? 300), seed: Number(process.env.TRACECHECK_FUZZ_SEED ?? 12) },
    );
  });
});
