/**
 * A decided check as a verdict: `verdictJson` builds the data (verdict-data.ts) and renders its text
 * (verdict-render.ts) into `message`; `renderVerdict` is the text alone. Every surface (the receiver's
 * `POST /api/check`, the CLI, the test integrations) shows verdicts made here.
 */
import type { Span } from '@tracecheck/model';
import type { Decision } from '../decide/decide.js';
import type { Outcome } from './assertion.js';
import { buildVerdict, type Verdict, type VerdictExtras } from './verdict-data.js';
import { renderVerdictData } from './verdict-render.js';

export { describeExpected } from './verdict-data.js';
export type { VerdictExtras } from './verdict-data.js';
export { renderWaitedFor } from './verdict-render.js';

/** The check API's answer: the verdict's data, with its text in `message`. */
export type VerdictJson = Verdict;

/** Renders a decision about `assertionText` as text; `spans` is the run (for the tree). */
export function renderVerdict(assertionText: string, decision: Decision<Outcome>, spans: readonly Span[], extras: VerdictExtras = {}): string {
  return renderVerdictData(buildVerdict(assertionText, decision, spans, extras));
}

/** The verdict as data, with its rendered text in `message`. */
export function verdictJson(assertionText: string, decision: Decision<Outcome>, spans: readonly Span[], extras: VerdictExtras = {}): Verdict {
  const v = buildVerdict(assertionText, decision, spans, extras);
  return { ...v, message: renderVerdictData(v) };
}
