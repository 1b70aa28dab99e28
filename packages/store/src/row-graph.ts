import { type GrowingRunGraph, parentIsExternal, type RunGraph, type Span, type TraceGraph } from '@tracecheck/model';
import { fromWords, SpanView } from './view.js';

const NO_CHILDREN: readonly SpanView[] = [];

/** What a RowGraph asks of its store: the row of a span by its trace slot and span id words. */
export interface RowLookup {
  rowOf(slot: number, hi: number, lo: number): number;
}

/** Unsigned comparison of two 64-bit values given as (high, low) signed words. */
function before(aHi: number, aLo: number, bHi: number, bLo: number): boolean {
  return aHi >>> 0 < bHi >>> 0 || (aHi === bHi && aLo >>> 0 < bLo >>> 0);
}

/**
 * One trace of a run, over the store's rows: a span's parent is found by a probe of the store's span
 * id table, not through a map of span id strings; children are indexed only when first asked for;
 * the time extent is kept as words and made a BigInt when read.
 */
class RowTrace implements TraceGraph {
  readonly spans: SpanView[] = [];
  private childrenOf: Map<SpanView, SpanView[]> | undefined;
  /** Spans before this index are known not to be the root (see `root`). */
  private rootScan = 0;
  private rootSpan: SpanView | undefined;
  private startHi = 0;
  private startLo = 0;
  private endHi = 0;
  private endLo = 0;

  constructor(
    readonly traceId: string,
    private readonly graph: RowGraph,
  ) {}

  add(view: SpanView): void {
    if (this.spans.length === 0 || before(view.startHi, view.startLo, this.startHi, this.startLo)) {
      this.startHi = view.startHi;
      this.startLo = view.startLo;
    }
    if (this.spans.length === 0 || before(this.endHi, this.endLo, view.endHi, view.endLo)) {
      this.endHi = view.endHi;
      this.endLo = view.endLo;
    }
    this.spans.push(view);
    this.childrenOf = undefined;
  }

  get startNanos(): bigint {
    return fromWords(this.startHi, this.startLo);
  }

  get endNanos(): bigint {
    return fromWords(this.endHi, this.endLo);
  }

  /**
   * The first span, in arrival order, with no parent id or under a test's invented parent. Such a
   * parent never arrives, so the second kind is always an orphan: only orphans have their trace
   * state read. A span ruled out stays ruled out (a parent can arrive, never leave), so the scan
   * resumes where it stopped.
   */
  get root(): Span | undefined {
    if (this.rootSpan !== undefined && this.isRoot(this.rootSpan)) return this.rootSpan;
    this.rootSpan = undefined;
    for (; this.rootScan < this.spans.length; this.rootScan++) {
      const s = this.spans[this.rootScan]!;
      if (this.isRoot(s)) return (this.rootSpan = s);
    }
    return undefined;
  }

  private isRoot(s: SpanView): boolean {
    return (s.parentHi === 0 && s.parentLo === 0) || (this.isOrphan(s) && parentIsExternal(s));
  }

  parent(span: Span): Span | undefined {
    const v = span as SpanView;
    if ((v.parentHi === 0 && v.parentLo === 0) || (v.parentHi === v.spanHi && v.parentLo === v.spanLo)) return undefined;
    return this.graph.viewOf(v.slot, v.parentHi, v.parentLo);
  }

  children(span: Span): readonly Span[] {
    if (this.childrenOf === undefined) {
      const index = new Map<SpanView, SpanView[]>();
      for (const s of this.spans) {
        const p = this.parent(s) as SpanView | undefined;
        if (p === undefined) continue;
        const siblings = index.get(p);
        if (siblings === undefined) index.set(p, [s]);
        else siblings.push(s);
      }
      this.childrenOf = index;
    }
    return this.childrenOf.get(span as SpanView) ?? NO_CHILDREN;
  }

  isOrphan(span: Span): boolean {
    const v = span as SpanView;
    return !(v.parentHi === 0 && v.parentLo === 0) && this.parent(v) === undefined;
  }
}

/**
 * A run's trace graph over the columnar store's rows, grown with the views of the spans that join
 * the run. It reads what the lang package's RunGraphBuilder reads, without a string per span id.
 */
export class RowGraph implements GrowingRunGraph {
  private readonly distinct: SpanView[] = [];
  /** The graph's view of each row, by row number (index + 1; 0 for none). */
  private viewAt = new Int32Array(1024);
  private readonly traces = new Map<number, RowTrace>();
  private startHi = 0;
  private startLo = 0;

  constructor(private readonly store: RowLookup) {}

  add(spans: readonly Span[]): void {
    for (const span of spans) {
      if (!(span instanceof SpanView)) throw new TypeError('a RowGraph grows only with views of its own store');
      if (this.has(span)) continue;
      if (span.row >= this.viewAt.length) {
        const grown = new Int32Array(Math.max(span.row + 1, this.viewAt.length * 2));
        grown.set(this.viewAt);
        this.viewAt = grown;
      }
      this.distinct.push(span);
      this.viewAt[span.row] = this.distinct.length;
      let trace = this.traces.get(span.slot);
      if (trace === undefined) this.traces.set(span.slot, (trace = new RowTrace(span.traceId, this)));
      trace.add(span);
      if (this.distinct.length === 1 || before(span.startHi, span.startLo, this.startHi, this.startLo)) {
        this.startHi = span.startHi;
        this.startLo = span.startLo;
      }
    }
  }

  graph(): RunGraph {
    const { traces } = this;
    return {
      spans: this.distinct.slice(),
      traces: [...traces.values()],
      traceOf: (span) => {
        const trace = traces.get((span as SpanView).slot);
        if (trace === undefined) throw new Error(`span ${span.spanId} is not part of this run`);
        return trace;
      },
      startNanos: this.distinct.length === 0 ? 0n : fromWords(this.startHi, this.startLo),
    };
  }

  /** The graph's view of the span (hi, lo) of the trace at `slot`, if the run has it. */
  viewOf(slot: number, hi: number, lo: number): SpanView | undefined {
    const row = this.store.rowOf(slot, hi >>> 0, lo >>> 0);
    if (row < 0 || row >= this.viewAt.length) return undefined;
    const v = this.distinct[this.viewAt[row]! - 1];
    // A row freed and reused since the view was made holds another span now.
    return v !== undefined && v.slot === slot && v.spanHi === hi && v.spanLo === lo ? v : undefined;
  }

  private has(view: SpanView): boolean {
    if (view.row >= this.viewAt.length) return false;
    const v = this.distinct[this.viewAt[view.row]! - 1];
    return v !== undefined && v.slot === view.slot && v.spanHi === view.spanHi && v.spanLo === view.spanLo;
  }
}
