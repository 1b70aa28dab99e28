/*
 * The trace graph the evaluator reads: structure (parent, children, root, a trace's time extent)
 * beside the spans, so a source that knows its own structure can answer without an index built
 * over span id strings. @tracecheck/lang builds one over any spans (RunGraphBuilder); the columnar
 * store answers from its rows; a Tempo result could from its nested sets.
 *
 * Structure never crosses traces: a link is data on a span, not an edge.
 */
import type { Span } from './span.js';

/** One trace of a run, as far as it has arrived. */
export interface TraceGraph {
  readonly traceId: string;
  /** Distinct spans of the trace (first arrival of a repeated span id wins), in arrival order. */
  readonly spans: readonly Span[];
  /** The span without a parent span id (`trace:rootName` reads it); undefined until it arrives. */
  readonly root: Span | undefined;
  /** Earliest start and latest end of the trace's spans (`trace:duration` is their difference). */
  readonly startNanos: bigint;
  readonly endNanos: bigint;
  /** The parent span when it has arrived; undefined for roots and for spans whose parent never arrived. */
  parent(span: Span): Span | undefined;
  /** The arrived spans whose parent is `span`. */
  children(span: Span): readonly Span[];
  /** True for a span that names a parent which has not arrived (an uninstrumented caller, a browser). */
  isOrphan(span: Span): boolean;
}

/** The spans of one run, grouped into traces. */
export interface RunGraph {
  /** Distinct spans of the run, in arrival order. */
  readonly spans: readonly Span[];
  readonly traces: readonly TraceGraph[];
  /** The trace a span belongs to. */
  traceOf(span: Span): TraceGraph;
  /** Earliest start of any span of the run (0 for an empty run): `within` counts from it. */
  readonly startNanos: bigint;
}

/** A run's graph that grows as spans join it: deciding adds each update's spans to it. */
export interface GrowingRunGraph {
  /** Adds spans of the run (a span already added is ignored). */
  add(spans: readonly Span[]): void;
  /** The graph as it stands; later additions show in graphs taken later. */
  graph(): RunGraph;
}
