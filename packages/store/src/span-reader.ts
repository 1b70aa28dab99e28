/**
 * The read side of the columnar store: a run's rows, a run's or a trace's spans as views (SpanView,
 * made in one batch by makeViews), and a large run's spans in parts. It only reads the store's
 * structures; adding and deleting are the store's (columnar-store.ts) and deletion.ts's.
 */
import type { RunIndex, Span } from '@tracecheck/model';
import { type DecodeLimits, wordsOfHex } from '@tracecheck/otlp';
import type { Arenas } from './arenas.js';
import { arrivalOrder, arrivalRows } from './arrival-order.js';
import type { Interner } from './interner.js';
import { makeViews } from './make-views.js';
import type { Rows } from './rows.js';
import type { Traces } from './traces.js';

/** Reads spans out of the store's rows, for ColumnarStore's `runSpans`, `runSpanParts` and `traceSpans`. */
export class SpanReader {
  constructor(
    private readonly rows: Rows,
    private readonly traces: Traces,
    private readonly names: Interner,
    private readonly runIds: Interner,
    private readonly runIndex: RunIndex<number>,
    private readonly arenas: Arenas,
    /** The limits a view decodes its span with. */
    private readonly limits: Partial<DecodeLimits>,
  ) {}

  /** Calls `visit` with each row of the run: its traces' untagged rows and the rows tagged with it. */
  forEachRunRow(runId: string, visit: (row: number) => void): void {
    const entry = this.runIndex.get(runId);
    if (!entry) return;
    const tag = this.runIds.find(runId);
    const { tag: tags, next } = this.rows;
    for (const slot of entry.traces) {
      for (let row = this.traces.get(slot)?.first ?? -1; row >= 0; row = next[row]!) {
        const t = tags[row]!;
        if (t < 0 || t === tag) visit(row);
      }
    }
  }

  runSpans(runId: string): Span[] {
    const rows: number[] = [];
    this.forEachRunRow(runId, (row) => rows.push(row));
    return this.views(arrivalRows(rows, this.rows.seq, this.rows.extent));
  }

  /**
   * The spans of a run as `runSpans` gives them, made `partSize` at a time, so a reader of a large
   * run can pause between parts. The order is taken at the first part; a span freed since (its run
   * deleted meanwhile) is left out of the parts made after.
   */
  *runSpanParts(runId: string, partSize: number): Generator<Span[], void, undefined> {
    const rows: number[] = [];
    this.forEachRunRow(runId, (row) => rows.push(row));
    const order = arrivalOrder(rows, this.rows.seq, this.rows.extent);
    for (let i = 0; i < order.rows.length; i += partSize) {
      const part: number[] = [];
      const { arena, seq } = this.rows;
      for (let k = i; k < Math.min(order.rows.length, i + partSize); k++) {
        const row = order.rows[k]!;
        if (arena[row]! >= 0 && seq[row] === order.seqs[k]) part.push(row);
      }
      yield this.views(part);
    }
  }

  traceSpans(traceId: string): Span[] {
    const words = new Uint32Array(4);
    if (!wordsOfHex(traceId, 4, words, 0)) return [];
    const { next } = this.rows;
    const rows: number[] = [];
    for (let row = this.traces.find(words, 0)?.first ?? -1; row >= 0; row = next[row]!) rows.push(row);
    return this.views(rows);
  }

  /** Views of rows, in the order given, in one batch. */
  views(rows: readonly number[]): Span[] {
    return makeViews(rows, this.rows, (slot) => this.traces.hex(slot), (id) => this.names.get(id), (slot) => this.arenas.get(slot).data, this.limits);
  }
}
