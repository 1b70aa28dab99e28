import type { Span } from '@tracecheck/model';
import type { RunGraph } from '../eval/graph.js';

/**
 * Where a check reads its run: the spans so far, a push when more arrive, and when the last one did.
 * The live store and a finished file both fit; see `storeRunSource`.
 */
export interface RunSource {
  spans(): readonly Span[];
  /** Calls `listener` whenever spans join the run; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Receive time (ms since the epoch) of the run's latest span, or undefined before the first. */
  lastArrival(): number | undefined;
  /** The run's trace graph, kept up to date as spans arrive (optional: saves regrouping the run). */
  graph?(): RunGraph;
}

/** What deciding needs from an evaluation of the check against the spans so far. */
export interface DecidableOutcome {
  /** The assertion is true of the spans so far. */
  readonly holds: boolean;
  /** The assertion is false and no later span can make it true (e.g. `at most 1` with two matches). */
  readonly hopeless: boolean;
}

/** A compiled check, as deciding sees it. */
export interface Decidable<O extends DecidableOutcome> {
  /**
   * True when no later span can make a holding check false: `some` / `at least N` over a selection
   * whose matches can only grow (DESIGN.md: such a check passes the moment it holds).
   */
  readonly passesEarly: boolean;
  evaluate(spans: readonly Span[]): O;
  /** Evaluates a graph already built; used when the source keeps one. */
  evaluateGraph?(graph: RunGraph): O;
}

export interface DecideOptions {
  /** How long to wait for the check to be decided (default 10 s). */
  timeoutMs?: number;
  /** How long the run must be quiet before a settling check passes (default 300 ms). */
  settleMs?: number;
  /** Stops waiting; the verdict says 'aborted'. */
  signal?: AbortSignal;
  /** Clock in ms since the epoch (tests). */
  now?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_SETTLE_MS = 300;

/**
 * Why deciding stopped:
 * - `held`: a check that no later span can make false held;
 * - `settled`: the check held and the run had been quiet for the settle window;
 * - `hopeless`: the check failed and no later span can fix it;
 * - `timeout`: the check did not hold by the timeout;
 * - `never-settled`: it held at the timeout, but spans kept arriving, so it could not be trusted;
 * - `empty-run`: no span of the run arrived at all (instrumentation or run id never reached a service);
 * - `complete`: the run was complete from the start (a file), evaluated once;
 * - `aborted`: the caller gave up.
 */
export type StopReason = 'held' | 'settled' | 'hopeless' | 'timeout' | 'never-settled' | 'empty-run' | 'complete' | 'aborted';

export interface Decision<O extends DecidableOutcome> {
  pass: boolean;
  reason: StopReason;
  /** From the start of deciding to the verdict. */
  waitedMs: number;
  /** The evaluation the verdict rests on. */
  outcome: O;
  /** How many spans the run had then. */
  spanCount: number;
}

/**
 * Decides a check against a run that is still receiving spans (DESIGN.md, "Deciding"). It
 * re-evaluates when spans arrive (pushed, never polled on a timer), passes a positive check the
 * moment it holds, passes any other check only once the run has settled, fails early only when no
 * later span can help, and otherwise fails at the timeout with the evidence it had.
 */
export function decide<O extends DecidableOutcome>(source: RunSource, check: Decidable<O>, options: DecideOptions = {}): Promise<Decision<O>> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const start = now();

  // With a source that keeps the run's graph, a check evaluates it as it stands instead of
  // regrouping every span of the run on each arrival.
  const evaluateNow = (): { outcome: O; count: number } => {
    if (source.graph !== undefined && check.evaluateGraph !== undefined) {
      const graph = source.graph();
      return { outcome: check.evaluateGraph(graph), count: graph.spans.length };
    }
    const spans = source.spans();
    return { outcome: check.evaluate(spans), count: spans.length };
  };

  return new Promise((resolve) => {
    let done = false;
    let heldOnce = false;
    let pending = false;
    let settleTimer: NodeJS.Timeout | undefined;

    const finish = (pass: boolean, reason: StopReason, outcome: O, spanCount: number): void => {
      if (done) return;
      done = true;
      unsubscribe();
      clearTimeout(timeoutTimer);
      clearTimeout(settleTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ pass, reason, waitedMs: Math.max(0, now() - start), outcome, spanCount });
    };

    const evaluate = (): void => {
      pending = false;
      if (done) return;
      const { outcome, count } = evaluateNow();
      if (count === 0) return; // an empty run never passes; the timeout says so
      if (outcome.holds) {
        heldOnce = true;
        if (check.passesEarly) return finish(true, 'held', outcome, count);
        const quietFor = now() - Math.max(start, source.lastArrival() ?? start);
        if (quietFor >= settleMs) return finish(true, 'settled', outcome, count);
        clearTimeout(settleTimer);
        settleTimer = setTimeout(evaluate, settleMs - quietFor);
      } else if (outcome.hopeless) {
        finish(false, 'hopeless', outcome, count);
      }
    };

    // Arrivals come in bursts; one evaluation per turn of the event loop is enough.
    const onSpans = (): void => {
      if (pending || done) return;
      pending = true;
      setImmediate(evaluate);
    };

    const onTimeout = (): void => {
      const { outcome, count } = evaluateNow();
      if (count === 0) return finish(false, 'empty-run', outcome, 0);
      // Held, but the run never went quiet for the settle window: not a pass.
      const reason: StopReason = outcome.holds || heldOnce ? 'never-settled' : 'timeout';
      finish(false, reason, outcome, count);
    };

    const onAbort = (): void => {
      const { outcome, count } = evaluateNow();
      finish(false, 'aborted', outcome, count);
    };

    const unsubscribe = source.subscribe(onSpans);
    const timeoutTimer = setTimeout(onTimeout, timeoutMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    evaluate();
  });
}

/** Decides a check against a run that is complete (a file): evaluated once, settled by definition. */
export function decideComplete<O extends DecidableOutcome>(spans: readonly Span[], check: Decidable<O>): Decision<O> {
  const outcome = check.evaluate(spans);
  if (spans.length === 0) return { pass: false, reason: 'empty-run', waitedMs: 0, outcome, spanCount: 0 };
  return { pass: outcome.holds, reason: 'complete', waitedMs: 0, outcome, spanCount: spans.length };
}
