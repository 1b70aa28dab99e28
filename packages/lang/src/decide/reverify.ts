/**
 * Re-verification at the end of a run. A check that passed by settling rests on "nothing more will
 * come"; when the run ends (its test's teardown closes it, it is deleted, `tracecheck run`'s command
 * exits), every such pass is decided again on the whole run. A verdict that flips is an overturn: a
 * false pass caught, reported with the late span and the setting that would have waited for it.
 */
import type { Span } from '@tracecheck/model';
import type { SpanSummary } from '../eval/summary.js';
import { describeSpan, formatNanos, summarizeSpan } from '../eval/summary.js';
import type { BuiltOutcome } from '../builder/payload.js';
import type { Decidable, WaitRecord } from './decide.js';
import { completeDecision } from './decide.js';
import { buildRunGraph, type RunGraph } from '../eval/graph.js';
import { runSteps, type Steps } from '../eval/steps.js';
import { type CheckResult, completeResult } from './run-check.js';

/** A pass that may be overturned, as the ledger keeps it. */
interface SettledPass {
  readonly runId: string;
  readonly assertion: string;
  readonly check: Decidable<BuiltOutcome>;
  /** When deciding started and when it passed, ms since the epoch. */
  readonly startedAt: number;
  readonly passedAt: number;
  readonly settleMs: number;
  /** Spans of the run at the pass (the run's spans come in arrival order: later ones follow). */
  readonly spanCount: number;
  readonly matchKeys: ReadonlySet<string>;
  readonly waitedFor: readonly WaitRecord[];
  readonly checkId: number | undefined;
  overturned: boolean;
}

/** A pass that the whole run contradicts. */
export interface Overturn {
  readonly runId: string;
  /** The id the caller gave the check when recording it (the receiver numbers its checks). */
  readonly checkId: number | undefined;
  readonly assertion: string;
  /** When the check passed and when the end of the run overturned it, ms since the epoch. */
  readonly passedAt: number;
  readonly overturnedAt: number;
  /** From the start of deciding to the pass. */
  readonly passedAfterMs: number;
  /** The span that made the difference (a new match, else the first span after the pass). */
  readonly by: SpanSummary | undefined;
  /** When that span ended, counted from the start of deciding (ms); undefined without one. */
  readonly byAtMs: number | undefined;
  /** The full explanation: what happened, the fix, and the re-evaluation's verdict. */
  readonly message: string;
}

export const DEFAULT_MAX_LEDGER_ENTRIES = 10_000;

const key = (s: Span): string => `${s.traceId}/${s.spanId}`;

/**
 * The settled passes of each run, until the run is deleted. Bounded: past `maxEntries` the oldest
 * entries are forgotten (and counted in `forgotten`), so a receiver cannot grow without limit.
 */
export class PassLedger {
  private readonly entries = new Map<string, SettledPass[]>();
  private size = 0;
  forgotten = 0;

  constructor(readonly maxEntries: number = DEFAULT_MAX_LEDGER_ENTRIES) {}

  /** Records a check that passed by settling; other verdicts cannot be overturned and are ignored. */
  record(runId: string, result: CheckResult, check: Decidable<BuiltOutcome>, startedAt: number, settleMs: number, checkId?: number): void {
    const d = result.decision;
    if (!d.pass || d.reason !== 'settled') return;
    if (this.size >= this.maxEntries) this.forgetOldest();
    const list = this.entries.get(runId) ?? [];
    list.push({
      runId,
      assertion: result.assertion,
      check,
      startedAt,
      passedAt: startedAt + d.waitedMs,
      settleMs,
      spanCount: d.spanCount,
      matchKeys: new Set(d.outcome.matches.map(key)),
      waitedFor: d.waitedFor,
      checkId,
      overturned: false,
    });
    this.entries.set(runId, list);
    this.size++;
  }

  /** Settled passes recorded for a run and not yet overturned. */
  pending(runId: string): number {
    return (this.entries.get(runId) ?? []).filter((e) => !e.overturned).length;
  }

  /** Runs with recorded passes. */
  runs(): string[] {
    return [...this.entries.keys()];
  }

  /** Decides every recorded pass of the run again on `spans` (the whole run); returns the new overturns. */
  reverify(runId: string, spans: readonly Span[], now: number = Date.now()): Overturn[] {
    if (this.pending(runId) === 0) return [];
    return runSteps(this.reverifySteps(runId, buildRunGraph(spans), now));
  }

