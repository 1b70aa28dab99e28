import { createSpan, plainSpan, type Span } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { arrivalOrder, arrivalRows } from './arrival-order.js';
import { ColumnarStore } from './columnar-store.js';

const tid = (i: number): string => (i + 1).toString(16).padStart(32, '0');
const sid = (i: number): string => (i + 1).toString(16).padStart(16, '0');

/** `n` spans of `run` in traces of 7, the first of each tagged. */
function spans(run: string, n: number, from = 0): Span[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return createSpan({ traceId: tid(Math.floor(i / 7)), spanId: sid(i), name: `s${i}`, attributes: i % 7 === 0 ? { 'test.run.id': run } : {} });
  });
}

describe('a run read in parts', () => {
  it('gives the spans runSpans gives, in the same arrival order, across reused rows', () => {
    const store = new ColumnarStore();
    store.add(spans('old', 300, 10_000));
    // Batches interleaved across traces, so arrival order differs from trace order ...
    for (let b = 0; b < 5; b++) store.add(spans('A', 200, b * 200).filter((_, k) => k % 2 === b % 2));
    store.deleteRun('old');
    // ... and rows freed by a deleted run reused, so row numbers differ from arrival order too.
    for (let b = 0; b < 5; b++) store.add(spans('A', 200, b * 200).filter((_, k) => k % 2 !== b % 2));
    const whole = store.runSpans('A').map(plainSpan);
    expect(whole).toHaveLength(1000);
    const parts = [...store.runSpanParts('A', 64)];
    expect(parts.map((p) => p.length).slice(0, -1).every((n) => n === 64)).toBe(true);
    expect(parts.flat().map(plainSpan)).toEqual(whole);
  });

  it('leaves out spans removed while the parts are read, and never another run’s span in their rows', () => {
    const store = new ColumnarStore();
    store.add(spans('A', 100));
    const parts = store.runSpanParts('A', 10)[Symbol.iterator]();
    expect(parts.next().value).toHaveLength(10);
    store.deleteRun('A');
    store.add(spans('B', 100, 1000)); // reuses A's rows
    const rest = [...{ [Symbol.iterator]: () => parts }].flat();
    expect(rest).toEqual([]);
  });

  it('orders rows by seq also when the packed keys would not be exact', () => {
    const seq = new Float64Array([2 ** 40, 5, 2 ** 40 + 1, 7]);
    const order = arrivalOrder([0, 1, 2, 3], seq, 2 ** 20);
    expect(order.rows).toEqual([1, 3, 0, 2]);
    expect(order.seqs[2]).toBe(2 ** 40);
    const packed = arrivalOrder([3, 2, 1, 0], new Float64Array([9, 8, 1, 3]), 4);
    expect([...packed.rows]).toEqual([2, 3, 1, 0]);
    expect([...packed.seqs]).toEqual([1, 3, 8, 9]);
    const inOrder = arrivalOrder([3, 0, 2], new Float64Array([5, 0, 7, 2]), 4);
    expect([...inOrder.rows]).toEqual([3, 0, 2]);
    expect([...inOrder.seqs]).toEqual([2, 5, 7]);
  });

  it('orders rows by seq on each of its ways: placed by seq (dense seqs), packed keys, comparator', () => {
    let state = 7;
    const random = (): number => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    // Seqs spread over 1x and 3x the rows (placed), 100x (packed keys), and past 2^53 packed (comparator).
    for (const [spread, base] of [[1, 0], [3, 50], [100, 0], [100, 2 ** 45]] as const) {
      const n = 500;
      const seqOf = new Float64Array(n);
      const used = new Set<number>();
      for (let row = 0; row < n; row++) {
        let seq;
        do seq = base + Math.floor(random() * n * spread);
        while (used.has(seq));
        used.add(seq);
        seqOf[row] = seq;
      }
      const rows = Array.from({ length: n }, (_, i) => i).sort(() => random() - 0.5);
      const expected = [...rows].sort((a, b) => seqOf[a]! - seqOf[b]!);
      const order = arrivalOrder(rows, seqOf, 2 ** 20);
      expect([...order.rows]).toEqual(expected);
      expect([...order.seqs]).toEqual(expected.map((r) => seqOf[r]));
      expect([...arrivalRows(rows, seqOf, 2 ** 20)]).toEqual(expected);
    }
  });

  it('arrivalRows gives the rows of arrivalOrder, the same array when they are in order already', () => {
    const seq = new Float64Array([5, 0, 7, 2]);
    const given = [3, 0, 2];
    expect(arrivalRows(given, seq, 4)).toBe(given);
    expect([...arrivalRows([0, 3, 1, 2], seq, 4)]).toEqual([1, 3, 0, 2]);
    expect([...arrivalRows([], seq, 4)]).toEqual([]);
  });
});
