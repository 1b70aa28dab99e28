/**
 * The deletion side of the columnar store: deleting a run, whole or in parts, and the sweep of
 * expired runs and of old traces no run holds. Freeing a row gives back its interned name and run
 * id, its entry in the span id table and its charge; a trace goes with its last row, an arena with
 * its last span, and one mostly dead is compacted (arenas.ts).
 */
import type { MemoryCap, RunIndex } from '@tracecheck/model';
import type { Arenas } from './arenas.js';
import type { Interner } from './interner.js';
import type { Membership } from './membership.js';
import { ROW_BYTES, type Rows } from './rows.js';
import type { SpanIndex } from './span-index.js';
import { TRACE_BYTES, type TraceRecord, type Traces } from './traces.js';

/** Takes spans out of the store, for ColumnarStore's `deleteRun`, `deleteRunSome` and `sweep`. */
export class Deletion {
  /** Deletions in parts under way (deleteRunSome), by run. */
  private readonly deleting = new Map<string, { touched: Set<number>; arenas: Set<number> }>();

  constructor(
    private readonly rows: Rows,
    private readonly traces: Traces,
    private readonly spans: SpanIndex,
    private readonly arenas: Arenas,
    private readonly names: Interner,
    private readonly runIds: Interner,
    private readonly runIndex: RunIndex<number>,
    private readonly membership: Membership,
    private readonly cap: MemoryCap,
    /** The store's clock. */
    private readonly now: () => number,
    /** Takes the store's next add number (Membership.announce's `batch`). */
    private readonly nextBatch: () => number,
  ) {}

  /**
   * Deletes a run in parts of about `maxSpans` spans, so that forgetting a run of a million spans
   * does not hold the caller's event loop: 'more' until the last part, which answers 'done'.
   * Between parts the run reads as partly deleted; membership of the traces it shared with other
   * runs is recomputed at the end, as a whole deletion does.
   */
  deleteRunSome(runId: string, maxSpans: number): 'done' | 'more' | 'unknown' {
    const entry = this.runIndex.get(runId);
    let work = this.deleting.get(runId);
    if (!entry && !work) return 'unknown';
    if (!work) this.deleting.set(runId, (work = { touched: new Set(), arenas: new Set() }));
    const tag = this.runIds.find(runId);
    const before = this.rows.count;
    for (const slot of entry === undefined ? [] : [...entry.traces]) {
      if (before - this.rows.count >= maxSpans) return 'more';
      const trace = this.traces.get(slot);
      // Only traces still to be done: a trace keeps the run until the final recomputation.
      if (!trace || work.touched.has(slot)) continue;
      const shared = [...trace.runs].some((r) => r !== runId);
      this.removeRows(trace, (row) => {
        const t = this.rows.tag[row]!;
        return t === tag || (t < 0 && !shared);
      }, work.arenas);
      work.touched.add(slot);
    }
    this.deleting.delete(runId);
    this.runIndex.drop(runId);
    this.cap.used -= this.arenas.compact(work.arenas, this.rows, this.rows.extent);
    // A batch number no trace carries: a deletion brings no new rows.
    this.membership.announce(work.touched, this.nextBatch(), this.now());
    return 'done';
  }

  /**
   * Deletes runs last seen before `cutoff` (and finishes deletions in parts under way), then traces
   * last seen before it that no run holds, stopping after about `maxSpans` spans; returns how many
   * spans went.
   */
  sweep(cutoff: number, maxSpans: number): number {
    const before = this.rows.count;
    for (const id of this.runIndex.ids()) {
      const dropped = before - this.rows.count;
      if (dropped >= maxSpans) return dropped;
      const run = this.runIndex.get(id);
      // An expired run goes in parts too (one of a million spans must not hold the caller).
      if (this.deleting.has(id) || (run !== undefined && run.lastSeen < cutoff)) {
        if (this.deleteRunSome(id, maxSpans - dropped) === 'more') return Math.max(maxSpans, before - this.rows.count);
      }
    }
    const arenas = new Set<number>();
    for (const trace of [...this.traces.all()]) {
      if (before - this.rows.count >= maxSpans) break;
      if (this.traces.lastSeen(trace) < cutoff && trace.runs.size === 0 && trace.tagged.size === 0) this.removeRows(trace, () => true, arenas);
    }
    this.cap.used -= this.arenas.compact(arenas, this.rows, this.rows.extent);
    return before - this.rows.count;
  }

  /** Removes the trace's rows that `drop` picks; the trace goes with its last row. */
  private removeRows(trace: TraceRecord, drop: (row: number) => boolean, arenas: Set<number>): void {
    const { rows } = this;
    // The kept rows stay linked in order; `prev` is the last one kept so far.
    let prev = -1;
    let row = trace.first;
    while (row >= 0) {
      const following = rows.next[row]!;
      if (!drop(row)) {
        if (prev < 0) trace.first = row;
        else rows.next[prev] = row;
        prev = row;
        row = following;
        continue;
      }
      const tag = rows.tag[row]!;
      if (tag >= 0) {
        const run = this.runIds.get(tag);
        this.traces.tag(trace, run, -1);
        if (this.runIds.release(tag)) this.traces.forgetRun(run);
      }
      this.names.release(rows.name[row]!);
      this.spans.removed(trace, row);
      const slot = rows.arena[row]!;
      const arena = this.arenas.get(slot);
      arena.live--;
      arena.liveBytes -= rows.range[2 * row + 1]! - rows.range[2 * row]!;
      if (arena.live === 0) {
        this.cap.used -= this.arenas.free(slot);
        arenas.delete(slot);
      } else arenas.add(slot);
      rows.release(row);
      this.cap.used -= ROW_BYTES;
      row = following;
    }
    if (prev >= 0) rows.next[prev] = -1;
    else trace.first = -1;
    trace.last = prev;
    if (prev < 0) {
      for (const r of trace.runs) this.runIndex.removeTrace(r, trace.slot);
      for (const r of trace.tagged.keys()) this.runIndex.removeTrace(r, trace.slot);
      this.traces.remove(trace);
      this.cap.used -= TRACE_BYTES;
    }
  }
}
