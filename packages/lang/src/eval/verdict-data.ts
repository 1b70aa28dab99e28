/**
 * A verdict as data: everything a person needs to act on a check (what was expected and received,
 * how long it waited and why it stopped, the matches, what a clause excluded, the nearest misses, the
 * trace tree) in one typed, JSON-safe shape. It is the wire form of `POST /api/check`, what the
 * client returns, and what every renderer reads: `renderVerdictData` for text, a report for HTML.
 */
import type { Span } from '@tracecheck/model';
import type { StopReason, WaitRecord } from '../decide/decide.js';
import { formatSelection } from '../format.js';
import type { Outcome } from './assertion.js';
import type { CompiledFilter } from './filter.js';
import { buildRunGraph } from './graph.js';
import { DEFAULT_NEAR_MISS_BUDGET, Meter, type NearMiss, type NearMissSearch, searchNearMisses } from './near-miss.js';
import { mentionedAttributes, type SpanSummary, summarizeSpan } from './summary.js';
import { buildTree, type TraceTree } from './tree.js';

/** A match a clause removed, and by how much it missed. */
export interface ExclusionData {
  readonly span: SpanSummary;
  /** The clause as text (`after { name = "refund.requested" }`). */
  readonly clause: string;
  readonly kind: 'after' | 'before' | 'within';
  /** The anchor span's name (`after` / `before`). */
  readonly anchor?: string;
  /** ns, as a decimal string: see `Exclusion.missByNanos`. */
  readonly missByNanos: string;
}

/** A span that failed one condition of a filter. */
export interface NearMissData {
  readonly span: SpanSummary;
  readonly filter: string;
  readonly failed: string;
  readonly actual?: string;
}

/** A match whose payload did not fit the schema given with the builder's `.payload(schema)`. */
export interface PayloadFailureData {
  readonly span: SpanSummary;
  readonly reason: 'missing' | 'not-json' | 'truncated' | 'schema';
  readonly message: string;
  readonly issues: readonly { readonly path: readonly (string | number)[]; readonly message: string; readonly code: string }[];
}

/** The verdict of one check, as data. `message` is its text rendering. */
export interface Verdict {
  readonly pass: boolean;
  /** The assertion as checked (text; a builder assertion in its text form). */
  readonly assertion: string;
  /** The rendered text (`renderVerdictData`), for people and for clients that do not render. */
  readonly message: string;
  readonly reason: StopReason;
  readonly waitedMs: number;
  /** `exactly 1 matching span`. */
  readonly expected: string;
  readonly min: number;
  /** null: unbounded. */
  readonly max: number | null;
  /** Spans counted. */
  readonly count: number;
  /** Spans the selection matched before clauses narrowed them. */
  readonly selected: number;
  readonly emptyRun: boolean;
  readonly clauseProblems: readonly string[];
  /** The counted spans, by start time (at most `MAX_MATCHES_IN_VERDICT` unless asked for more). */
  readonly matches: readonly SpanSummary[];
  readonly exclusions: readonly ExclusionData[];
  /** For a failed check with several filters and no match: what each filter matched alone. */
  readonly selectionParts: readonly SelectionPart[];
  readonly nearMisses: readonly NearMissData[];
  /**
   * Set when the search for nearest misses ran out of its budget (time or spans) before looking at
   * every span: `nearMisses` are those found in the part searched.
   */
  readonly nearMissesIncomplete?: { readonly examined: number; readonly total: number; readonly maxMs: number; readonly maxSpans: number };
  /** A failed check with nothing selected and no near miss: "no span came close". */
  readonly noneClose: boolean;
  /** Whether a near miss names its filter (the assertion has several). */
  readonly missesNameFilter: boolean;
  readonly waitedFor: readonly WaitRecord[];
  readonly warnings: readonly string[];
  readonly payloadFailures: readonly PayloadFailureData[];
  /** Earliest span start of the run (ns, decimal string): spans are dated `+12ms` from it. */
  readonly runStartNanos: string;
  /** Span attributes the assertion mentions, shown beside each span. */
  readonly shownAttributes: readonly string[];
  /** The run's trace tree, for a failed check (a pass needs no more evidence than its matches). */
  readonly tree?: TraceTree;
  /** The receiver's number for this check (its reports name the check by it). */
  readonly checkId?: number;
}

export const MAX_MATCHES_IN_VERDICT = 100;

/** Extra facts a verdict carries beside the evaluation. */
export interface VerdictExtras {
  /** Warnings about a check that passed but may not mean what it says (a misspelt span name). */
  readonly warnings?: readonly string[];
  readonly payloadFailures?: readonly PayloadFailureData[];
  /** Most matches listed (default MAX_MATCHES_IN_VERDICT). */
  readonly maxMatches?: number;
}

/** `exactly 1 matching span`, `at least 2 matching spans`, `no matching span`. */
export function describeExpected(min: number, max: number | undefined): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (max === 0) return 'no matching span';
  if (max === undefined) return `at least ${plural(min, 'matching span')}`;
  if (min === max) return `exactly ${plural(min, 'matching span')}`;
  if (min === 0) return `at most ${plural(max, 'matching span')}`;
  return `between ${min} and ${plural(max, 'matching span')}`;
}

