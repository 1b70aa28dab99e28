/**
 * A run stored in Grafana Tempo, as a `RunSource`: the unchanged evaluator and deciding
 * (@tracecheck/lang's `checkRun`) decide on it as they do on the embedded receiver.
 *
 * Each poll gathers the run's traces, the traces linked to and from them, into a private SpanStore
 * whose run-id inheritance decides what belongs to the run (gather.ts); polls repeat while someone
 * is subscribed, backing off while Tempo answers with errors.
 *
 * Deciding on a lagging source. A search finds a span only `visibilityLagMs` after it was written
 * (options.ts). The source's **horizon** is the latest time up to which every written span is certain to
 * be in what it has gathered: `lag + grace` behind the clock while polls complete on time, and frozen at
 * (last complete poll's start − lag) when they do not. A poll is complete only when every request of it
 * was answered in full: a 429, a 5xx (Tempo 3.x's "cannot guarantee complete results" included), a 422,
 * a PARTIAL trace, a trace the search found and trace-by-id did not (404 or an empty 200), or a search
 * that filled its limit all leave it incomplete: never "0 spans", always "not known yet".
 *
 * Deciding reads the quiet window through `lastArrival()`: the source answers so that the run counts as
 * quiet only for the part of the window its horizon covers, counted from the later of the latest check's
 * start and the discovery of the run's latest span, and not at all while its horizon is stale. A check
 * passes by settling only when Tempo has been seen, past its lag, to hold nothing new for the settle
 * window: a missing trace cannot make a negative check pass. Checks that pass the moment they hold
 * (`some`, `at least`) pass as soon as a poll brings their spans. The in-flight caps are counted on the
 * horizon too: tempo-check.ts extends each by `lag + grace`.
 */
import { RunGraphBuilder, type RunGraph, type RunSource } from '@tracecheck/lang';
import { type Span, SpanStore } from '@tracecheck/model';
import { Gatherer } from './gather.js';
import { TempoHttp, TempoRequestError } from './http.js';
import { TempoNotes } from './notes.js';
import { DEFAULT_LOOKBACK_MS, DEFAULT_VISIBILITY_LAG_MS, resolveTempoOptions, type ResolvedTempoOptions, type TempoOptions, type TempoVersionLine, versionLine } from './options.js';
import { runQueries } from './queries.js';
import { SplitSearch } from './search.js';

/** One poll: whether everything Tempo should show was gathered, and what went wrong. */
export interface PollResult {
  readonly complete: boolean;
  readonly startedAt: number;
  readonly errors: readonly TempoRequestError[];
  /** Traces fetched by id in this poll. */
  readonly traces: number;
}

export class TempoSource implements RunSource {
  readonly runId: string;
  readonly options: ResolvedTempoOptions;
  private readonly http: TempoHttp;
  private readonly store = new SpanStore();
  private readonly notes = new TempoNotes();
  private readonly gatherer: Gatherer;
  private readonly listeners = new Set<() => void>();
  private readonly createdAt = Date.now();
  private builder: RunGraphBuilder | undefined;
  private namesFromTempo = new Set<string>();
  private names: Set<string> | undefined;
  private lag: number;
  private line: TempoVersionLine | undefined;
  private started: Promise<void> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private wakeLoop: (() => void) | undefined;
  private failures = 0;
  private retryAfterMs = 0;
  private subscribedAt: number | undefined;
  private lastCompletePollStart: number | undefined;
  private closed = false;
  private polls = 0;

  constructor(runId: string, options: TempoOptions) {
    runQueries(runId); // a run id no TraceQL string can hold is refused here, not at the first poll
    this.runId = runId;
    this.options = resolveTempoOptions(options);
    this.http = new TempoHttp(this.options);
    this.gatherer = new Gatherer(runId, this.http, this.store, new SplitSearch(this.http, this.notes, this.options.searchLimit), this.notes, this.options.concurrency);
    this.line = this.options.version;
    this.lag = this.options.visibilityLagMs ?? DEFAULT_VISIBILITY_LAG_MS[this.line ?? '3'];
    this.store.subscribe(runId, (update) => {
      this.builder?.add(update.spans);
      this.names = undefined;
      this.notify();
    });
  }

  /** The visibility lag in force, ms. */
  get lagMs(): number {
    return this.lag;
  }

  /** How far the horizon trails the clock beyond the lag while polls are on time, ms. */
  get graceMs(): number {
    return this.options.horizonGraceMs;
  }

  /** The release line whose defaults apply (known after `start`). */
  get versionLine(): TempoVersionLine | undefined {
    return this.line;
  }

  get url(): string {
    return this.options.url;
  }

  /** Polls done so far. */
  get pollCount(): number {
    return this.polls;
  }

