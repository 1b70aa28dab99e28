/**
 * Clauses narrow the matches before counting: `after Q` keeps matches starting at or
 * after the end of some Q-span anywhere in the run, `before Q` those ending at or before the start of
 * some Q-span, `within D` those starting at most D after the run's earliest span start. An order
 * clause whose Q matches nothing fails the check instead of passing vacuously.
 *
 * Order is judged with a clock tolerance of `ORDER_TOLERANCE_NANOS` (1 ms), a deliberate difference
 * from exact comparison: OpenTelemetry JS stamps a span's start with `Date.now()` (whole
 * milliseconds) and its end as that start plus a precise duration, so a span that really began
 * after another ended can be reported as starting up to 1 ms before it. Within the tolerance, both
 * readings are possible, and the clause gives the service the benefit of the doubt.
 */
import type { Span } from '@tracecheck/model';
import type { Clause } from '../ast.js';
import { formatClause } from '../format.js';
import type { RunGraph } from './graph.js';
import type { RegexCache } from './regex.js';
import type { CompiledSelection } from './selection.js';
import { compileSelection } from './selection.js';
import { runSteps, type Steps, worked } from './steps.js';

/** A match a clause removed, and by how much it missed: evidence for the verdict. */
export interface Exclusion {
  readonly span: Span;
  /** The clause as text (`after { name = "refund.requested" }`). */
  readonly clause: string;
  readonly kind: Clause['type'];
  /**
   * The span the timing is measured against: for `after`, the earliest-ending anchor; for `before`,
   * the latest-starting one; none for `within` (measured from the run's first span).
   */
  readonly anchor: Span | undefined;
  /**
   * How far the match missed, in ns: `after`: match start - anchor end (negative); `before`: match
   * end - anchor start (positive); `within`: start - (run start + D) (positive).
   */
  readonly missByNanos: bigint;
}

/** A compiled clause. */
export interface CompiledClause {
  readonly clause: Clause;
  readonly text: string;
  /** The anchor selection of `after` / `before`. */
  readonly selection: CompiledSelection | undefined;
  /** Narrows `matches`; returns the kept ones, records exclusions, or a problem when Q matched nothing. */
  apply(matches: readonly Span[], graph: RunGraph): ClauseResult;
  /** `apply` in steps (steps.ts). */
  applySteps(matches: readonly Span[], graph: RunGraph): Steps<ClauseResult>;
}

export interface ClauseResult {
  kept: Span[];
  excluded: Exclusion[];
  problem?: string;
}

/** How far apart two instants must be for `after` / `before` to call them out of order. */
export const ORDER_TOLERANCE_NANOS = 1_000_000n;

export function compileClause(clause: Clause, regexes: RegexCache): CompiledClause {
  const text = formatClause(clause);
  if (clause.type === 'within') {
    const limit = clause.nanos;
    const within = function* (matches: readonly Span[], graph: RunGraph): Steps<ClauseResult> {
      const deadline = graph.startNanos + limit;
      const kept: Span[] = [];
      const excluded: Exclusion[] = [];
      for (const s of matches) {
        if (s.startTimeUnixNano <= deadline) kept.push(s);
        else excluded.push({ span: s, clause: text, kind: 'within', anchor: undefined, missByNanos: s.startTimeUnixNano - deadline });
        if (worked(1)) yield;
      }
      return { kept, excluded };
    };
    return { clause, text, selection: undefined, apply: (matches, graph) => runSteps(within(matches, graph)), applySteps: within };
  }
  const selection = compileSelection(clause.selection, regexes);
  const after = clause.type === 'after';
  const order = function* (matches: readonly Span[], graph: RunGraph): Steps<ClauseResult> {
    const anchors = [...(yield* selection.inRunSteps(graph))];
    if (anchors.length === 0) {
      return { kept: [], excluded: [], problem: `${text}: no span matched it, so nothing can be ${clause.type} it` };
    }
    // Only the extreme anchor matters: the earliest end (after) or the latest start (before).
    let anchor = anchors[0]!;
    for (const a of anchors) {
      if (after ? a.endTimeUnixNano < anchor.endTimeUnixNano : a.startTimeUnixNano > anchor.startTimeUnixNano) anchor = a;
      if (worked(1)) yield;
    }
    const kept: Span[] = [];
    const excluded: Exclusion[] = [];
    for (const s of matches) {
      const miss = after ? s.startTimeUnixNano - anchor.endTimeUnixNano : s.endTimeUnixNano - anchor.startTimeUnixNano;
      if (after ? miss > -ORDER_TOLERANCE_NANOS : miss < ORDER_TOLERANCE_NANOS) kept.push(s);
      else excluded.push({ span: s, clause: text, kind: clause.type, anchor, missByNanos: miss });
      if (worked(1)) yield;
    }
    return { kept, excluded };
  };
  return { clause, text, selection, apply: (matches, graph) => runSteps(order(matches, graph)), applySteps: order };
}
