import type { IncomingMessage, ServerResponse } from 'node:http';
import { type RunSummary, type SpanStore, spanToJson } from '@tracecheck/model';
import type { IngestStats } from './ingest.js';
import type { InFlightBudget } from './in-flight.js';
import { sendJson } from './respond.js';

/** One run as `GET /api/runs` lists it; times are receive times, ISO-8601. */
export interface RunSummaryJson {
  id: string;
  spans: number;
  traces: number;
  firstSeen: string;
  lastSeen: string;
}

function runToJson(run: RunSummary): RunSummaryJson {
  return {
    id: run.id,
    spans: run.spans,
    traces: run.traces,
    firstSeen: new Date(run.firstSeen).toISOString(),
    lastSeen: new Date(run.lastSeen).toISOString(),
  };
}

/** `GET /api/runs`: every run holding at least one span. */
export function listRuns(req: IncomingMessage, res: ServerResponse, store: SpanStore): void {
  sendJson(req, res, 200, store.runs().map(runToJson));
}

/** `GET /api/runs/{id}/spans`: the run's spans, tagged and inherited; none for an unknown run. */
export function getRunSpans(req: IncomingMessage, res: ServerResponse, store: SpanStore, runId: string): void {
  sendJson(req, res, 200, { run: runId, spans: store.runSpans(runId).map(spanToJson) });
}

/** `GET /healthz`. */
export function health(req: IncomingMessage, res: ServerResponse): void {
  sendJson(req, res, 200, { status: 'ok' });
}

/**
 * `GET /api/stats`: the store's use of its cap, and the export requests by outcome with what the
 * decode limits dropped or truncated (counters since the receiver started).
 */
export function stats(req: IncomingMessage, res: ServerResponse, ctx: { store: SpanStore; stats: IngestStats; inFlight: InFlightBudget }): void {
  const { store } = ctx;
  const { eventLoop, ...counters } = ctx.stats;
  sendJson(req, res, 200, {
    store: { spans: store.spanCount, usedBytes: store.usedBytes, maxBytes: store.maxBytes },
    inFlightBytes: ctx.inFlight.usedBytes,
    ...counters,
    process: process.memoryUsage(),
    // The longest the event loop was held since the receiver started (10 ms resolution).
    ...(eventLoop === undefined || eventLoop.count === 0 ? {} : { maxEventLoopDelayMs: Math.round(eventLoop.max / 1e6) }),
  });
}