  /**
   * Learns Tempo's version (for the default lag) and span names (for typo hints), then polls once.
   * Rejects with the TempoRequestError when Tempo cannot be reached or refuses the requests (a wrong
   * URL, a missing tenant header): waiting would not help. Idempotent.
   */
  start(): Promise<void> {
    this.started ??= (async () => {
      if (this.options.visibilityLagMs === undefined && this.line === undefined) {
        const version = await this.http.version().catch((e: unknown) => {
          if (e instanceof TempoRequestError && (e.kind === 'unreachable' || e.kind === 'refused')) throw e;
          return undefined;
        });
        this.line = versionLine(version) ?? '3';
        this.lag = DEFAULT_VISIBILITY_LAG_MS[this.line];
      }
      const [first] = await Promise.all([
        this.refresh(),
        this.http
          .spanNames(...this.range(Date.now()))
          .then((names) => {
            this.namesFromTempo = new Set(names);
            this.names = undefined;
          })
          .catch(() => undefined),
      ]);
      const fatal = first.errors.find((e) => e.kind === 'unreachable' || e.kind === 'refused' || e.kind === 'bad-request');
      if (fatal) throw fatal;
    })();
    const p = this.started;
    p.catch(() => {
      if (this.started === p) this.started = undefined; // a later call may try again
    });
    return p;
  }

  spans(): readonly Span[] {
    return this.store.runSpans(this.runId);
  }

  graph(): RunGraph {
    if (this.builder === undefined) {
      this.builder = new RunGraphBuilder();
      this.builder.add(this.store.runSpans(this.runId));
    }
    return this.builder.graph();
  }

  spanNamesSeen(): ReadonlySet<string> {
    this.names ??= new Set([...this.namesFromTempo, ...this.store.spanNamesSeen()]);
    return this.names;
  }

  subscribe(listener: () => void): () => void {
    this.subscribedAt = Date.now();
    this.listeners.add(listener);
    this.ensureLoop();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.wakeLoop?.();
    };
  }

  /**
   * See the file comment: while the horizon is current, the quiet window counts from (latest check
   * start or latest discovery) + lag + grace; while it is stale, the run is never quiet.
   */
  lastArrival(): number | undefined {
    const t = Date.now();
    if (!this.isFresh(t)) return t + this.graceMs;
    const found = this.store.lastArrival(this.runId) ?? -Infinity;
    return Math.max(this.subscribedAt ?? this.createdAt, found) + this.lag + this.graceMs;
  }

  /** True when a complete poll started within the grace: the horizon is then `t − lag − grace`. */
  isFresh(t: number = Date.now()): boolean {
    return this.lastCompletePollStart !== undefined && t - this.lastCompletePollStart <= this.graceMs;
  }

  /**
   * The latest time (ms since the epoch) up to which every span written to Tempo is certain to be in
   * what the source gathered; undefined before the first complete poll.
   */
  horizon(t: number = Date.now()): number | undefined {
    if (this.lastCompletePollStart === undefined) return undefined;
    return Math.min(t - this.lag - this.graceMs, this.lastCompletePollStart - this.lag);
  }

  /** When the run's latest span was found (ms since the epoch), undefined before any. */
  lastDiscovery(): number | undefined {
    return this.store.lastArrival(this.runId);
  }

  /** The notes of problems seen since `t` (ms since the epoch), as sentences for a verdict. */
  notesSince(t: number): string[] {
    return this.notes.since(t);
  }

  /** Polls now (after any poll under way) and tells subscribers. */
  refresh(): Promise<PollResult> {
    const next = this.chain.then(() => this.poll());
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Stops polling for good. */
  close(): void {
    this.closed = true;
    this.wakeLoop?.();
  }

  private ensureLoop(): void {
    if (this.loop !== undefined || this.closed) return;
    this.loop = (async () => {
      while (this.listeners.size > 0 && !this.closed) {
        const r = await this.refresh();
        const delay = r.complete ? this.options.pollIntervalMs : this.backoff();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          timer.unref?.();
          this.wakeLoop = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeLoop = undefined;
      }
      this.loop = undefined;
    })();
  }

  /** Doubles from the poll interval up to `maxBackoffMs`; a Retry-After longer than that is honoured. */
  private backoff(): number {
    const doubled = this.options.pollIntervalMs * 2 ** Math.min(this.failures, 20);
    return Math.max(Math.min(doubled, this.options.maxBackoffMs), Math.min(this.retryAfterMs, 60_000));
  }

  private notify(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // a listener's failure is its own
      }
    }
  }

  /** The searches' time range in seconds: from the run's start (or the lookback) to a little past now (clock skew). */
  private range(now: number): [number, number] {
    const since = this.options.since ?? this.createdAt - DEFAULT_LOOKBACK_MS;
    return [Math.floor(since / 1000) - 1, Math.ceil(now / 1000) + 300];
  }

  private async poll(): Promise<PollResult> {
    const startedAt = Date.now();
    const { complete, errors, traces } = await this.gatherer.gather(...this.range(startedAt));
    // The longest Retry-After of the poll's failed requests sets the least backoff (see `backoff`).
    for (const e of errors) if (e.retryAfterMs !== undefined) this.retryAfterMs = Math.max(this.retryAfterMs, e.retryAfterMs);
    this.polls++;
    if (complete) {
      this.lastCompletePollStart = startedAt;
      this.failures = 0;
      this.retryAfterMs = 0;
    } else this.failures++;
    this.notify();
    return { complete, startedAt, errors, traces };
  }
}
