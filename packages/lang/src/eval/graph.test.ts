import type { Span } from '@tracecheck/model';
import { createSpan } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { buildRunGraph } from './graph.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const span = (traceId: string, id: number, parent = '', at = 0, name = `s${id}`): Span =>
  createSpan({ traceId, spanId: id.toString(16).padStart(16, '0'), parentSpanId: parent === '' ? '' : parent.padStart(16, '0'), name, startTimeUnixNano: BigInt(1000 + at), endTimeUnixNano: BigInt(1010 + at) });

describe('buildRunGraph', () => {
  it('groups by trace and links parents and children within a trace only', () => {
    const root = span(A, 1);
    const child = span(A, 2, '1', 5);
    const elsewhere = span(B, 3, '1', 50); // same parent id, other trace: not a child of root
    const g = buildRunGraph([child, elsewhere, root]);
    const ta = g.traceOf(root);
    const tb = g.traceOf(elsewhere);
    expect(g.traces.map((t) => t.traceId)).toEqual([A, B]);
    expect(ta.parent(child)).toBe(root);
    expect(ta.children(root)).toEqual([child]);
    expect(tb.parent(elsewhere)).toBeUndefined();
    expect(tb.isOrphan(elsewhere)).toBe(true);
    expect(ta.isOrphan(child)).toBe(false);
  });

  it('takes the span without a parent id as the root; an orphan is not one', () => {
    const orphan = span(A, 2, 'f');
    expect(buildRunGraph([orphan]).traces[0]!.root).toBeUndefined();
    const root = span(A, 1);
    expect(buildRunGraph([orphan, root]).traces[0]!.root).toBe(root);
  });

  it('keeps the first of a repeated span and measures each trace and the run', () => {
    const first = span(A, 1, '', 0, 'first');
    const again = span(A, 1, '', 0, 'again');
    const late = span(A, 2, '1', 100);
    const g = buildRunGraph([late, first, again, span(B, 9, '', -20)]);
    expect(g.spans.map((s) => s.name)).toEqual(['s2', 'first', 's9']);
    expect(g.traces[0]!.startNanos).toBe(1000n);
    expect(g.traces[0]!.endNanos).toBe(1110n);
    expect(g.startNanos).toBe(980n);
  });

  it('does not loop on a span that names itself as parent', () => {
    const self = span(A, 1, '1');
    const t = buildRunGraph([self]).traces[0]!;
    expect(t.parent(self)).toBeUndefined();
    expect(t.children(self)).toEqual([]);
  });
});
