import type { GrowingRunGraph, OpenSpans, SpanSource } from '@tracecheck/model';
import { RunGraphBuilder } from '../eval/graph.js';
import type { RunSource } from './decide.js';

/**
 * A run of the live span store as a `RunSource`. Its graph is built once from the store, then grows
 * with each update the store pushes, so deciding does not regroup the whole run on every arrival.
 * It only grows: spans leave a run only when the run is deleted or retention drops it, which the
 * test integrations do after their checks, not during one. With `openSpans`, the spans the SDK
 * reported open count as work in flight.
 */
export function storeRunSource(store: SpanSource, runId: string, openSpans?: OpenSpans): RunSource {
  let builder: GrowingRunGraph | undefined;
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
    graph: () => {
      if (builder === undefined) {
        builder = store.runGraph?.(runId) ?? new RunGraphBuilder();
        builder.add(store.runSpans(runId));
      }
      return builder.graph();
    },
    openSpans: () => openSpans?.inRun(runId, (t, s) => store.hasSpan(t, s)) ?? [],
    spanNamesSeen: () => store.spanNamesSeen(),
  };
}
