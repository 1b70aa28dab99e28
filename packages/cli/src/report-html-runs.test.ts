import type { JsonSpan } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { MAX_ROWS_PER_RUN, renderRuns, spanKey } from './report-html-runs.js';

const span = (i: number, traceId: string, parentSpanId = ''): JsonSpan => ({
  traceId,
  spanId: i.toString(16).padStart(16, '0'),
  parentSpanId,
  traceState: '',
  flags: 0,
  name: `span ${i}`,
  kind: 1,
  startTimeUnixNano: String(1_000_000_000n + BigInt(i) * 1000n),
  endTimeUnixNano: String(1_000_000_000n + BigInt(i) * 1000n + 500n),
  attributes: [{ key: 'i', value: { intValue: String(i) } }],
  droppedAttributesCount: 0,
  events: [],
  droppedEventsCount: 0,
  links: [],
  droppedLinksCount: 0,
  status: { code: 0, message: '' },
  resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }], droppedAttributesCount: 0, schemaUrl: '' },
  scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' },
});

describe('renderRuns', () => {
  it('draws at most MAX_ROWS_PER_RUN rows of a big run, says so, and keeps the highlighted trace', () => {
    // 100 traces of 30 spans; the highlighted span is in the last trace.
    const spans = Array.from({ length: 3000 }, (_, i) => span(i, `t${String(Math.floor(i / 30)).padStart(3, '0')}`, i % 30 === 0 ? '' : (i - (i % 30)).toString(16).padStart(16, '0')));
    const last = spans[2999]!;
    const started = performance.now();
    const r = renderRuns([{ id: 'big', spans, file: 'runs/big.json' }], new Map([[spanKey('big', last.traceId, last.spanId), [{ checkId: 7, role: 'near miss' as const }]]]));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r.html.match(/<tr class="span/g)).toHaveLength(MAX_ROWS_PER_RUN);
    expect(r.html).toContain(`<strong>Showing ${MAX_ROWS_PER_RUN} of 3000 spans</strong>`);
    expect(r.html).toContain('<span class="tag">near miss #7</span>');
    expect(r.rowIds.get(spanKey('big', last.traceId, last.spanId))).toBe('s-0-2999');
    // Details only for the rows drawn, each resource once.
    expect(Object.keys(r.data[0]!.spans)).toHaveLength(MAX_ROWS_PER_RUN);
    expect(r.data[0]!.resources).toEqual([[['service.name', 'svc']]]);
  });
});
