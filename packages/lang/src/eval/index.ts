/** The evaluator: assertions compiled to closures over a run's trace graph, and verdicts people can act on. */
export type { CompiledAssertion, Outcome } from './assertion.js';
export { compileAssertion } from './assertion.js';
export type { Exclusion } from './clauses.js';
export type { EvalCompileErrorCode } from './errors.js';
export { EvalCompileError } from './errors.js';
export type { RunGraph, TraceGraph } from './graph.js';
export { buildRunGraph } from './graph.js';
