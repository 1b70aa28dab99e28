/**
 * Checks on runs stored in Tempo: `checkWithTempo` for one check, `TempoChecker` for a test suite
 * (the same calls as @tracecheck/client's `TracecheckClient`: check, waitFor, spans, closeRun).
 * Deciding is @tracecheck/lang's `checkRun`, unchanged, on a TempoSource (source.ts).
 */
import { CheckFailedError, type CheckOptions, type CheckVerdict, type CloseRunOptions, type CloseRunResult, type WaitedFor } from '@tracecheck/client';
import { capOf, type Checkable, checkRun, DEFAULT_IN_FLIGHT_CAPS, DEFAULT_SETTLE_MS, DEFAULT_TIMEOUT_MS, findInFlight, formatWait, type InFlightCaps, PassLedger, renderVerdictData, type Verdict } from '@tracecheck/lang';
import type { Span } from '@tracecheck/model';
import { resolveTempoOptions, type TempoOptions } from './options.js';
import { TempoSource } from './source.js';

/** What a Tempo check takes: the client's check options (timeout, settle window, caps, signal). */
export type TempoCheckOptions = Omit<CheckOptions, 'caller'> & {
  /** Most matches the verdict lists (default 100). */
  maxMatches?: number;
};

/**
 * The default timeout on Tempo: the receiver's 10 s plus twice the lag plus the grace. A span found by
 * search is found up to one lag after it was written, and a settling check then waits the settle window
 * on a horizon one lag behind: a negative check on a quiet run needs about `settle + 2 × lag`.
 */
export function defaultTempoTimeoutMs(source: TempoSource): number {
  return DEFAULT_TIMEOUT_MS + 2 * source.lagMs + source.graceMs;
}

/** The caps deciding counts on the clock: each (but 0, "ignore") extended by how far the horizon trails it. */
function horizonCaps(options: TempoCheckOptions, behindMs: number): InFlightCaps {
  const ext = (v: number | undefined, d: number): number => ((v ?? d) > 0 ? (v ?? d) + behindMs : 0);
  return {
    parentMs: ext(options.parentCapMs, DEFAULT_IN_FLIGHT_CAPS.parentMs),
    consumerMs: ext(options.consumerCapMs, DEFAULT_IN_FLIGHT_CAPS.consumerMs),
    openMs: ext(options.openCapMs, DEFAULT_IN_FLIGHT_CAPS.openMs),
  };
}

/** Sentences about deciding on Tempo for a verdict: the problems seen while it decided, and the lag when it mattered. */
function tempoNotes(source: TempoSource, verdict: Verdict, startedAt: number, settleMs: number, timeoutMs: number): string[] {
  const notes = source.notesSince(startedAt);
  const behind = source.lagMs + source.graceMs;
  if (verdict.waitedFor.length > 0) {
    notes.push(`on Tempo, in-flight work is waited for on Tempo's horizon, ${formatWait(behind)} behind the clock (the visibility lag ${formatWait(source.lagMs)} plus ${formatWait(source.graceMs)}): each wait above includes that`);
  }
  const waiting = !verdict.pass && ['timeout', 'never-settled', 'in-flight', 'empty-run'].includes(verdict.reason);
  if (waiting) {
    const now = Date.now();
    const horizon = source.horizon(now);
    const found = source.lastDiscovery();
    const needed = Math.max(startedAt, found ?? startedAt) + settleMs;
    const short = horizon === undefined ? undefined : needed - horizon;
    const where = horizon === undefined ? 'no poll of Tempo completed in full' : short !== undefined && short > 0 ? `Tempo's horizon was still ${formatWait(short)} short of a quiet settle window after the check's start and the run's latest span` : 'the horizon had covered the settle window';
    notes.push(
      `decided on Grafana Tempo (${source.url}): a search finds a span up to ${formatWait(source.lagMs)} after it was written (${source.options.visibilityLagMs === undefined ? `Tempo ${source.versionLine ?? '3'}.x default` : 'as configured'}; --tempo-lag, visibilityLagMs), and a span written later than that may not have been seen; ${where} at the timeout (${formatWait(timeoutMs)}); raise the timeout if the effect is slow`,
    );
  }
  return notes;
}

/**
 * Checks runs stored in Tempo. One TempoSource per run, shared by that run's checks; settled passes
 * are re-verified by `closeRun`, as the receiver does when a run ends.
 */
export class TempoChecker {
  private readonly sources = new Map<string, TempoSource>();
  private readonly ledger = new PassLedger();

  /** Throws TempoOptionsError for options that cannot work (a URL that is not http(s), a negative lag). */
  constructor(readonly options: TempoOptions) {
    resolveTempoOptions(options);
  }

  /** The run's source (created on first use). */
  source(runId: string): TempoSource {
    let s = this.sources.get(runId);
    if (!s) this.sources.set(runId, (s = new TempoSource(runId, this.options)));
    return s;
  }

