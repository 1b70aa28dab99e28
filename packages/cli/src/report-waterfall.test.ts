import type { JsonSpan } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { layoutWaterfall } from './report-waterfall.js';

const span = (traceId: string, spanId: string, parentSpanId: string, start: number, end: number, name = spanId): JsonSpan => ({
  traceId,
  spanId,
  parentSpanId,
  traceState: '',
  flags: 0,
  name,
  kind: 1,
  startTimeUnixNano: String(BigInt(start) * 1_000_000n),
  endTimeUnixNano: String(BigInt(end) * 1_000_000n),
  attributes: [],
  droppedAttributesCount: 0,
  events: [],
  droppedEventsCount: 0,
  links: [],
  droppedLinksCount: 0,
  status: { code: 0, message: '' },
  resource: { attributes: [], droppedAttributesCount: 0, schemaUrl: '' },
  scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' },
});

describe('layoutWaterfall', () => {
  it('orders each trace as a tree (children by start), with depths and bars relative to the trace', () => {
    const spans = [
      span('t1', 'c2', 'root', 60, 100), // arrives first, starts later
      span('t1', 'root', '', 0, 100),
      span('t1', 'c1', 'root', 10, 50),
      span('t1', 'g1', 'c1', 20, 30),
      span('t1', 'orphan', 'never-came', 5, 15),
    ];
    const w = layoutWaterfall(spans, () => false, 100);
    expect(w.traces).toHaveLength(1);
    const rows = w.traces[0]!.rows.map((r) => [spans[r.index]!.spanId, r.depth, r.orphan]);
    expect(rows).toEqual([
      ['root', 0, false],
      ['c1', 1, false],
      ['g1', 2, false],
      ['c2', 1, false],
      ['orphan', 0, true],
    ]);
    const c2 = w.traces[0]!.rows.find((r) => spans[r.index]!.spanId === 'c2')!;
    expect([c2.left, c2.width]).toEqual([60, 40]);
    expect(w.traces[0]!.durationNs).toBe(100_000_000n);
  });

  it('survives parent cycles and caps the rows, putting traces with highlighted spans first', () => {
    const spans = [span('a', 'x', 'y', 0, 1), span('a', 'y', 'x', 0, 1), span('b', 'p', '', 5, 6), span('b', 'q', 'p', 5, 6)];
    const all = layoutWaterfall(spans, () => false, 100);
    expect(all.shown).toBe(4);
    const capped = layoutWaterfall(spans, (s) => s.spanId === 'q', 2);
    expect(capped.traces.map((t) => t.traceId)).toEqual(['b']);
    expect([capped.shown, capped.total, capped.highlightsHidden]).toEqual([2, 4, 0]);
    const tight = layoutWaterfall(spans, (s) => s.spanId === 'q', 1);
    expect([tight.shown, tight.highlightsHidden]).toEqual([1, 1]);
  });
});
