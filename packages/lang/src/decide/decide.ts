import type { Span } from '@tracecheck/model';
import { buildRunGraph, type RunGraph } from '../eval/graph.js';
import { DEFAULT_EVAL_SLICE_MS, runSliced, type Steps } from '../eval/steps.js';
import { capOf, DEFAULT_IN_FLIGHT_CAPS, findInFlightSteps, type InFlightCaps, type InFlightItem, type InFlightKind, type OpenSpanInfo } from './in-flight.js';

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
  /** `graph` in steps (eval/steps.ts): a source that reads a large run in parts yields between them. */
  graphSteps?(): Steps<RunGraph>;
  /** Names of every span the source ever held, for typo warnings (optional). */
  spanNamesSeen?(): ReadonlySet<string>;
  /**
   * Spans of the run that @tracecheck/sdk reported started and not yet ended (optional: sources
   * without the signal have none). `subscribe` listeners also hear when this changes.
   */
  openSpans?(): readonly OpenSpanInfo[];
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
   * whose matches can only grow (docs/language.md, "Deciding": such a check passes the moment it holds).
   */
  readonly passesEarly: boolean;
  evaluate(spans: readonly Span[]): O;
  /** Evaluates a graph already built; used when the source keeps one. */
  evaluateGraph?(graph: RunGraph): O;
  /** `evaluateGraph` in steps (eval/steps.ts), so deciding can pause between them. */
  evaluateGraphSteps?(graph: RunGraph): Steps<O>;
}

export interface DecideOptions {
  /** How long to wait for the check to be decided (default 10 s). */
  timeoutMs?: number;
  /** How long the run must be quiet before a settling check passes (default 300 ms). */
  settleMs?: number;
  /** Most time a settling check waits for each kind of in-flight work (defaults: `DEFAULT_IN_FLIGHT_CAPS`). */
  caps?: Partial<InFlightCaps>;
  /** Stops waiting; the verdict says 'aborted'. */
  signal?: AbortSignal;
  /** Clock in ms since the epoch (tests). */
  now?: () => number;
  /**
   * Most time one evaluation runs before it lets the event loop turn, ms (default
   * `DEFAULT_EVAL_SLICE_MS`): a check over a large run is evaluated in slices, between traces.
   */
  sliceMs?: number;
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
 * - `in-flight`: it held at the timeout, but work was still in flight (see in-flight.ts) within its cap;
 * - `empty-run`: no span of the run arrived at all (instrumentation or run id never reached a service);
 * - `complete`: the run was complete from the start (a file), evaluated once;
 * - `run-ended`: decided again when the run ended, on everything it received (re-verification);
 * - `aborted`: the caller gave up.
 */
export type StopReason = 'held' | 'settled' | 'hopeless' | 'timeout' | 'never-settled' | 'in-flight' | 'empty-run' | 'complete' | 'run-ended' | 'aborted';

/**
 * In-flight work a settling check waited for, and how that ended: `arrived` (the work showed up),
 * `cap` (deciding stopped waiting at the reason's cap), `pending` (still in flight when deciding stopped).
 */
export interface WaitRecord {
  readonly kind: InFlightKind;
  readonly description: string;
  readonly waitedMs: number;
  readonly outcome: 'arrived' | 'cap' | 'pending';
  /** The cap that applied, ms. */
  readonly capMs: number;
}

export interface Decision<O extends DecidableOutcome> {
  pass: boolean;
  reason: StopReason;
  /** From the start of deciding to the verdict. */
  waitedMs: number;
  /** The evaluation the verdict rests on. */
  outcome: O;
  /** How many spans the run had then. */
  spanCount: number;
  /** In-flight work the check waited for while it held (empty when nothing was in flight). */
  waitedFor: WaitRecord[];
}

/** Tracks the in-flight work a check waits for while it holds, for deciding and for the verdict. */
class WaitLedger {
  private readonly seen = new Map<string, { item: InFlightItem; firstAt: number; endedAt?: number; outcome?: WaitRecord['outcome'] }>();

  constructor(private readonly caps: InFlightCaps) {}

