import type { SpanStore } from '@tracecheck/model';
import { RunGraphBuilder } from '../eval/graph.js';
import type { RunSource } from './decide.js';

/**
 * A run of the live span store as a `RunSource`. Its graph is built once from the store, then grows
 * with each update the store pushes, so deciding does not regroup the whole run on every arrival.
 * It only grows: spans leave a run only when the run is deleted or retention drops it, which the
 * test integrations do after their checks, not during one.
 */
export function storeRunSource(store: SpanStore, runId: string): RunSource {
  let builder: RunGraphBuilder | undefined;
  return {
    spans: () => store.runSpans(runId),
    subscribe: (listener) =>
      store.subscribe(runId, (update) => {
        // Before the first graph() there is nothing to grow: that call reads the store whole.
        builder?.add(update.spans);
        listener();
      }),
    lastArrival: () => store.lastArrival(runId),
    graph: () => {
      if (builder === undefined) {
        builder = new RunGraphBuilder();
        builder.add(store.runSpans(runId));
      }
      return builder.graph();
    },
  };
}
