/**
 * Payload schemas against a receiver in another process. A schema is code: it cannot travel to the
 * receiver. So the receiver decides the assertion's structural part (its text form) and returns the
 * matched spans with their attributes; the schemas then run here, where they are, on each match's
 * `effect.payload`. As in-process, a match whose payload does not fit is not counted, and the count
 * is judged again against the quantifier.
 *
 * One difference remains, and it is documented: remotely the receiver's wait ends on the structural
 * verdict. A check the structure failed stays failed (in-process, a misfit not counted could have let
 * `at most` / `exactly` hold), and a positive check whose first structural matches do not fit fails
 * instead of waiting for a fitting one.
 */
import { attributesFromJson } from '@tracecheck/model';
import type { PayloadFailureData, Verdict } from '../eval/verdict-data.js';
import { renderVerdictData } from '../eval/verdict-render.js';
import type { BuiltAssertion } from './assertion.js';
import { checkPayloadAttributes } from './payload.js';

/** The verdict with the built assertion's payload schemas applied to its matches. */
export function applyPayloadSchemas(verdict: Verdict, built: BuiltAssertion): Verdict {
  if (built.payloads.length === 0 || verdict.emptyRun) return verdict;
  const kept: Verdict['matches'][number][] = [];
  const failures: PayloadFailureData[] = [...verdict.payloadFailures];
  for (const span of verdict.matches) {
    const problem = checkPayloadAttributes(attributesFromJson(span.attributes), built.payloads);
    if (problem === undefined) kept.push(span);
    else failures.push({ span, ...problem });
  }
  const unseen = verdict.count - verdict.matches.length;
  const warnings = [...verdict.warnings];
  if (unseen > 0) warnings.push(`${unseen} matches beyond the ${verdict.matches.length} the receiver returned were not checked against the payload schema`);
  const count = kept.length + Math.max(0, unseen);
  const holds = verdict.clauseProblems.length === 0 && count >= verdict.min && (verdict.max === null || count <= verdict.max);
  const pass = verdict.pass && holds;
  const next: Verdict = { ...verdict, pass, count, matches: kept, payloadFailures: failures, warnings };
  return { ...next, message: renderVerdictData(next) };
}
