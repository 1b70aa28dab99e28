/** The evaluator: assertions compiled to closures over a run's trace graph, and verdicts people can act on. */
export type { CompiledAssertion, Outcome } from './assertion.js';
export { compileAssertion } from './assertion.js';
export type { Exclusion } from './clauses.js';
export type { EvalCompileErrorCode } from './errors.js';
export { EvalCompileError } from './errors.js';
export type { RunGraph, TraceGraph } from './graph.js';
export { buildRunGraph, RunGraphBuilder } from './graph.js';
export type { NearMiss } from './near-miss.js';
export { findNearMisses } from './near-miss.js';
export type { SpanSummary } from './summary.js';
export { formatNanos, summarizeSpan } from './summary.js';
export type { TreeOptions } from './tree.js';
export { renderTree } from './tree.js';
export type { VerdictJson } from './verdict.js';
export { describeExpected, renderVerdict, renderWaitedFor, verdictJson } from './verdict.js';
export type { VerdictExtras } from './verdict.js';
