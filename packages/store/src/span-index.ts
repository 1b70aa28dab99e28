import { IdTable } from './id-table.js';
import type { Rows } from './rows.js';
import type { TraceRecord } from './traces.js';

/** A trace with more rows than this has them in the span id table; a smaller one is searched along its list. */
export const SMALL_TRACE = 16;

/**
 * The stored spans of each trace: its rows, linked in arrival order through `Rows.next`, and a way
 * to find one by span id. Most traces are small, and for them a walk of a few rows just written
 * beats a probe of a table of every span in the store, which misses the cache once per span on
 * adding, looking up and deleting alike; so only the spans of traces past SMALL_TRACE rows are in
 * the table (seeded hashing, as for trace ids), keyed by trace slot and span id.
 */
export class SpanIndex {
  private readonly table = new IdTable(3);
  private readonly key = new Uint32Array(3);

  constructor(private readonly rows: Rows) {}

  /** The row of span (hi, lo) in the trace, or -1. */
  find(trace: TraceRecord, hi: number, lo: number): number {
    if (trace.indexed) return this.table.get(this.keyOf(trace.slot, hi, lo));
    const { ids, next } = this.rows;
    // Compared as the column holds them: unsigned (the table's keys make them so too).
    const h = hi >>> 0;
    const l = lo >>> 0;
    for (let row = trace.first; row >= 0; row = next[row]!) {
      if (ids[row * 4] === h && ids[row * 4 + 1] === l) return row;
    }
    return -1;
  }

  /** Appends the row of a span not yet in the trace (its ids written) to the trace's list. */
  append(trace: TraceRecord, row: number): void {
    const { next, ids } = this.rows;
    next[row] = -1;
    if (trace.last < 0) trace.first = row;
    else next[trace.last] = row;
    trace.last = row;
    trace.count++;
    if (trace.indexed) this.table.insertIfAbsent(this.keyOf(trace.slot, ids[row * 4]!, ids[row * 4 + 1]!), 0, row);
    else if (trace.count > SMALL_TRACE) {
      trace.indexed = true;
      for (let r = trace.first; r >= 0; r = next[r]!) this.table.insertIfAbsent(this.keyOf(trace.slot, ids[r * 4]!, ids[r * 4 + 1]!), 0, r);
    }
  }

  /** Forgets the span of a row the caller takes off the trace's list. */
  removed(trace: TraceRecord, row: number): void {
    trace.count--;
    const { ids } = this.rows;
    if (trace.indexed) this.table.delete(this.keyOf(trace.slot, ids[row * 4]!, ids[row * 4 + 1]!));
  }

  private keyOf(slot: number, hi: number, lo: number): Uint32Array {
    const key = this.key;
    key[0] = slot;
    key[1] = hi;
    key[2] = lo;
    return key;
  }
}
