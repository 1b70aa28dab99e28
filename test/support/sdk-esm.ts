import type { JsonSpan } from '@tracecheck/model';
import { expect } from 'vitest';
import { attr, type ServiceProcess } from './sdk-services.js';

// The ESM express app (examples/sdk-services/express-app.mjs) under the register hook with
// TRACECHECK_INSTRUMENTATIONS: what a request must produce at the receiver, on either OpenTelemetry line.

/** GET /orders/o-1 with the run id as baggage; the app answers as usual. */
export async function getOrder(app: ServiceProcess, runId: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${app.port}/orders/o-1`, { headers: { baggage: `test.run.id=${runId}` } });
  expect(await res.json()).toEqual({ id: 'o-1', status: 'paid' });
}

/** The spans the express instrumentation made. */
export const expressSpans = (spans: readonly JsonSpan[]): JsonSpan[] => spans.filter((s) => attr(s.attributes, 'express.type') !== undefined);

/**
 * Express spans under exactly one http server span named by the route, every span tagged with the
 * run, nothing on stderr. Returns the server span.
 */
export function expectExpressRequest(spans: readonly JsonSpan[], runId: string, app: ServiceProcess): JsonSpan {
  const server = spans.filter((s) => s.kind === 2);
  expect(server).toHaveLength(1); // the hook does not patch node:http a second time
  expect(server[0]!.name).toBe('GET /orders/:id'); // the route express reported to the http span
  const express = expressSpans(spans).map((s) => [s.name, attr(s.attributes, 'express.name'), s.traceId, s.parentSpanId]);
  expect(express).toEqual(
    expect.arrayContaining([
      ['middleware - jsonParser', 'jsonParser', server[0]!.traceId, server[0]!.spanId],
      ['request handler', '/orders/:id', server[0]!.traceId, server[0]!.spanId],
    ]),
  );
  for (const span of spans) expect(attr(span.attributes, 'test.run.id')).toBe(runId);
  expect(app.output().stderr).toBe('');
  return server[0]!;
}
