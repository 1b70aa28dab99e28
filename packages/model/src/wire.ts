/*
 * Names and shapes that cross a process boundary: span attributes our SDK writes and the receiver
 * reads, and the bodies of the receiver's query API that the client and reports read. Defined once
 * here so the packages cannot drift apart; `@tracecheck/model/wire` loads nothing else (the SDK
 * imports it).
 */
import type { RunSummary } from './run-index.js';

/** The attribute (and baggage entry) that ties a span to a test run (docs/language.md, "Runs"). */
export const RUN_ID_ATTRIBUTE = 'test.run.id';

/** The attribute holding an effect's payload as JSON text (`effect()` writes it, snapshots and payload schemas read it). */
export const PAYLOAD_ATTRIBUTE = 'effect.payload';

/**
 * The W3C `tracestate` key a test's requests carry beside their `traceparent`: `tracecheck=<the
 * parent span id the test invented>` (see parentIsExternal in span.ts).
 */
export const EXTERNAL_PARENT_TRACESTATE_KEY = 'tracecheck';

/** One run as `GET /api/runs` lists it; times are receive times, ISO-8601. */
export interface RunSummaryJson {
  id: string;
  spans: number;
  traces: number;
  firstSeen: string;
  lastSeen: string;
}

export function runSummaryToJson(run: RunSummary): RunSummaryJson {
  return {
    id: run.id,
    spans: run.spans,
    traces: run.traces,
    firstSeen: new Date(run.firstSeen).toISOString(),
    lastSeen: new Date(run.lastSeen).toISOString(),
  };
}
