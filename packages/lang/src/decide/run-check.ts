/**
 * One engine for every surface (receiver `POST /api/check`, `tracecheck check`, the test
 * integrations): text or AST in, a verdict with its evidence out.
 */
import type { Span } from '@tracecheck/model';
import type { Assertion } from '../ast.js';
import { type CompiledAssertion, compileAssertion, type Outcome, type VerdictJson, verdictJson } from '../eval/index.js';
import { formatAssertion } from '../format.js';
import { validateAssertion } from '../validate.js';
import { type DecideOptions, type Decision, decide, decideComplete, type RunSource } from './decide.js';

/** A decided check: the decision, its rendered message and its JSON form. */
export interface CheckResult {
  readonly assertion: string;
  readonly decision: Decision<Outcome>;
  /** The failure (or success) message people read. */
  readonly message: string;
  /** The HTTP API's form: `{pass, message, waitedMs, reason, matches, nearMisses}`. */
  readonly json: VerdictJson;
}

/** Parses, checks and compiles an assertion; throws the language's ParseError / CheckError. */
export function prepareCheck(assertion: string | Assertion): { text: string; compiled: CompiledAssertion } {
  const ast = typeof assertion === 'string' ? validateAssertion(assertion).ast : assertion;
  return { text: typeof assertion === 'string' ? assertion.trim() : formatAssertion(ast), compiled: compileAssertion(ast) };
}

function result(text: string, decision: Decision<Outcome>): CheckResult {
  const json = verdictJson(text, decision, decision.outcome.graph.spans);
  return { assertion: text, decision, message: json.message, json };
}

/** Decides an assertion against a live run, waiting as DESIGN.md's "Deciding" says. */
export async function checkRun(source: RunSource, assertion: string | Assertion, options: DecideOptions = {}): Promise<CheckResult> {
  const { text, compiled } = prepareCheck(assertion);
  return result(text, await decide(source, compiled, options));
}

/** Decides an assertion against a complete run (a file): evaluated once, settled by definition. */
export function checkSpans(spans: readonly Span[], assertion: string | Assertion): CheckResult {
  const { text, compiled } = prepareCheck(assertion);
  return result(text, decideComplete(spans, compiled));
}
