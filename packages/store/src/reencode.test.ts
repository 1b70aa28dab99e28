import { createSpan, plainSpan, type Span } from '@tracecheck/model';
import { decodeProtobufRequest, encodeProtobufRequest, skimProtobufRequest } from '@tracecheck/otlp';
import { describe, expect, it } from 'vitest';
import { ColumnarStore } from './columnar-store.js';

// A span whose attribute a decode limit dropped holds far less than its bytes: alone in its request,
// it is stored as read (re-encoded), so the dropped bytes do not hold the cap.

let n = 0;
const span = (attributes: Record<string, unknown>): Span =>
  createSpan({ traceId: 'ab'.repeat(16), spanId: (++n).toString(16).padStart(16, '0'), name: 'upload', attributes: { 'test.run.id': 'R', ...attributes } });

/** An array of 60,000 ints: over the 10,000-element limit, so the attribute is dropped. */
const huge = Array.from({ length: 60_000 }, (_, i) => i);

describe('a span a decode limit cut down', () => {
  it('is stored as read when alone in its request: the view reads what the full decoder reads', () => {
    const bytes = encodeProtobufRequest([span({ big: huge, keep: 'kept' })]);
    expect(bytes.byteLength).toBeGreaterThan(100_000);
    const store = new ColumnarStore();
    expect(store.addSkim(skimProtobufRequest(bytes))).toEqual({ accepted: 1, duplicates: 0 });
    const [view] = store.runSpans('R');
    const decoded = decodeProtobufRequest(bytes).spans[0]!;
    expect(plainSpan(view!)).toEqual(plainSpan(decoded));
    expect(view!.droppedAttributesCount).toBe(1);
    expect(view!.attributes.get('keep')).toEqual({ type: 'string', value: 'kept' });
    // Its row and a small arena, not the request's 100 KB.
    expect(store.usedBytes).toBeLessThan(8_000);
    store.deleteRun('R');
    expect(store.usedBytes).toBe(0);
  });

  it('keeps the request as sent when other spans share it, and reads the same', () => {
    const bytes = encodeProtobufRequest([span({ big: huge }), span({ small: 1 })]);
    const store = new ColumnarStore();
    store.addSkim(skimProtobufRequest(bytes));
    expect(store.runSpans('R').map(plainSpan)).toEqual(decodeProtobufRequest(bytes).spans.map(plainSpan));
    expect(store.usedBytes).toBeGreaterThan(bytes.byteLength);
  });
});
