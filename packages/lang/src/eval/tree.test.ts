import type { Span } from '@tracecheck/model';
import { createSpan } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { buildRunGraph } from './graph.js';
import { renderTree } from './tree.js';

const T = 'c'.repeat(32);
const span = (id: string, parent: string, name: string, at: number): Span =>
  createSpan({ traceId: T, spanId: id.padStart(16, '0'), parentSpanId: parent === '' ? '' : parent.padStart(16, '0'), name, startTimeUnixNano: BigInt(at) * 1_000_000n, endTimeUnixNano: BigInt(at + 1) * 1_000_000n });

describe('renderTree', () => {
  it('shows spans on a cyclic parent chain once each', () => {
    const lines = renderTree(buildRunGraph([span('1', '2', 'x', 0), span('2', '1', 'y', 1)]), {}, 0);
    expect(lines).toEqual([`trace ${T} (2 spans, 2ms)`, '  x (svc unknown_service) 1ms', '    y (svc unknown_service) 1ms']);
  });

  it('stops at maxLines and counts what it left out', () => {
    const spans = [span('1', '', 'root', 0), span('2', '1', 'a', 1), span('3', '1', 'b', 2), span('4', '3', 'c', 3)];
    const lines = renderTree(buildRunGraph(spans), { maxLines: 3, mark: (s) => (s.name === 'a' ? '← here' : undefined) }, 0);
    expect(lines).toEqual([`trace ${T} (4 spans, 4ms)`, '  root (svc unknown_service) 1ms', '    a (svc unknown_service) 1ms ← here', '… 2 more spans not shown']);
  });
});
