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
export { EXTERNAL_PARENT_TRACESTATE_KEY, parentIsExternal } from '@tracecheck/model';
