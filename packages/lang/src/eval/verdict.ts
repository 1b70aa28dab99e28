/**
 * A verdict people can act on (like Playwright's matcher messages): the assertion,
 * `Expected:` and `Received:`, how long it waited and why it stopped, then the evidence — the
 * matched spans, the matches a clause excluded and by how much, the nearest misses when nothing
 * matched, and the run's trace tree. `verdictJson` is the same evidence for the HTTP API.
 */
import type { Span } from '@tracecheck/model';
import type { Decision, StopReason, WaitRecord } from '../decide/decide.js';
import { formatSelection } from '../format.js';
import type { Outcome } from './assertion.js';
import type { Exclusion } from './clauses.js';
import type { CompiledFilter } from './filter.js';
import { buildRunGraph } from './graph.js';
import type { NearMiss } from './near-miss.js';
import { findNearMisses } from './near-miss.js';
import type { SpanSummary } from './summary.js';
import { describeSpan, formatNanos, mentionedAttributes, summarizeSpan } from './summary.js';
import { renderTree } from './tree.js';

const REASONS: Record<StopReason, string> = {
  held: 'passed as soon as it held (no later span can make it false)',
  settled: 'held, and the run was quiet for the settle window',
  hopeless: 'failed early: no later span can make it pass',
  timeout: 'timed out: the check did not hold by the timeout',
  'never-settled': 'held, but spans kept arriving until the timeout, so it never settled',
  'in-flight': 'held, but work was still in flight at the timeout, so it never settled',
  'empty-run': 'no span of this run arrived by the timeout',
  complete: 'the run was complete (a file) and was evaluated once',
  aborted: 'aborted by the caller',
};

const EMPTY_RUN_HINT = [
  'No span of this run arrived at all. That usually means the instrumentation or the run id never',
  'reached a service: check that the services export to this receiver (OTEL_EXPORTER_OTLP_ENDPOINT)',
  'and that the triggering request carried the run id (header `baggage: test.run.id=<id>`).',
];

