import type { GrowingRunGraph, OpenSpans, RunGraph, Span, SpanSource } from '@tracecheck/model';
import { RunGraphBuilder } from '../eval/graph.js';
import { runSteps, type Steps } from '../eval/steps.js';
import type { RunSource } from './decide.js';

/** Spans read from the store, and added to the graph, between two pauses of a sliced evaluation. */
export const GRAPH_PART_SPANS = 4096;

/**
 * A run of the live span store as a `RunSource`. Its graph is built once from the store, then grows
 * with each update the store pushes, so deciding does not regroup the whole run on every arrival.
 * It only grows: spans leave a run only when the run is deleted or retention drops it, which the
 * test integrations do after their checks, not during one. With `openSpans`, the spans the SDK
 * reported open count as work in flight. A large run is read in parts of `GRAPH_PART_SPANS`, so
 * `graphSteps` can pause between them.
 */
export function storeRunSource(store: SpanSource, runId: string, openSpans?: OpenSpans): RunSource {
  let builder: GrowingRunGraph | undefined;
  /** The run's spans still to add to a graph begun in parts. */
  let parts: Iterator<readonly Span[]> | undefined;
  /** The graph, begun from the store (in parts, when it can give them) and grown with its updates. */
  function* graphSteps(): Steps<RunGraph> {
    if (builder === undefined) {
      builder = store.runGraph?.(runId) ?? new RunGraphBuilder();
      parts = (store.runSpanParts?.(runId, GRAPH_PART_SPANS) ?? [store.runSpans(runId)])[Symbol.iterator]();
    }
    for (let part = parts?.next(); part !== undefined && !part.done; part = parts?.next()) {
      builder.add(part.value);
      yield;
    }
    parts = undefined;
    return builder.graph();
  }
  return {
    spans: () => store.runSpans(runId),
    subscribe: (listener) => {
      const offSpans = store.subscribe(runId, (update) => {
        // Before the first graph() there is nothing to grow: that call reads the store whole.
        builder?.add(update.spans);
        listener();
      });
      const offOpen = openSpans?.subscribe(runId, listener);
      return () => {
        offSpans();
        offOpen?.();
      };
    },
    lastArrival: () => store.lastArrival(runId),
    graph: () => runSteps(graphSteps()),
    graphSteps,
    openSpans: () => openSpans?.inRun(runId, (t, s) => store.hasSpan(t, s)) ?? [],
    spanNamesSeen: () => store.spanNamesSeen(),
  };
}
