/**
 * The end of a run, where false passes are caught. Every check `POST /api/check` passed by settling
 * is kept in a ledger; when the run ends (`POST /api/runs/{id}/close`, `DELETE /api/runs/{id}`, or
 * `tracecheck run`'s command exiting) each is decided again on the whole run, and a verdict that
 * flips is reported as overturned, with the late span and the setting that would have waited for it.
 */
import { type CheckResult, decide, DEFAULT_SETTLE_MS, type InFlightCaps, type Overturn, PassLedger, runSlicedAsync, storeRunSource, type WaitRecord } from '@tracecheck/lang';
import type { OpenSpans, SpanSource } from '@tracecheck/model';
import type { SkimSink } from '@tracecheck/store';

/** Spans freed per part when a run is deleted; between parts the event loop runs other work. */
export const DELETE_PART_SPANS = 20_000;

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How long closing a run waits for it to settle before re-verifying. */
export interface CloseOptions {
  /** Quiet time the run needs (default 300 ms, the checks' default). */
  settleMs?: number;
  /** Most time to wait for the run to settle (default 10 s); re-verification happens either way. */
  timeoutMs?: number;
  caps?: Partial<InFlightCaps>;
}

/** What `POST /api/runs/{id}/close` answers. */
export interface CloseResult {
  run: string;
  /** The run was settled (quiet, nothing in flight within its caps) when re-verified. */
  settled: boolean;
  /** How long closing waited for the run to settle. */
  waitedMs: number;
  waitedFor: WaitRecord[];
  /** Settled passes decided again. */
  checks: number;
  /** Those whose verdict flipped. */
  overturned: Overturn[];
}

/**
 * A run settles when the run is quiet and nothing is in flight: deciding a check that always holds
 * says when. It evaluates on the graph, so deciding reads a large run in parts.
 */
const HOLDS = { holds: true, hopeless: false } as const;
const ALWAYS_HOLDS = { passesEarly: false, evaluate: () => HOLDS, evaluateGraph: () => HOLDS } as const;

export class RunLifecycle {
  private readonly ledger: PassLedger;

  constructor(
    private readonly store: SpanSource & Pick<SkimSink, 'deleteRunSome'>,
    private readonly openSpans: OpenSpans,
    private readonly onOverturn: ((o: Overturn) => void) | undefined,
    maxLedgerEntries?: number,
  ) {
    this.ledger = new PassLedger(maxLedgerEntries);
  }

  /** Keeps a decided check if it passed by settling; `checkId` ties a later overturn to its record. */
  recordCheck(runId: string, result: CheckResult, settleMs: number, checkId: number): void {
    this.ledger.record(runId, result, result.check, result.startedAt, settleMs, checkId);
  }

  /** Waits for the run to settle (bounded), then re-verifies its settled passes. */
  async close(runId: string, options: CloseOptions = {}): Promise<CloseResult> {
    const checks = this.ledger.pending(runId);
    let settled = true;
    let waitedMs = 0;
    let waitedFor: WaitRecord[] = [];
    // Spans may still be on their way (a test closes its run right after its last request): give
    // an empty run one settle window for its first span before calling it empty.
    if (this.store.run(runId) === undefined) await this.firstSpan(runId, options.settleMs ?? DEFAULT_SETTLE_MS);
    if (this.store.run(runId) !== undefined) {
      const d = await decide(storeRunSource(this.store, runId, this.openSpans), ALWAYS_HOLDS, { settleMs: options.settleMs, timeoutMs: options.timeoutMs ?? 10_000, caps: options.caps });
      settled = d.pass;
      waitedMs = d.waitedMs;
      waitedFor = d.waitedFor;
    }
    const overturned = await this.reverify(runId);
    return { run: runId, settled, waitedMs, waitedFor, checks, overturned };
  }

  private firstSpan(runId: string, waitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      const off = this.store.subscribe(runId, done);
    });
  }

  /**
   * Re-verifies the run on what it holds now, then forgets it: its spans (in parts of
   * DELETE_PART_SPANS, pausing between them), open spans and passes.
   */
  async delete(runId: string): Promise<Overturn[]> {
    const overturned = await this.reverify(runId);
    this.ledger.drop(runId);
    this.openSpans.dropRun(runId);
    while (this.store.deleteRunSome(runId, DELETE_PART_SPANS) === 'more') await immediate();
    return overturned;
  }

  /** Closes every run that has settled passes (the end of `tracecheck run`). */
  async closeAll(options: CloseOptions = {}): Promise<CloseResult[]> {
    return Promise.all(this.ledger.runs().map((id) => this.close(id, options)));
  }

  /** Decides the run's settled passes again on the whole run, read in parts and evaluated in slices. */
  private async reverify(runId: string): Promise<Overturn[]> {
    if (this.ledger.pending(runId) === 0) return [];
    const { ledger } = this;
    const source = storeRunSource(this.store, runId);
    const overturned = await runSlicedAsync(
      (function* () {
        return yield* ledger.reverifySteps(runId, yield* source.graphSteps!());
      })(),
    );
    for (const o of overturned) {
      try {
        this.onOverturn?.(o);
      } catch {
        // The listener's failure is its own; the overturn is in the answer either way.
      }
    }
    return overturned;
  }
}
