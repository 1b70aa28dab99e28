import { randomBytes } from 'node:crypto';
import { EXTERNAL_PARENT_TRACESTATE_KEY, RUN_ID_ATTRIBUTE } from '@tracecheck/model';

/**
 * The W3C headers a test sends on the request that starts a flow. A type, not an interface, so it is
 * assignable to header records (`Record<string, string>`: Playwright's `request.post(url, { headers })`).
 */
export type RunHeaders = {
  /** `test.run.id=<id>`: every service stamps the run id on its spans. */
  baggage: string;
  /** `00-<trace id>-<parent id>-01`: the flow's spans share one trace the test knows. */
  traceparent: string;
  /**
   * `tracecheck=<parent id>`: says the parent in `traceparent` is the test itself, so deciding does
   * not wait for that span (no service will ever export it); the entry travels with the context.
   */
  tracestate: string;
};

/**
 * Headers that tag a request with a run: baggage with the run id, a fresh `traceparent` (or one in
 * `traceId`), and the `tracestate` entry that marks its parent as the test's own.
 */
export function runHeaders(runId: string, options: { traceId?: string } = {}): RunHeaders {
  const traceId = options.traceId ?? randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return {
    baggage: `${RUN_ID_ATTRIBUTE}=${encodeURIComponent(runId)}`,
    traceparent: `00-${traceId}-${parentId}-01`,
    tracestate: `${EXTERNAL_PARENT_TRACESTATE_KEY}=${parentId}`,
  };
}