function filtersOf(outcome: Outcome): CompiledFilter[] {
  const { assertion } = outcome;
  return [...assertion.selection.filters, ...assertion.clauses.flatMap((c) => c.selection?.filters ?? [])];
}

/**
 * Nearest misses: when a clause anchor matched nothing (its filters), and when the check counted
 * fewer spans than it needs (every filter: the span that should have been the match).
 */
export function nearMissesOf(outcome: Outcome): NearMiss[] {
  return searchNearMissesOf(outcome).misses;
}

/** `nearMissesOf`, saying whether the search's budget ended it early. */
export function searchNearMissesOf(outcome: Outcome): NearMissSearch {
  if (outcome.emptyRun) return { misses: [] };
  if (outcome.count < outcome.min) return searchNearMisses(filtersOf(outcome), outcome.graph, 5, true);
  if (outcome.clauseProblems.length > 0) return searchNearMisses(filtersOf(outcome), outcome.graph);
  return { misses: [] };
}

/** What one filter of a failed selection matched alone (see `countMatching`). */
export interface SelectionPart {
  readonly filter: string;
  readonly matched: number;
  /** The count stopped at the diagnostics' budget: `matched` is a lower bound. */
  readonly incomplete?: true;
}

/** The outcome of a decided check, with the run it was decided on, as a `Verdict` (message left empty). */
export function buildVerdict(
  assertion: string,
  decision: { pass: boolean; reason: StopReason; waitedMs: number; waitedFor: readonly WaitRecord[]; outcome: Outcome },
  spans: readonly Span[],
  extras: VerdictExtras = {},
): Verdict {
  const o = decision.outcome;
  const failed = !decision.pass && !o.emptyRun;
  const filters = o.assertion.selection.filters;
  const search: NearMissSearch = failed || o.clauseProblems.length > 0 ? searchNearMissesOf(o) : { misses: [] };
  const misses = search.misses;
  const incomplete = search.incomplete;
  const partsMeter = new Meter(DEFAULT_NEAR_MISS_BUDGET);
  const parts = failed && filters.length > 1 && o.count === 0 ? filters.map((f) => countMatching(f, o, partsMeter)) : [];
  let tree: TraceTree | undefined;
  if (failed) {
    const matched = new Set(o.matches);
    const excluded = new Set(o.excluded.map((e) => e.span));
    const missed = new Set(misses.map((m) => m.span));
    // The run the check was decided on is the outcome's graph: it is not grouped again.
    tree = buildTree(spans === o.graph.spans ? o.graph : buildRunGraph(spans), { mark: (s) => (matched.has(s) ? '← match' : excluded.has(s) ? '← excluded by clause' : missed.has(s) ? '← near miss' : undefined) });
  }
  return {
    pass: decision.pass,
    assertion,
    message: '',
    reason: decision.reason,
    waitedMs: decision.waitedMs,
    expected: describeExpected(o.min, o.max),
    min: o.min,
    max: o.max ?? null,
    count: o.count,
    selected: o.selected.length,
    emptyRun: o.emptyRun,
    clauseProblems: [...o.clauseProblems],
    matches: o.matches.slice(0, extras.maxMatches ?? MAX_MATCHES_IN_VERDICT).map(summarizeSpan),
    exclusions: failed ? o.excluded.map((e) => ({ span: summarizeSpan(e.span), clause: e.clause, kind: e.kind, ...(e.anchor === undefined ? {} : { anchor: e.anchor.name }), missByNanos: e.missByNanos.toString() })) : [],
    selectionParts: parts,
    nearMisses: misses.map((m) => ({ span: summarizeSpan(m.span), filter: m.filter, failed: m.failed, ...(m.actual === undefined ? {} : { actual: m.actual }) })),
    ...(incomplete === undefined ? {} : { nearMissesIncomplete: { examined: incomplete.examined, total: incomplete.total, maxMs: incomplete.budget.maxMs, maxSpans: incomplete.budget.maxSpans } }),
    noneClose: failed && misses.length === 0 && o.count === 0 && o.selected.length === 0 && incomplete === undefined,
    missesNameFilter: filters.length > 1 || o.assertion.clauses.length > 0,
    waitedFor: [...decision.waitedFor],
    warnings: [...(extras.warnings ?? [])],
    payloadFailures: [...(extras.payloadFailures ?? [])],
    runStartNanos: o.graph.startNanos.toString(),
    shownAttributes: mentionedAttributes(o.assertion.ast),
    ...(tree === undefined ? {} : { tree }),
  };
}

/**
 * What one filter of a selection matched alone. The count shares the nearest misses' budget (a
 * fresh one for all parts): past it, `matched` is what was counted so far and `incomplete` is set.
 */
function countMatching(f: CompiledFilter, o: Outcome, meter: Meter): SelectionPart {
  const filter = formatSelection(f.filter);
  let matched = 0;
  for (const t of o.graph.traces) {
    for (const s of t.spans) {
      if (!meter.step()) return { filter, matched, incomplete: true };
      if (f.matches(s, t)) matched++;
    }
  }
  return { filter, matched };
}