  /** `reverify` in steps (eval/steps.ts) on the run's graph, which a live source reads in parts. */
  *reverifySteps(runId: string, graph: RunGraph, now: number = Date.now()): Steps<Overturn[]> {
    const out: Overturn[] = [];
    for (const entry of this.entries.get(runId) ?? []) {
      if (entry.overturned) continue;
      const { check } = entry;
      const outcome = check.evaluateGraphSteps !== undefined ? yield* check.evaluateGraphSteps(graph) : check.evaluateGraph !== undefined ? check.evaluateGraph(graph) : check.evaluate(graph.spans);
      const decision = { ...completeDecision(outcome, graph.spans.length), reason: 'run-ended' as const };
      if (decision.pass) continue;
      entry.overturned = true;
      out.push(overturn(entry, completeResult(entry.assertion, decision, check), graph.spans, now));
    }
    return out;
  }

  /** Forgets a run's passes (after its last re-verification). */
  drop(runId: string): void {
    this.size -= this.entries.get(runId)?.length ?? 0;
    this.entries.delete(runId);
  }

  private forgetOldest(): void {
    const [runId, list] = this.entries.entries().next().value as [string, SettledPass[]];
    list.shift();
    this.size--;
    this.forgotten++;
    if (list.length === 0) this.entries.delete(runId);
  }
}

function overturn(entry: SettledPass, recheck: CheckResult, spans: readonly Span[], now: number): Overturn {
  const o = recheck.decision.outcome;
  const fresh = o.matches.find((s) => !entry.matchKeys.has(key(s)));
  const by = fresh ?? spans[entry.spanCount];
  const startNanos = BigInt(entry.startedAt) * 1_000_000n;
  const byAtMs = by === undefined ? undefined : Number((by.endTimeUnixNano - startNanos) / 1_000_000n);
  const at = (ms: number): string => `+${formatNanos(BigInt(Math.round(ms)) * 1_000_000n)}`;
  const lines = [
    `✘ OVERTURNED at the end of run ${entry.runId}: ${entry.assertion}`,
    '',
    `Passed at ${at(entry.passedAt - entry.startedAt)} (times from the check's start; the run was quiet for the ${entry.settleMs}ms settle window), but the whole run contradicts it${
      by === undefined ? '.' : `: overturned by a span that ended at ${at(byAtMs ?? 0)}:`
    }`,
  ];
  if (by !== undefined) lines.push(`  ${describeSpan(by, o.graph.startNanos, [])}`);
  lines.push('', ...fixAdvice(entry, byAtMs), '', recheck.message);
  return {
    runId: entry.runId,
    checkId: entry.checkId,
    assertion: entry.assertion,
    passedAt: entry.passedAt,
    overturnedAt: now,
    passedAfterMs: entry.passedAt - entry.startedAt,
    by: by === undefined ? undefined : summarizeSpan(by),
    byAtMs,
    message: lines.join('\n'),
  };
}

/** What would have made deciding wait for the late span. */
function fixAdvice(entry: SettledPass, byAtMs: number | undefined): string[] {
  const capped = entry.waitedFor.filter((w) => w.outcome === 'cap');
  const late = byAtMs === undefined ? undefined : Math.max(0, byAtMs - (entry.passedAt - entry.startedAt));
  const lateText = late === undefined ? '' : ` It came ${formatNanos(BigInt(Math.round(late)) * 1_000_000n)} after the pass.`;
  if (capped.length > 0) {
    const flags = [...new Set(capped.map((w) => (w.kind === 'parent' ? '--parent-cap' : w.kind === 'consumer' ? '--consumer-cap' : '--open-cap')))];
    return [
      `How to fix: deciding stopped waiting for ${capped.map((w) => w.description).join('; ')} at its cap.${lateText}`,
      `Raise ${flags.join(' / ')} (parentCapMs, consumerCapMs, openCapMs in code) above the time that work takes.`,
    ];
  }
  return [
    `How to fix: nothing in the run showed this work still coming when the check passed (no open span, no parent`,
    `yet to arrive, no message awaiting its consumer).${lateText} Make the work visible: run the service with`,
    `@tracecheck/sdk (it reports open spans), do the delayed work inside a span (a job span, effect()), or send it`,
    `through a queue with produce()/consume() so its consumer is awaited. Or raise the settle window (--settle,`,
    `settleMs) above that delay.`,
  ];
}