const MAX_LISTED = 10;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `exactly 1 matching span`, `at least 2 matching spans`, `no matching span`. */
export function describeExpected(min: number, max: number | undefined): string {
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
function nearMissesOf(outcome: Outcome): NearMiss[] {
  if (outcome.emptyRun) return [];
  if (outcome.count < outcome.min) return findNearMisses(filtersOf(outcome), outcome.graph, 5, true);
  if (outcome.clauseProblems.length > 0) return findNearMisses(filtersOf(outcome), outcome.graph);
  return [];
}

/** `850ms`, `10s`. */
function formatWait(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : formatNanos(BigInt(Math.round(ms)) * 1_000_000n);
}

function exclusionLine(e: Exclusion, describe: (s: Span) => string): string {
  const miss = formatNanos(e.missByNanos < 0n ? -e.missByNanos : e.missByNanos);
  const anchor = e.anchor?.name ?? '';
  const timing = e.kind === 'after' ? `started ${miss} before ${anchor} ended` : e.kind === 'before' ? `ended ${miss} after ${anchor} started` : `started ${miss} too late`;
  return `  ${describe(e.span)}\n    ${timing}`;
}

function listSpans(title: string, spans: readonly Span[], describe: (s: Span) => string): string[] {
  if (spans.length === 0) return [];
  const lines = [title];
  for (const s of spans.slice(0, MAX_LISTED)) lines.push(`  ${describe(s)}`);
  if (spans.length > MAX_LISTED) lines.push(`  … and ${spans.length - MAX_LISTED} more`);
  return lines;
}

/** The option that sets each in-flight cap (CLI flag / JS option), for the fix a verdict suggests. */
const CAP_OPTION: Record<WaitRecord['kind'], string> = { parent: '--parent-cap / parentCapMs', consumer: '--consumer-cap / consumerCapMs', open: '--open-cap / openCapMs' };

/** `the consumer of `orders.publish` (svc api): arrived after 1.2s`. */
function waitLine(w: WaitRecord): string {
  const waited = formatWait(w.waitedMs);
  if (w.outcome === 'arrived') return `  ${w.description}: arrived after ${waited}`;
  if (w.outcome === 'pending') return `  ${w.description}: still in flight after ${waited}`;
  return `  ${w.description}: gave up after ${waited} at its cap (${formatWait(w.capMs)}; raise it with ${CAP_OPTION[w.kind]})`;
}

/** What a settling check waited for, for the verdict: empty when nothing was in flight. */
export function renderWaitedFor(waitedFor: readonly WaitRecord[]): string[] {
  if (waitedFor.length === 0) return [];
  const lines = waitedFor.slice(0, MAX_LISTED).map(waitLine);
  if (waitedFor.length > MAX_LISTED) lines.push(`  … and ${waitedFor.length - MAX_LISTED} more`);
  return ['Waited for work in flight:', ...lines];
}

/** Extra lines a verdict carries beside the evaluation. */
export interface VerdictExtras {
  /** Warnings about a check that passed but may not mean what it says (a misspelt span name). */
  readonly warnings?: readonly string[];
}

/** Renders a decision about `assertionText` as text; `spans` is the run (for the tree). */
export function renderVerdict(assertionText: string, decision: Decision<Outcome>, spans: readonly Span[], extras: VerdictExtras = {}): string {
  const o = decision.outcome;
  const keys = mentionedAttributes(o.assertion.ast);
  const runStart = o.graph.startNanos;
  const describe = (s: Span): string => describeSpan(s, runStart, keys);
  const out: string[] = [`${decision.pass ? '✔' : '✘'} ${assertionText}`, ''];

  out.push(`Expected: ${describeExpected(o.min, o.max)}`);
  if (o.emptyRun) out.push('Received: no spans at all');
  else {
    const narrowed = o.selected.length !== o.count ? ` (${o.selected.length} matched the selection, ${o.selected.length - o.count} excluded by clauses)` : '';
    out.push(`Received: ${plural(o.count, 'matching span')}${narrowed}`);
  }
  out.push(`Waited ${formatWait(decision.waitedMs)}: ${REASONS[decision.reason]}`);
  const waited = renderWaitedFor(decision.waitedFor);
  if (waited.length > 0) out.push(...waited);
  for (const w of extras.warnings ?? []) out.push(`Warning: ${w}`);

  if (o.emptyRun) {
    out.push('', ...EMPTY_RUN_HINT);
    return out.join('\n');
  }
  for (const p of o.clauseProblems) out.push('', `Clause failed: ${p}`);

  const tooMany = o.max !== undefined && o.count > o.max;
  out.push('', ...listSpans(tooMany ? `Matched (${o.count}, ${o.count - o.max!} more than allowed):` : `Matched (${o.count}):`, o.matches, describe));
  // A pass needs no more evidence than what it counted; the tree and the misses are for failures.
  if (decision.pass) return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
  if (o.excluded.length > 0) {
    const byClause = new Map<string, Exclusion[]>();
    for (const e of o.excluded) byClause.set(e.clause, [...(byClause.get(e.clause) ?? []), e]);
    for (const [clause, list] of byClause) {
      out.push('', `Excluded by \`${clause}\` (${list.length}):`);
      for (const e of list.slice(0, MAX_LISTED)) out.push(exclusionLine(e, describe));
      if (list.length > MAX_LISTED) out.push(`  … and ${list.length - MAX_LISTED} more`);
    }
  }

  const filters = o.assertion.selection.filters;
  if (filters.length > 1 && o.count === 0) {
    out.push('', 'Parts of the selection:');
    for (const f of filters) {
      const n = o.graph.traces.reduce((acc, t) => acc + t.spans.filter((s) => f.matches(s, t)).length, 0);
      out.push(`  ${formatSelection(f.filter)} matched ${plural(n, 'span')}`);
    }
  }

  const misses = nearMissesOf(o);
  if (misses.length > 0) {
    out.push('', 'Nearest misses (spans that failed one condition):');
    for (const m of misses) {
      out.push(`  ${describe(m.span)}`, `    failed: ${m.failed}${m.actual === undefined ? '' : ` (${m.actual})`}${filters.length > 1 || o.assertion.clauses.length > 0 ? ` in ${m.filter}` : ''}`);
    }
  } else if (o.count === 0 && o.selected.length === 0) {
    out.push('', 'No span came close (none failed just one condition).');
  }

  const graph = buildRunGraph(spans);
  const matched = new Set(o.matches);
  const excluded = new Set(o.excluded.map((e) => e.span));
  const missed = new Set(misses.map((m) => m.span));
  out.push('', `Trace tree (${plural(graph.spans.length, 'span')} in ${plural(graph.traces.length, 'trace')}):`);
  out.push(...renderTree(graph, { mark: (s) => (matched.has(s) ? '← match' : excluded.has(s) ? '← excluded by clause' : missed.has(s) ? '← near miss' : undefined) }));
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** The check API's answer (`{pass, message, waitedMs, reason, matches, nearMisses, ...}`, docs/language.md). */
export interface VerdictJson {
  pass: boolean;
  message: string;
  waitedMs: number;
  reason: StopReason;
  count: number;
  expected: string;
  clauseProblems: string[];
  matches: SpanSummary[];
  nearMisses: { span: SpanSummary; filter: string; failed: string; actual?: string }[];
  /** In-flight work the check waited for (parents, consumers, open spans) and how each wait ended. */
  waitedFor: WaitRecord[];
  /** Warnings on a verdict that may not mean what it says (a passing `no` naming a span never seen). */
  warnings: string[];
}

/** The structured form of a verdict, for the HTTP API; `message` is `renderVerdict`'s text. */
export function verdictJson(assertionText: string, decision: Decision<Outcome>, spans: readonly Span[], extras: VerdictExtras = {}): VerdictJson {
  const o = decision.outcome;
  return {
    pass: decision.pass,
    message: renderVerdict(assertionText, decision, spans, extras),
    waitedMs: decision.waitedMs,
    reason: decision.reason,
    count: o.count,
    expected: describeExpected(o.min, o.max),
    clauseProblems: [...o.clauseProblems],
    matches: o.matches.slice(0, 100).map(summarizeSpan),
    nearMisses: nearMissesOf(o).map((m) => ({ span: summarizeSpan(m.span), filter: m.filter, failed: m.failed, ...(m.actual === undefined ? {} : { actual: m.actual }) })),
    waitedFor: [...decision.waitedFor],
    warnings: [...(extras.warnings ?? [])],
  };
}
