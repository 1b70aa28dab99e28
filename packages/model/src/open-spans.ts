/**
 * Spans that @tracecheck/sdk reported started and not yet ended, by run. OTLP carries only ended
 * spans, so a job span waiting out a retry's backoff is invisible until it ends; the SDK sends this
 * small signal (`POST /api/open-spans`) so that deciding can wait for it. Plain OpenTelemetry
 * services never send it, and nothing else depends on it.
 *
 * A report ends when the span itself arrives (the store has it), when the SDK reports it ended, or
 * when its run is deleted. The registry is bounded: past `maxSpans` the oldest reports are dropped
 * (deciding then waits less, never wrongly more).
 */

/** One open span as reported. */
export interface OpenSpanReport {
  readonly runId: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly service?: string | undefined;
  /** The span's start, ms since the epoch. */
  readonly startMs: number;
}

export const DEFAULT_MAX_OPEN_SPANS = 10_000;

export class OpenSpans {
  private readonly byKey = new Map<string, OpenSpanReport>();
  private readonly byRun = new Map<string, Set<string>>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private droppedCount = 0;

  constructor(readonly maxSpans: number = DEFAULT_MAX_OPEN_SPANS) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Reports dropped because the registry was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Records open spans and ends others (by `traceId/spanId`); tells each touched run's listeners. */
  update(open: readonly OpenSpanReport[], ended: readonly { traceId: string; spanId: string }[]): void {
    const touched = new Set<string>();
    for (const e of ended) {
      const key = `${e.traceId}/${e.spanId}`;
      const rep = this.byKey.get(key);
      if (rep === undefined) continue;
      this.remove(key, rep);
      touched.add(rep.runId);
    }
    for (const rep of open) {
      const key = `${rep.traceId}/${rep.spanId}`;
      if (this.byKey.has(key)) continue;
      if (this.byKey.size >= this.maxSpans) {
        // Maps iterate in insertion order: the first key is the oldest report.
        const oldest = this.byKey.keys().next().value as string;
        this.remove(oldest, this.byKey.get(oldest)!);
        this.droppedCount++;
      }
      this.byKey.set(key, rep);
      let keys = this.byRun.get(rep.runId);
      if (keys === undefined) this.byRun.set(rep.runId, (keys = new Set()));
      keys.add(key);
      touched.add(rep.runId);
    }
    for (const run of touched) for (const l of this.listeners.get(run) ?? []) safeCall(l);
  }

  /**
   * The run's open spans, leaving out those `arrived(traceId, spanId)` says have arrived (an ended
   * span is exported, so its arrival ends the report; those are forgotten here).
   */
  inRun(runId: string, arrived: (traceId: string, spanId: string) => boolean): OpenSpanReport[] {
    const out: OpenSpanReport[] = [];
    for (const key of [...(this.byRun.get(runId) ?? [])]) {
      const rep = this.byKey.get(key)!;
      if (arrived(rep.traceId, rep.spanId)) this.remove(key, rep);
      else out.push(rep);
    }
    return out;
  }

  /** Forgets a run's reports (the run was deleted). */
  dropRun(runId: string): void {
    for (const key of this.byRun.get(runId) ?? []) this.byKey.delete(key);
    this.byRun.delete(runId);
  }

  /** Calls `listener` when the run's open spans change; returns the unsubscribe function. */
  subscribe(runId: string, listener: () => void): () => void {
    let set = this.listeners.get(runId);
    if (set === undefined) this.listeners.set(runId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(runId) === set) this.listeners.delete(runId);
    };
  }

  private remove(key: string, rep: OpenSpanReport): void {
    this.byKey.delete(key);
    const keys = this.byRun.get(rep.runId);
    keys?.delete(key);
    if (keys?.size === 0) this.byRun.delete(rep.runId);
  }
}

function safeCall(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener's failure is its own; the report is recorded either way.
  }
}
