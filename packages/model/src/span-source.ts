import type { GrowingRunGraph } from './graph.js';
import type { RunSummary, RunUpdate } from './run-index.js';
import type { Span } from './span.js';

/**
 * Where runs are read: the seam between whatever holds spans and everything that reads them (the
 * query API, the check API, reports, deciding). The receiver's embedded store is one implementation;
 * the CLI's span files and the Tempo source fill a store of their own and read it the same way.
 *
 * The spans it hands out implement `Span` but need not be plain objects: the receiver's store hands
 * out views that decode what is read of them. Hold them no longer than the work that asked (a check,
 * a response): a view can keep decoded data alive.
 */
export interface SpanSource {
  /** Every run with at least one span, tagged or inherited. */
  runs(): RunSummary[];
  /** A run's summary, or undefined when no span belongs to it. Counts, never lists, its spans. */
  run(runId: string): RunSummary | undefined;
  /** The spans of a run, tagged and inherited, in arrival order; [] for an unknown run. */
  runSpans(runId: string): readonly Span[];
  /** The ids of the traces that have spans in the run. */
  runTraceIds(runId: string): string[];
  /** All stored spans of a trace, whatever their runs, in arrival order. */
  traceSpans(traceId: string): readonly Span[];
  /** Receive time of the run's latest span (ms since the epoch), or undefined for an unknown run. */
  lastArrival(runId: string): number | undefined;
  /** True when a span with these ids is stored. */
  hasSpan(traceId: string, spanId: string): boolean;
  /** Names of spans the source ever held, runs since deleted included (bounded): typo hints read it. */
  spanNamesSeen(): ReadonlySet<string>;
  /**
   * Calls `listener` synchronously after each batch that brings spans into the run (new spans, or
   * stored spans that just inherited it). Returns the unsubscribe function.
   */
  subscribe(runId: string, listener: (update: RunUpdate) => void): () => void;
  /** Forgets a run (spans shared with other runs stay); false for an unknown run. */
  deleteRun(runId: string): boolean;
  /**
   * An empty graph for the run, to be grown with its spans (from `runSpans` and updates), when the
   * source can index them better than by span id strings (optional; deciding builds its own
   * otherwise).
   */
  runGraph?(runId: string): GrowingRunGraph;
  /**
   * The spans of a run as `runSpans` gives them, in parts of at most `partSize`, so a reader of a
   * large run can pause between parts (optional; readers take `runSpans` whole otherwise). A span
   * removed while the parts are read is left out of the parts still to come.
   */
  runSpanParts?(runId: string, partSize: number): Iterable<readonly Span[]>;
}

/** Part of the cap set aside for a batch added in parts (`SpanSink.reserve`). */
export interface StoreReservation {
  /** Bytes still set aside. */
  readonly remaining: number;
  /** Gives back what was not used; idempotent. */
  release(): void;
}

/** What an add stored. */
export interface AddResult {
  /** Spans newly stored. */
  accepted: number;
  /** Spans ignored because a span with the same trace and span id was already stored. */
  duplicates: number;
}

/** The write side of a store: memory accounting under a cap, atomic adds, retention. */
export interface SpanSink {
  /** The memory cap, in the store's own accounting (bytes). */
  readonly maxBytes: number;
  /** Runs quiet for longer than this are dropped by `sweep` (ms). */
  readonly retentionMs: number;
  readonly usedBytes: number;
  /** Bytes set aside by reservations and not yet used. */
  readonly reservedByteCount: number;
  readonly spanCount: number;
  /**
   * Sets aside `bytes` of the cap for a batch that will be added in parts, so other batches cannot
   * take the room in between. Throws StoreFullError (nothing set aside) when they do not fit.
   */
  reserve(bytes: number): StoreReservation;
  /** Stores spans atomically: all of them, or (over the cap, StoreFullError) none. */
  add(spans: readonly Span[], reservation?: StoreReservation): AddResult;
  /**
   * Applies retention; returns the spans dropped. With `maxSpans`, stops starting on another run or
   * trace once that many were dropped (call again while it returns at least `maxSpans`).
   */
  sweep(maxSpans?: number): number;
}

/** A store the receiver fills and reads. */
export type SpanStoreLike = SpanSource & SpanSink;