  /**
   * Decides an assertion on a run in Tempo; resolves with the verdict, pass or fail (the receiver's
   * verdict shape, with Tempo's problems and lag among its warnings). Rejects with a TempoRequestError
   * when Tempo cannot be reached or refuses the requests, with the language's ParseError /
   * CheckError for a bad assertion, and (as the client does) with the signal's reason when aborted.
   */
  async check(runId: string, assertion: Checkable, options: TempoCheckOptions = {}): Promise<CheckVerdict> {
    if (options.signal?.aborted) throw options.signal.reason;
    const source = this.source(runId);
    await source.start();
    const behind = source.lagMs + source.graceMs;
    const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    const timeoutMs = options.timeoutMs ?? defaultTempoTimeoutMs(source);
    const startedAt = Date.now();
    const result = await checkRun(source, assertion, {
      timeoutMs,
      settleMs,
      caps: horizonCaps(options, behind),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.maxMatches === undefined ? {} : { maxMatches: options.maxMatches }),
    });
    // As the client's check: a caller that gives up gets the signal's reason, not a verdict.
    if (options.signal?.aborted) throw options.signal.reason;
    // The verdict names the caps the caller set, not their horizon counterparts.
    const waitedFor: WaitedFor[] = result.decision.waitedFor.map((w) => ({ ...w, capMs: w.capMs > 0 ? w.capMs - behind : w.capMs }));
    const decision = { ...result.decision, waitedFor };
    const base: Verdict = { ...result.json, waitedFor };
    const verdict: Verdict = { ...base, warnings: [...base.warnings, ...tempoNotes(source, base, startedAt, settleMs, timeoutMs)] };
    const final = { ...verdict, message: renderVerdictData(verdict) };
    this.ledger.record(runId, { ...result, decision, json: final }, result.check, startedAt, settleMs);
    return final;
  }

  /** Like `check`, but rejects with the client's CheckFailedError (carrying the verdict) when the check fails. */
  async waitFor(runId: string, assertion: Checkable, options: TempoCheckOptions = {}): Promise<CheckVerdict> {
    const verdict = await this.check(runId, assertion, options);
    if (!verdict.pass) throw new CheckFailedError(verdict);
    return verdict;
  }

  /** The run's spans as Tempo holds them now (one poll first). */
  async spans(runId: string): Promise<Span[]> {
    const source = this.source(runId);
    await source.start();
    await source.refresh();
    return [...source.spans()];
  }

  /**
   * Ends a run: waits until Tempo's horizon shows it settled (quiet for the settle window after the
   * close started and after its latest span, nothing in flight within its caps; at most the timeout),
   * then decides every check that passed by settling again on the whole run. `overturned` lists the
   * passes the whole run contradicts.
   */
  async closeRun(runId: string, options: CloseRunOptions = {}): Promise<CloseRunResult> {
    const source = this.source(runId);
    await source.start();
    const t0 = Date.now();
    const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    const deadline = t0 + (options.timeoutMs ?? defaultTempoTimeoutMs(source));
    const caps: InFlightCaps = {
      parentMs: options.parentCapMs ?? DEFAULT_IN_FLIGHT_CAPS.parentMs,
      consumerMs: options.consumerCapMs ?? DEFAULT_IN_FLIGHT_CAPS.consumerMs,
      openMs: options.openCapMs ?? DEFAULT_IN_FLIGHT_CAPS.openMs,
    };
    let settled = false;
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason;
      const poll = await source.refresh();
      const now = Date.now();
      const horizon = poll.complete ? source.horizon(now) : undefined;
      if (horizon !== undefined) {
        const quiet = horizon - Math.max(t0, source.lastDiscovery() ?? t0) >= settleMs;
        const waiting = findInFlight(source.graph(), [], horizon).some((item) => capOf(caps, item.kind) > 0 && item.sinceMs + capOf(caps, item.kind) > horizon);
        if (quiet && !waiting) {
          settled = true;
          break;
        }
      }
      if (now >= deadline) break;
      await new Promise((r) => setTimeout(r, Math.min(source.options.pollIntervalMs, Math.max(1, deadline - now))));
    }
    const checks = this.ledger.pending(runId);
    const overturned = this.ledger.reverify(runId, source.spans());
    this.ledger.drop(runId);
    return { run: runId, settled, waitedMs: Date.now() - t0, waitedFor: [], checks, overturned };
  }

  /** Forgets a run here (its spans stay in Tempo) and stops its polling. */
  async deleteRun(runId: string): Promise<void> {
    this.sources.get(runId)?.close();
    this.sources.delete(runId);
    this.ledger.drop(runId);
  }

  /** Stops every run's polling. */
  close(): void {
    for (const s of this.sources.values()) s.close();
    this.sources.clear();
  }
}

/** One check on a run in Tempo: `new TempoChecker(options).check(runId, assertion, options)`, then closed. */
export async function checkWithTempo(runId: string, assertion: Checkable, options: TempoOptions & TempoCheckOptions): Promise<CheckVerdict> {
  const checker = new TempoChecker(options);
  try {
    return await checker.check(runId, assertion, options);
  } finally {
    checker.close();
  }
}