  /**
   * Records what is in flight at `t`; returns the time at which the earliest active item reaches its
   * cap, or undefined when nothing active holds the check.
   */
  update(items: readonly InFlightItem[], t: number): number | undefined {
    const present = new Set<string>();
    let wakeAt: number | undefined;
    for (const item of items) {
      const cap = capOf(this.caps, item.kind);
      if (cap <= 0) continue;
      const key = `${item.kind}:${item.key}`;
      present.add(key);
      const capAt = item.sinceMs + cap;
      const entry = this.seen.get(key);
      if (entry === undefined) this.seen.set(key, { item, firstAt: t, ...(capAt <= t ? { endedAt: t, outcome: 'cap' as const } : {}) });
      else if (entry.outcome === undefined && capAt <= t) Object.assign(entry, { endedAt: capAt, outcome: 'cap' });
      if (capAt > t) wakeAt = wakeAt === undefined ? capAt : Math.min(wakeAt, capAt);
    }
    for (const [key, entry] of this.seen) {
      if (!present.has(key) && entry.outcome === undefined) Object.assign(entry, { endedAt: t, outcome: 'arrived' });
    }
    return wakeAt;
  }

  records(t: number): WaitRecord[] {
    return [...this.seen.values()].map(({ item, firstAt, endedAt, outcome }) => ({
      kind: item.kind,
      description: item.description,
      waitedMs: Math.max(0, (endedAt ?? t) - firstAt),
      outcome: outcome ?? 'pending',
      capMs: capOf(this.caps, item.kind),
    }));
  }
}

/**
 * Decides a check against a run that is still receiving spans. It re-evaluates when spans arrive
 * (pushed, never polled on a timer), passes a positive check the moment it holds, passes any other
 * check only once the run has settled (quiet for the settle window and no work in flight within its
 * cap, see in-flight.ts), fails early only when no later span can help, and otherwise fails at the
 * timeout with the evidence it had.
 */
export function decide<O extends DecidableOutcome>(source: RunSource, check: Decidable<O>, options: DecideOptions = {}): Promise<Decision<O>> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const sliceMs = options.sliceMs ?? DEFAULT_EVAL_SLICE_MS;
  const caps: InFlightCaps = { ...DEFAULT_IN_FLIGHT_CAPS, ...definedOnly(options.caps ?? {}) };
  const ledger = new WaitLedger(caps);
  const start = now();

  /**
   * One evaluation of the run as it stands, in steps. With a source that keeps the run's graph, a
   * check evaluates it as it stands instead of regrouping every span of the run on each arrival.
   * What is in flight is looked for only when a settling check holds.
   */
  function* evaluation(): Steps<Evaluation<O>> {
    let outcome: O;
    let graph: () => RunGraph;
    let count: number;
    if (source.graph !== undefined && check.evaluateGraph !== undefined) {
      const g = source.graphSteps !== undefined ? yield* source.graphSteps() : source.graph();
      outcome = check.evaluateGraphSteps !== undefined ? yield* check.evaluateGraphSteps(g) : check.evaluateGraph(g);
      graph = () => g;
      count = g.spans.length;
    } else {
      const spans = source.spans();
      outcome = check.evaluate(spans);
      graph = () => (source.graph ? source.graph() : buildRunGraph(spans));
      count = spans.length;
    }
    if (!outcome.holds || check.passesEarly || count === 0) return { outcome, count, inFlight: [], at: now() };
    const at = now();
    return { outcome, count, inFlight: yield* findInFlightSteps(graph(), source.openSpans?.() ?? [], at), at };
  }

