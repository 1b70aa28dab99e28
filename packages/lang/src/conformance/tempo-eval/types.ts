/**
 * Shape of an evaluation case transcribed from Tempo's tests: the query and what Tempo returns are
 * Tempo's facts; the span data is rewritten as specs (see fixture.ts). A query Q runs as `some Q`.
 */
import type { SpanSpec } from './fixture.js';

/**
 * What a query returns. `spans`: the labels of the spans Tempo returns, sorted. `trace`: whether
 * Tempo returns the trace at all (its storage tests see traces, not spans). `span` / `matched`:
 * whether one span is among those returned (what the test looks at). `error`: Tempo fails the query
 * instead of answering.
 */
export type Expectation =
  | { readonly spans: readonly string[] }
  | { readonly trace: boolean }
  | { readonly span: string; readonly matched: boolean }
  | { readonly error: string };

/** What we do where we deliberately differ; `rejected` is a checker error. */
export type OurBehaviour = Exclude<Expectation, { readonly error: string }> | 'rejected';

export interface EvalCase {
  /** The Tempo test file and test function (and case name, where it has one). */
  readonly source: string;
  /** The TraceQL spanset query, as the test writes it. */
  readonly query: string;
  readonly spans: readonly SpanSpec[];
  readonly expect: Expectation;
  /** A deliberate difference: why, and what we do instead (checked, so it cannot drift). */
  readonly difference?: { readonly reason: string; readonly ours: OurBehaviour };
  /** How the data was rewritten, where that needs saying. */
  readonly note?: string;
}
