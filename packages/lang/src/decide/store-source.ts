import type { SpanStore } from '@tracecheck/model';
import type { RunSource } from './decide.js';

/** A run of the live span store as a `RunSource`. */
export function storeRunSource(store: SpanStore, runId: string): RunSource {
  return {
    spans: () => store.runSpans(runId),
    subscribe: (listener) => store.subscribe(runId, () => listener()),
    lastArrival: () => store.lastArrival(runId),
  };
}
