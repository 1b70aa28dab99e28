/**
 * The one text renderer of verdicts, reading only the verdict's data, so the receiver, the CLI and
 * the test integrations print the same thing. A runner styles it its own way through `VerdictStyle`
 * (colours in a terminal); the default is plain text. It reads like Playwright's matcher messages:
 * the assertion, `Expected:` and `Received:`, how long it waited and why it stopped, then the
 * evidence.
 */
import type { StopReason, WaitRecord } from '../decide/decide.js';
import { describeSpanSummary, formatNanos } from './summary.js';
import { renderTreeData, type TreeStyle } from './tree.js';
import type { ExclusionData, Verdict } from './verdict-data.js';

/** How a runner styles parts of the text; each defaults to the identity. */
export interface VerdictStyle extends TreeStyle {
  /** The first line of a passing check. */
  readonly pass?: (text: string) => string;
  /** The first line of a failing check, and what failed. */
  readonly fail?: (text: string) => string;
  /** Section headings and labels (`Expected:`). */
  readonly label?: (text: string) => string;
}

const REASONS: Record<StopReason, string> = {
  held: 'passed as soon as it held (no later span can make it false)',
  settled: 'held, and the run was quiet for the settle window',
  hopeless: 'failed early: no later span can make it pass',
  timeout: 'timed out: the check did not hold by the timeout',
  'never-settled': 'held, but spans kept arriving until the timeout, so it never settled',
  'in-flight': 'held, but work was still in flight at the timeout, so it never settled',
  'empty-run': 'no span of this run arrived by the timeout',
  complete: 'the run was complete (a file) and was evaluated once',
  'run-ended': 'decided again when the run ended, on everything it received',
  aborted: 'aborted by the caller',
};

const EMPTY_RUN_HINT = [
  'No span of this run arrived at all. That usually means the instrumentation or the run id never',
  'reached a service: check that the services export to this receiver (OTEL_EXPORTER_OTLP_ENDPOINT)',
  'and that the triggering request carried the run id (header `baggage: test.run.id=<id>`).',
];

const MAX_LISTED = 10;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const plain = (t: string): string => t;

/** `850ms`, `10s`. */
export function formatWait(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : formatNanos(BigInt(Math.round(ms)) * 1_000_000n);
}

/** The option that sets each in-flight cap (CLI flag / JS option), for the fix a verdict suggests. */
const CAP_OPTION: Record<WaitRecord['kind'], string> = { parent: '--parent-cap / parentCapMs', consumer: '--consumer-cap / consumerCapMs', open: '--open-cap / openCapMs' };

function waitLine(w: WaitRecord): string {
  const waited = formatWait(w.waitedMs);
  if (w.outcome === 'arrived') return `  ${w.description}: arrived after ${waited}`;
  if (w.outcome === 'pending') return `  ${w.description}: still in flight after ${waited}`;
  return `  ${w.description}: gave up after ${waited} at its cap (${formatWait(w.capMs)}; raise it with ${CAP_OPTION[w.kind]})`;
}

/** What a settling check waited for: empty when nothing was in flight. */
export function renderWaitedFor(waitedFor: readonly WaitRecord[]): string[] {
  if (waitedFor.length === 0) return [];
  const lines = waitedFor.slice(0, MAX_LISTED).map(waitLine);
  if (waitedFor.length > MAX_LISTED) lines.push(`  … and ${waitedFor.length - MAX_LISTED} more`);
  return ['Waited for work in flight:', ...lines];
}

function exclusionLine(e: ExclusionData, describe: (s: ExclusionData['span']) => string): string {
  const ns = BigInt(e.missByNanos);
  const miss = formatNanos(ns < 0n ? -ns : ns);
  const anchor = e.anchor ?? '';
  const timing = e.kind === 'after' ? `started ${miss} before ${anchor} ended` : e.kind === 'before' ? `ended ${miss} after ${anchor} started` : `started ${miss} too late`;
  return `  ${describe(e.span)}\n    ${timing}`;
}

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_LISTED).map(line);
  if (items.length > MAX_LISTED) lines.push(`  … and ${items.length - MAX_LISTED} more`);
  return lines;
}

