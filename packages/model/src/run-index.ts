import type { Span } from './span.js';

/** What the query API reports of a run. Times are receive times, ms since the epoch. */
export interface RunSummary {
  id: string;
  /** Spans in the run, tagged and inherited. */
  spans: number;
  traces: number;
  firstSeen: number;
  lastSeen: number;
}

/** Pushed to subscribers after each batch that brings spans into their run. */
export interface RunUpdate {
  runId: string;
  /** The spans that just joined the run: new arrivals, or stored spans that now inherit it. */
  spans: readonly Span[];
  lastSeen: number;
}

interface RunEntry<K> {
  /** The run's traces, by the store's trace key. */
  readonly traces: Set<K>;
  readonly firstSeen: number;
  lastSeen: number;
}

/** Runs by id: which traces each holds (by the store's trace key K), when it was seen, and who listens to it. */
export class RunIndex<K = string> {
  private readonly runs = new Map<string, RunEntry<K>>();
  private readonly listeners = new Map<string, Set<(u: RunUpdate) => void>>();

  ids(): string[] {
    return [...this.runs.keys()];
  }

  get(runId: string): Readonly<RunEntry<K>> | undefined {
    return this.runs.get(runId);
  }

  addTrace(runId: string, traceId: K, now: number): void {
    let entry = this.runs.get(runId);
    if (!entry) this.runs.set(runId, (entry = { traces: new Set(), firstSeen: now, lastSeen: now }));
    entry.traces.add(traceId);
  }

  removeTrace(runId: string, traceId: K): void {
    const entry = this.runs.get(runId);
    if (!entry) return;
    entry.traces.delete(traceId);
    if (entry.traces.size === 0) this.runs.delete(runId);
  }

  drop(runId: string): void {
    this.runs.delete(runId);
  }

  /** True when someone listens to any run (while nobody does, a store need not list what joined runs). */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  /** True when someone listens to the run (a store builds the update's spans only then). */
  hasListeners(runId: string): boolean {
    return this.listeners.has(runId);
  }

  /** Records new spans in a run and tells its listeners; a throwing listener cannot break ingest. */
  touch(runId: string, now: number, spans: readonly Span[]): void {
    const entry = this.runs.get(runId);
    if (entry) entry.lastSeen = now;
    const listeners = this.listeners.get(runId);
    if (listeners === undefined) return;
    const update: RunUpdate = { runId, spans, lastSeen: now };
    for (const listener of [...listeners]) {
      try {
        listener(update);
      } catch {
        // A listener's bug is its own; the store and the other listeners carry on.
      }
    }
  }

  subscribe(runId: string, listener: (u: RunUpdate) => void): () => void {
    let set = this.listeners.get(runId);
    if (!set) this.listeners.set(runId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(runId) === set) this.listeners.delete(runId);
    };
  }
}
