/**
 * One engine for every surface (receiver `POST /api/check`, `tracecheck check`, the test
 * integrations): text, AST or a built assertion in, a verdict with its evidence out.
 */
import type { Span } from '@tracecheck/model';
import type { Assertion } from '../ast.js';
import { BuiltAssertion } from '../builder/assertion.js';
import { type BuiltOutcome, compileBuilt } from '../builder/payload.js';
import { summarizeSpan, type VerdictJson, verdictJson } from '../eval/index.js';
import { formatAssertion } from '../format.js';
import { validateAssertion } from '../validate.js';
import { unseenNameWarnings } from './typo-hints.js';
import { type Decidable, type DecideOptions, type Decision, decide, decideComplete, type RunSource } from './decide.js';

/** What can be checked: assertion text, a parsed AST, or a builder assertion (with payload schemas). */
export type Checkable = string | Assertion | BuiltAssertion;

/** The verdict's JSON form (the payload failures of builder checks included). */
export type CheckJson = VerdictJson;

/** A decided check: the decision, its rendered message and its JSON form. */
export interface CheckResult {
  readonly assertion: string;
  readonly decision: Decision<BuiltOutcome>;
  /** The failure (or success) message people read. */
  readonly message: string;
  /** The HTTP API's form: `{pass, message, waitedMs, reason, matches, nearMisses, ...}`. */
  readonly json: CheckJson;
  /** The compiled check, to decide again at the end of the run (see reverify.ts). */
  readonly check: Decidable<BuiltOutcome>;
  /** When deciding started, ms since the epoch. */
  readonly startedAt: number;
}

/** Parses, checks and compiles; throws the language's ParseError / CheckError for bad text. */
export function prepareCheck(assertion: Checkable): { text: string; compiled: Decidable<BuiltOutcome> } {
  if (assertion instanceof BuiltAssertion) return { text: String(assertion), compiled: compileBuilt(assertion) };
  const ast = typeof assertion === 'string' ? validateAssertion(assertion).ast : assertion;
  const text = typeof assertion === 'string' ? assertion.trim() : formatAssertion(ast);
  return { text, compiled: compileBuilt(new BuiltAssertion(ast, [], [])) };
}

/** Deciding options, plus how much the verdict lists. */
export interface CheckRunOptions extends DecideOptions {
  /** Most matches the verdict lists (default 100; a client checking payload schemas asks for more). */
  maxMatches?: number;
}

function result(text: string, decision: Decision<BuiltOutcome>, check: Decidable<BuiltOutcome>, startedAt: number, namesSeen?: ReadonlySet<string>, maxMatches?: number): CheckResult {
  const warnings = unseenNameWarnings(decision.outcome.assertion.ast, decision.pass, namesSeen);
  const payloadFailures = decision.outcome.payloadFailures.map((f) => ({ span: summarizeSpan(f.span), reason: f.reason, message: f.message, issues: f.issues }));
  const json = verdictJson(text, decision, decision.outcome.graph.spans, { warnings, payloadFailures, ...(maxMatches === undefined ? {} : { maxMatches }) });
  return { assertion: text, decision, message: json.message, json, check, startedAt };
}

/** Decides an assertion against a live run, waiting as docs/language.md's "Deciding" says. */
export async function checkRun(source: RunSource, assertion: Checkable, options: CheckRunOptions = {}): Promise<CheckResult> {
  const { text, compiled } = prepareCheck(assertion);
  const startedAt = (options.now ?? Date.now)();
  return result(text, await decide(source, compiled, options), compiled, startedAt, source.spanNamesSeen?.(), options.maxMatches);
}

/** Decides an assertion against a complete run (a file): evaluated once, settled by definition. */
export function checkSpans(spans: readonly Span[], assertion: Checkable): CheckResult {
  const { text, compiled } = prepareCheck(assertion);
  return result(text, decideComplete(spans, compiled), compiled, Date.now(), new Set(spans.map((s) => s.name)));
}

/** The result of a complete decision already made (re-verification renders its verdict with this). */
export function completeResult(text: string, decision: Decision<BuiltOutcome>, check: Decidable<BuiltOutcome>): CheckResult {
  return result(text, decision, check, Date.now());
}