/** The verdict as text. */
export function renderVerdictData(v: Verdict, style: VerdictStyle = {}): string {
  const label = style.label ?? plain;
  const runStart = BigInt(v.runStartNanos);
  const describe = (s: Verdict['matches'][number]): string => describeSpanSummary(s, runStart, v.shownAttributes);
  const out: string[] = [v.pass ? (style.pass ?? plain)(`✔ ${v.assertion}`) : (style.fail ?? plain)(`✘ ${v.assertion}`), ''];

  out.push(`${label('Expected:')} ${v.expected}`);
  if (v.emptyRun) out.push(`${label('Received:')} no spans at all`);
  else {
    const narrowed = v.selected !== v.count && v.payloadFailures.length === 0 ? ` (${v.selected} matched the selection, ${v.selected - v.count} excluded by clauses)` : '';
    out.push(`${label('Received:')} ${plural(v.count, 'matching span')}${narrowed}`);
  }
  out.push(`${label(`Waited ${formatWait(v.waitedMs)}:`)} ${REASONS[v.reason]}`);
  out.push(...renderWaitedFor(v.waitedFor));
  for (const w of v.warnings) out.push(`${label('Warning:')} ${w}`);

  if (v.emptyRun) {
    out.push('', ...EMPTY_RUN_HINT);
    return out.join('\n');
  }
  for (const p of v.clauseProblems) out.push('', `${label('Clause failed:')} ${p}`);

  const tooMany = v.max !== null && v.count > v.max;
  if (v.matches.length > 0) {
    out.push('', label(tooMany ? `Matched (${v.count}, ${v.count - v.max!} more than allowed):` : `Matched (${v.count}):`));
    out.push(...v.matches.slice(0, MAX_LISTED).map((s) => `  ${describe(s)}`));
    if (v.count > MAX_LISTED) out.push(`  … and ${v.count - MAX_LISTED} more`);
  }
  if (v.payloadFailures.length > 0) {
    out.push('', label(`Payload did not fit the schema (${v.payloadFailures.length}, not counted):`));
    out.push(...listed(v.payloadFailures, (f) => `  ${f.span.name} · span ${f.span.spanId}: ${f.message}`));
  }
  // A pass needs no more evidence than what it counted; the tree and the misses are for failures.
  if (v.pass) return tidy(out);

  const byClause = new Map<string, ExclusionData[]>();
  for (const e of v.exclusions) byClause.set(e.clause, [...(byClause.get(e.clause) ?? []), e]);
  for (const [clause, list] of byClause) {
    out.push('', label(`Excluded by \`${clause}\` (${list.length}):`));
    out.push(...listed(list, (e) => exclusionLine(e, describe)));
  }
  if (v.selectionParts.length > 0) {
    out.push('', label('Parts of the selection:'));
    for (const p of v.selectionParts) out.push(`  ${p.filter} matched ${p.incomplete ? 'at least ' : ''}${plural(p.matched, 'span')}${p.incomplete ? ' (counting stopped at the diagnostics budget)' : ''}`);
  }
  if (v.nearMisses.length > 0) {
    out.push('', label('Nearest misses (spans that failed one condition):'));
    for (const m of v.nearMisses) {
      out.push(`  ${describe(m.span)}`, `    failed: ${(style.fail ?? plain)(m.failed)}${m.actual === undefined ? '' : ` (${m.actual})`}${v.missesNameFilter ? ` in ${m.filter}` : ''}`);
    }
  } else if (v.noneClose) {
    out.push('', 'No span came close (none failed just one condition).');
  }
  if (v.nearMissesIncomplete !== undefined) {
    const i = v.nearMissesIncomplete;
    out.push('', `The search for nearest misses stopped after ${i.examined} of ${i.total} span examinations (its budget is ${i.maxMs} ms or ${i.maxSpans} spans); a closer miss may be among the rest.`);
  }
  if (v.tree !== undefined) {
    out.push('', label(`Trace tree (${plural(v.tree.spanCount, 'span')} in ${plural(v.tree.traceCount, 'trace')}):`));
    out.push(...renderTreeData(v.tree, 2, style));
  }
  return tidy(out);
}

function tidy(lines: string[]): string {
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}