  return new Promise((resolve, reject) => {
    let done = false;
    let heldOnce = false;
    let blocked = false;
    let pending = false;
    let settleTimer: NodeJS.Timeout | undefined;
    /** Set while an evaluation runs (its stop function); evaluations run one at a time. */
    let running: (() => void) | undefined;
    /** Asked for while one ran: evaluate again when it is done. */
    let again = false;
    /** Batches that brought spans so far: an evaluation that saw fewer must not settle the check. */
    let arrivals = 0;
    /** The timeout or an abort came: the next evaluation to start gives the verdict. */
    let stopping: 'timeout' | 'aborted' | undefined;

    /** Ends deciding: no more listening, timers or evaluation. False when it had ended already. */
    const end = (): boolean => {
      if (done) return false;
      done = true;
      unsubscribe();
      clearTimeout(timeoutTimer);
      clearTimeout(settleTimer);
      options.signal?.removeEventListener('abort', onAbort);
      running?.();
      return true;
    };

    const finish = (pass: boolean, reason: StopReason, outcome: O, spanCount: number): void => {
      if (!end()) return;
      const t = now();
      resolve({ pass, reason, waitedMs: Math.max(0, t - start), outcome, spanCount, waitedFor: ledger.records(t) });
    };

    const evaluate = (): void => {
      pending = false;
      if (done) return;
      if (running !== undefined) {
        again = true;
        return;
      }
      const seen = arrivals;
      const final = stopping;
      let finished = false;
      const stop = runSliced(
        evaluation(),
        sliceMs,
        (e) => {
          finished = true;
          running = undefined;
          // Once the timeout or an abort came, only an evaluation started after it gives the verdict.
          if (final !== undefined) conclude(final, e);
          else if (stopping === undefined) judge(e, arrivals === seen);
          if (!done && (again || stopping !== undefined)) {
            again = false;
            evaluate();
          }
        },
        (err) => {
          finished = true;
          running = undefined;
          if (end()) reject(err);
        },
      );
      if (!finished) running = stop;
    };

    /** What an evaluation says, while deciding goes on; `current`: no span arrived while it ran. */
    const judge = ({ outcome, count, inFlight, at }: Evaluation<O>, current: boolean): void => {
      if (count === 0) return; // an empty run never passes; the timeout says so
      if (outcome.holds) {
        heldOnce = true;
        // Holding now, it holds with any later span too: spans arriving meanwhile change nothing.
        if (check.passesEarly) return finish(true, 'held', outcome, count);
        const quietFor = at - Math.max(start, source.lastArrival() ?? start);
        const capAt = ledger.update(inFlight, at);
        blocked = capAt !== undefined;
        // Spans arrived while it ran: it judged a run that is no more (the next evaluation will judge).
        if (!current) return;
        if (quietFor >= settleMs && !blocked) return finish(true, 'settled', outcome, count);
        // Look again when the window ends or the earliest cap runs out, whichever is later than now.
        const wake = Math.max(quietFor < settleMs ? settleMs - quietFor : 0, capAt === undefined ? 0 : capAt - at);
        clearTimeout(settleTimer);
        settleTimer = setTimeout(evaluate, Math.max(1, wake));
      } else if (outcome.hopeless) {
        finish(false, 'hopeless', outcome, count);
      }
    };

    /** The verdict at the timeout or an abort, on an evaluation that started after it came. */
    const conclude = (why: 'timeout' | 'aborted', { outcome, count }: Evaluation<O>): void => {
      if (why === 'aborted') return finish(false, 'aborted', outcome, count);
      if (count === 0) return finish(false, 'empty-run', outcome, 0);
      if (outcome.holds && check.passesEarly) return finish(true, 'held', outcome, count);
      // Held, but the run never went quiet for the settle window, or work stayed in flight: not a pass.
      const reason: StopReason = !(outcome.holds || heldOnce) ? 'timeout' : blocked ? 'in-flight' : 'never-settled';
      finish(false, reason, outcome, count);
    };

    // Arrivals come in bursts; one evaluation per turn of the event loop is enough.
    const onSpans = (): void => {
      arrivals++;
      if (pending || done) return;
      pending = true;
      setImmediate(evaluate);
    };

    const stopWith = (why: 'timeout' | 'aborted'): void => {
      stopping ??= why;
      clearTimeout(settleTimer);
      evaluate();
    };
    const onTimeout = (): void => stopWith('timeout');
    const onAbort = (): void => stopWith('aborted');

    const unsubscribe = source.subscribe(onSpans);
    const timeoutTimer = setTimeout(onTimeout, timeoutMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    evaluate();
  });
}

/** One evaluation: the outcome, the run's size then, and (for a settling check that held) what was in flight at `at`. */
interface Evaluation<O> {
  outcome: O;
  count: number;
  inFlight: readonly InFlightItem[];
  at: number;
}

/** Drops keys set to undefined, so they do not override defaults when spread. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Decides a check against a run that is complete (a file): evaluated once, settled by definition. */
export function decideComplete<O extends DecidableOutcome>(spans: readonly Span[], check: Decidable<O>): Decision<O> {
  return completeDecision(check.evaluate(spans), spans.length);
}

/** The decision on a complete run of `spanCount` spans that evaluated to `outcome`. */
export function completeDecision<O extends DecidableOutcome>(outcome: O, spanCount: number): Decision<O> {
  if (spanCount === 0) return { pass: false, reason: 'empty-run', waitedMs: 0, outcome, spanCount: 0, waitedFor: [] };
  return { pass: outcome.holds, reason: 'complete', waitedMs: 0, outcome, spanCount, waitedFor: [] };
}
