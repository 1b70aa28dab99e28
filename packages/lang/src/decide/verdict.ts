/**
 * Verdicts as people and programs read them. The evidence (matches, nearest misses, trace tree)
 * comes from the evaluator's diagnostics; this file frames it with the assertion, what was expected
 * and received, and how long deciding waited and why it stopped.
 */
import type { Outcome } from '../eval/index.js';
import type { Decision, StopReason } from './decide.js';

/** `POST /api/check`'s 200 body (DESIGN.md). */
export interface VerdictJson {
  pass: boolean;
  message: string;
  waitedMs: number;
  reason: StopReason;
  matches: unknown[];
  nearMisses: unknown[];
}

const REASONS: Record<StopReason, string> = {
  held: 'it held, and no later span can make it false',
  settled: 'it held and the run was quiet for the settle window',
  hopeless: 'no later span can make it hold',
  timeout: 'timed out',
  'never-settled': 'it held, but spans kept arriving, so the run never settled',
  'empty-run': 'no span of this run arrived',
  complete: 'the run is complete (file)',
  aborted: 'aborted',
};

function expected(o: Outcome): string {
  if (o.max === undefined) return `at least ${o.min} matching span${o.min === 1 ? '' : 's'}`;
  if (o.min === o.max) return `exactly ${o.min} matching span${o.min === 1 ? '' : 's'}`;
  return `at most ${o.max} matching span${o.max === 1 ? '' : 's'}`;
}

/** The message for a decision: a one-line pass, or a Playwright-like failure with evidence. */
export function renderDecision(text: string, d: Decision<Outcome>): string {
  const o = d.outcome;
  const waited = `waited ${d.waitedMs} ms: ${REASONS[d.reason]}`;
  if (d.pass) return `✓ ${text}\n  ${o.count} matching span${o.count === 1 ? '' : 's'}; ${waited}`;
  const lines = [`✗ ${text}`, '', `Expected: ${expected(o)}`, `Received: ${o.count}`, `Stopped:  ${waited}`];
  if (d.reason === 'empty-run') {
    lines.push('', 'No span of this run arrived. Usually the instrumentation or the run id never reached a service:', 'check OTEL_EXPORTER_OTLP_ENDPOINT and that the triggering request carries `baggage: test.run.id=<id>`.');
  }
  for (const p of o.clauseProblems) lines.push('', p);
  return lines.join('\n');
}

/** The HTTP form of a decision. */
export function verdictJson(text: string, d: Decision<Outcome>): VerdictJson {
  return { pass: d.pass, message: renderDecision(text, d), waitedMs: d.waitedMs, reason: d.reason, matches: [], nearMisses: [] };
}
