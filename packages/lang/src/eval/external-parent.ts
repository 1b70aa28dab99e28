/**
 * The parent a test invents. A test that sends its own `traceparent` on the request that starts a
 * flow (the test integrations do, so the flow is one trace the test knows) names a parent span that
 * no service will ever export. Beside it, it sends the W3C `tracestate` entry
 * `tracecheck=<that parent span id>`; every span of the flow carries the trace state, so the span
 * whose parent is the invented one can be recognized: it is the flow's real root.
 *
 * Deciding does not wait for that parent (it is not work in flight), and, a deliberate difference
 * from Tempo, structural operators treat that span as a root (Tempo leaves spans whose parent is not
 * in the trace out of every relation, which would leave a test-started flow without structure).
 */
import type { Span } from '@tracecheck/model';

/** The `tracestate` key of the entry that names the invented parent. */
export const EXTERNAL_PARENT_TRACESTATE_KEY = 'tracecheck';

/** True when the span's trace state names its parent as the test's invented one. */
export function parentIsExternal(span: Span): boolean {
  if (span.traceState === '' || span.parentSpanId === '') return false;
  for (const entry of span.traceState.split(',')) {
    const eq = entry.indexOf('=');
    if (eq > 0 && entry.slice(0, eq).trim() === EXTERNAL_PARENT_TRACESTATE_KEY && entry.slice(eq + 1).trim() === span.parentSpanId) return true;
  }
  return false;
}
