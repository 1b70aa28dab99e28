/**
 * The spans written to the simulator (sim.ts), and what Tempo shows of them at a given moment: when
 * a search first sees a span (its live trace cut into a block), and what trace by id sees.
 */
import type { Span } from '@tracecheck/model';
import type { TempoSimBehaviour } from './behaviour.js';

interface Written {
  readonly span: Span;
  readonly at: number;
  readonly tenant: string;
}

/** Written spans, by tenant, as the searches and trace-by-id requests of `behaviour` see them. */
export class SpanStore {
  private readonly written: Written[] = [];

  constructor(private readonly behaviour: TempoSimBehaviour) {}

  /** Adds spans written at `at` for `tenant`. */
  add(spans: readonly Span[], at: number, tenant: string): void {
    for (const span of spans) this.written.push({ span, at, tenant });
  }

  /**
   * When a search can first see a span: its live trace is cut into a block once idle for
   * `maxTraceIdleMs` or live for `maxTraceLiveMs`, at the next `flushCheckPeriodMs` tick; spans written
   * after a cut start a new live trace (modules/livestore/instance.go `cutIdleTraces` via
   * pkg/livetraces `CutIdle`).
   */
  private searchableAt(tenant: string): Map<Written, number> {
    const b = this.behaviour;
    const tick = (t: number): number => (b.flushCheckPeriodMs > 0 ? Math.ceil(t / b.flushCheckPeriodMs) * b.flushCheckPeriodMs : t);
    const byTrace = new Map<string, Written[]>();
    for (const w of this.written) {
      if (w.tenant !== tenant) continue;
      const list = byTrace.get(w.span.traceId);
      if (list) list.push(w);
      else byTrace.set(w.span.traceId, [w]);
    }
    const out = new Map<Written, number>();
    for (const writes of byTrace.values()) {
      let segment: Written[] = [];
      let first = 0;
      let cutAt = Infinity;
      const close = (): void => {
        for (const w of segment) out.set(w, cutAt);
        segment = [];
      };
      for (const w of writes) {
        if (segment.length > 0 && w.at >= cutAt) close();
        if (segment.length === 0) first = w.at;
        segment.push(w);
        cutAt = tick(Math.min(w.at + b.maxTraceIdleMs, first + b.maxTraceLiveMs));
      }
      close();
    }
    return out;
  }

  /** Spans a search can see now. */
  searchable(tenant: string, now: number): Span[] {
    const at = this.searchableAt(tenant);
    return this.written.filter((w) => w.tenant === tenant && (at.get(w) ?? Infinity) <= now).map((w) => w.span);
  }

  /** Spans trace-by-id can see now, deduplicated by span id (modules/frontend/combiner/trace_by_id_deduper.go). */
  traceById(tenant: string, traceId: string, now: number): Span[] {
    const seen = new Set<string>();
    const out: Span[] = [];
    for (const w of this.written) {
      if (w.tenant !== tenant || w.span.traceId !== traceId || w.at + this.behaviour.byIdLagMs > now || seen.has(w.span.spanId)) continue;
      seen.add(w.span.spanId);
      out.push(w.span);
    }
    return out;
  }
}
