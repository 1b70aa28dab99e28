import type { IncomingMessage, ServerResponse } from 'node:http';
import { runSummaryToJson, type Span, type SpanSink, type SpanSource, spanToJson } from '@tracecheck/model';
import type { IngestStats } from './ingest.js';
import type { InFlightBudget } from './in-flight.js';
import { sendJson, startStream } from './respond.js';

/** `GET /api/runs`: every run holding at least one span. */
export function listRuns(req: IncomingMessage, res: ServerResponse, store: SpanSource): void {
  sendJson(req, res, 200, store.runs().map(runSummaryToJson));
}

/** Bytes of JSON written before the next part waits for its turn (and for the client to take it). */
const PART_BYTES = 256 * 1024;

/** Spans read from the store at a time for `GET /api/runs/{id}/spans`. */
const READ_PART_SPANS = 4096;

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Resolves when the response can take more, or is gone. */
function drainOf(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * `GET /api/runs/{id}/spans`: the run's spans, tagged and inherited; none for an unknown run. A run
 * can hold hundreds of megabytes of spans: the answer is written in parts of about 256 KiB, with
 * other requests served between them and the client's pace respected, never built as one string.
 */
export async function getRunSpans(req: IncomingMessage, res: ServerResponse, store: SpanSource, runId: string): Promise<void> {
  // The run is read in parts (the store's views of a part at a time, when it can give them), so a
  // large run is never read whole in one turn, and each span is let go once written: a view keeps
  // what it decoded, and a run's spans all decoded at once would take several times their stored size.
  const parts = store.runSpanParts?.(runId, READ_PART_SPANS) ?? [store.runSpans(runId)];
  startStream(req, res, 200, 'application/json; charset=utf-8');
  let part = `{"run":${JSON.stringify(runId)},"spans":[`;
  let first = true;
  for (const read of parts) {
    const spans: (Span | undefined)[] = [...read];
    for (let i = 0; i < spans.length; i++) {
      part += (first ? '' : ',') + JSON.stringify(spanToJson(spans[i]!));
      first = false;
      spans[i] = undefined;
      if (part.length < PART_BYTES) continue;
      if (res.destroyed) return;
      const drained = res.write(part);
      part = '';
      if (!drained) await drainOf(res);
      // A reader as fast as the socket drains it at once, and 'drain' then comes on the same turn
      // of the event loop: without waiting for the next turn, nothing else would be served until
      // the whole answer was written (850 ms for 50,000 spans).
      await immediate();
    }
    await immediate();
  }
  res.end(`${part}]}`);
}

/** `GET /healthz`. */
export function health(req: IncomingMessage, res: ServerResponse): void {
  sendJson(req, res, 200, { status: 'ok' });
}

/**
 * `GET /api/stats`: the store's use of its cap, and the export requests by outcome with what the
 * decode limits dropped or truncated (counters since the receiver started).
 */
export function stats(req: IncomingMessage, res: ServerResponse, ctx: { store: SpanSource & SpanSink; stats: IngestStats; inFlight: InFlightBudget }): void {
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
