import { createSpan, type Span } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { buildRunGraph, RunGraphBuilder } from './graph.js';

const span = (trace: number, id: number, parent = 0, start = 1_000n * BigInt(id)): Span =>
  createSpan({
    traceId: trace.toString(16).padStart(32, '0'),
    spanId: id.toString(16).padStart(16, '0'),
    parentSpanId: parent === 0 ? '' : parent.toString(16).padStart(16, '0'),
    startTimeUnixNano: start,
    endTimeUnixNano: start + 10n,
  });

describe('RunGraphBuilder', () => {
  it('grown in parts, in any order, gives the graph built at once', () => {
    const spans = [span(1, 1), span(1, 2, 1), span(1, 3, 2), span(2, 4), span(2, 5, 4, 5n)];
    const builder = new RunGraphBuilder();
    builder.add([spans[2]!, spans[4]!]);
    builder.add([spans[0]!]);
    builder.add([spans[1]!, spans[3]!, spans[0]!]); // the repeat is ignored
    const grown = builder.graph();
    const whole = buildRunGraph([spans[2]!, spans[4]!, spans[0]!, spans[1]!, spans[3]!]);
    expect(grown.spans).toEqual(whole.spans);
    expect(grown.startNanos).toBe(5n);
    for (const s of spans) {
      const [g, w] = [grown.traceOf(s), whole.traceOf(s)];
      expect(g.parent(s)).toBe(w.parent(s));
      expect(g.children(s)).toEqual(w.children(s));
      expect(g.isOrphan(s)).toBe(w.isOrphan(s));
      expect(g.root).toBe(w.root);
    }
    expect(grown.traceOf(spans[2]!).isOrphan(spans[2]!)).toBe(false);
  });

  it('keeps a graph taken earlier as it was, while later graphs see new spans', () => {
    const builder = new RunGraphBuilder();
    builder.add([span(1, 1)]);
    const before = builder.graph();
    builder.add([span(1, 2, 1), span(3, 3)]);
    expect(before.spans).toHaveLength(1);
    expect(before.traces).toHaveLength(1);
    const after = builder.graph();
    expect(after.spans).toHaveLength(3);
    expect(after.traces).toHaveLength(2);
  });
});
