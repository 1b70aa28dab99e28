import { reinherit, type RunIndex, type Span } from '@tracecheck/model';
import type { Interner } from './interner.js';
import type { Rows } from './rows.js';
import type { TraceRecord, Traces } from './traces.js';

const NO_SPANS: readonly Span[] = [];

/**
 * Keeps the run index in step with the traces' runs after a change to the store (an add, a
 * deletion), and tells each run's subscribers which spans joined it.
 */
export class Membership {
  constructor(
    private readonly rows: Rows,
    private readonly traces: Traces,
    private readonly runIds: Interner,
    private readonly runIndex: RunIndex<number>,
    /** Views of rows, in the order given. */
    private readonly views: (rows: readonly number[]) => Span[],
  ) {}

  /**
   * Recomputes run membership for the touched traces (inheritance.ts), updates the run index, and
   * tells each run's subscribers which spans joined it: the rows of add `batch` (each trace's rows
   * from `fresh` on, when it carries that batch), and when a trace gained a run, its older untagged
   * rows too. Views are made only for runs someone listens to; while nobody listens to any run,
   * which runs were joined is all that is worked out.
   */
  announce(touched: Iterable<number>, batch: number, now: number): void {
    const old = reinherit(this.traces.inheritance, touched);
    const joined = new Map<string, number[]>();
    const listing = this.runIndex.listening;
    old.forEach((before, slot) => {
      const trace = this.traces.get(slot)!;
      const fresh = trace.batch === batch ? trace.fresh : -1;
      if (listing) this.listFresh(trace, fresh, joined);
      else this.touchFresh(trace, fresh, joined);
      if (before === trace.runs) return; // inheritance kept the set: the trace's runs did not change
      for (const r of before) if (!trace.runs.has(r)) this.runIndex.removeTrace(r, slot);
      for (const r of trace.runs) this.runIndex.addTrace(r, slot, now);
      // The rows before the fresh ones are older; a trace all of whose rows are fresh has none.
      if (trace.first === fresh) return;
      const gained = [...trace.runs].filter((r) => !before.has(r));
      if (gained.length === 0) return;
      const { tag, next } = this.rows;
      for (let row = trace.first; row >= 0 && row !== fresh; row = next[row]!) {
        if (tag[row]! < 0) for (const r of gained) join(joined, r, listing ? row : -1);
      }
    });
    for (const [run, rows] of joined) this.runIndex.touch(run, now, this.runIndex.hasListeners(run) ? this.views(rows) : NO_SPANS);
  }

  /** Lists each fresh row under the runs it joins: its tag's, or the trace's runs when untagged. */
  private listFresh(trace: TraceRecord, fresh: number, joined: Map<string, number[]>): void {
    const { tag, next } = this.rows;
    for (let row = fresh; row >= 0; row = next[row]!) {
      const t = tag[row]!;
      if (t >= 0) join(joined, this.runIds.get(t), row);
      else for (const r of trace.runs) join(joined, r, row);
    }
  }

  /** Notes only which runs the fresh rows join (nobody listens, so the rows need not be listed). */
  private touchFresh(trace: TraceRecord, fresh: number, joined: Map<string, number[]>): void {
    const { tag, next } = this.rows;
    let untagged = false;
    for (let row = fresh; row >= 0; row = next[row]!) {
      const t = tag[row]!;
      if (t < 0) untagged = true;
      else join(joined, this.runIds.get(t), -1);
    }
    if (untagged) for (const r of trace.runs) join(joined, r, -1);
  }
}

/** Adds `row` to the run's list (-1: notes the run only). */
function join(joined: Map<string, number[]>, run: string, row: number): void {
  let list = joined.get(run);
  if (list === undefined) joined.set(run, (list = []));
  if (row >= 0) list.push(row);
}
