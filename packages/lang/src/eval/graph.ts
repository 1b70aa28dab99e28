/**
 * The trace graph the evaluator reads. Span data comes as the model `Span` (an interface: the store,
 * an OTLP file and a Tempo result all produce it); structure — parent, children, root, a trace's time
 * extent — comes through `TraceGraph`, so a source that already knows its structure (Tempo's nested
 * sets) can answer without the index built here.
 *
 * Structure never crosses traces: a link is data on a span, not an edge.
 */
import type { GrowingRunGraph, RunGraph, Span, TraceGraph } from '@tracecheck/model';
import { parentIsExternal } from './external-parent.js';

export type { RunGraph, TraceGraph };

const NO_CHILDREN: readonly Span[] = [];

class IndexedTrace implements TraceGraph {
  readonly spans: Span[] = [];
  root: Span | undefined;
  startNanos = 0n;
  endNanos = 0n;
  private readonly byId = new Map<string, Span>();
  private readonly childrenOf = new Map<string, Span[]>();

  constructor(readonly traceId: string) {}

  /** Adds a span; false when its span id was already seen (a retried export). */
  add(span: Span): boolean {
    if (this.byId.has(span.spanId)) return false;
    this.byId.set(span.spanId, span);
    if (this.spans.length === 0 || span.startTimeUnixNano < this.startNanos) this.startNanos = span.startTimeUnixNano;
    if (this.spans.length === 0 || span.endTimeUnixNano > this.endNanos) this.endNanos = span.endTimeUnixNano;
    this.spans.push(span);
    if (span.parentSpanId === '' || parentIsExternal(span)) {
      // A span under the parent a test invented is the flow's root (see external-parent.ts).
      this.root ??= span;
    }
    if (span.parentSpanId !== '' && span.parentSpanId !== span.spanId) {
      const siblings = this.childrenOf.get(span.parentSpanId);
      if (siblings === undefined) this.childrenOf.set(span.parentSpanId, [span]);
      else siblings.push(span);
    }
    return true;
  }

  parent(span: Span): Span | undefined {
    if (span.parentSpanId === '' || span.parentSpanId === span.spanId) return undefined;
    return this.byId.get(span.parentSpanId);
  }

  children(span: Span): readonly Span[] {
    return this.childrenOf.get(span.spanId) ?? NO_CHILDREN;
  }

  isOrphan(span: Span): boolean {
    return span.parentSpanId !== '' && this.parent(span) === undefined;
  }
}

/**
 * A run's trace graph that grows as spans arrive: deciding adds each update's spans instead of
 * regrouping the whole run on every arrival. A span already added (same trace and span id) is
 * ignored, so overlapping additions are harmless.
 */
export class RunGraphBuilder implements GrowingRunGraph {
  private readonly traces = new Map<string, IndexedTrace>();
  private readonly distinct: Span[] = [];
  private start: bigint | undefined;

  add(spans: readonly Span[]): void {
    for (const span of spans) {
      let trace = this.traces.get(span.traceId);
      if (trace === undefined) {
        trace = new IndexedTrace(span.traceId);
        this.traces.set(span.traceId, trace);
      }
      if (!trace.add(span)) continue;
      this.distinct.push(span);
      if (this.start === undefined || span.startTimeUnixNano < this.start) this.start = span.startTimeUnixNano;
    }
  }

  /** The graph as it stands; later additions show in graphs taken later, not in this one's lists. */
  graph(): RunGraph {
    const traces = this.traces;
    return {
      spans: this.distinct.slice(),
      traces: [...traces.values()],
      traceOf: (span) => {
        const trace = traces.get(span.traceId);
        if (trace === undefined) throw new Error(`span ${span.spanId} is not part of this run`);
        return trace;
      },
      startNanos: this.start ?? 0n,
    };
  }
}

/** Groups a run's spans into traces and indexes parent/child by span id. */
export function buildRunGraph(spans: readonly Span[]): RunGraph {
  const builder = new RunGraphBuilder();
  builder.add(spans);
  return builder.graph();
}
