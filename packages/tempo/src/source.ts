/**
 * A run stored in Grafana Tempo, as a `RunSource`: the unchanged evaluator and deciding
 * (@tracecheck/lang's `checkRun`) decide on it as they do on the embedded receiver.
 *
 * Gathering (each poll):
 *  1. TraceQL search for the run's traces, span- and resource-level (queries.ts), over the run's time
 *     range, one span per trace (`spss=1`), a large `limit`; an answer as long as the limit is searched
 *     again in halves of its time window, and when it still fills the limit the run may be cut short:
 *     the poll is incomplete and the verdict says so;
 *  2. every known trace by id (`/api/v2/traces/{id}`, protobuf), so the untagged spans of the run's
 *     traces come along;
 *  3. links both ways: traces the run's spans link to, by id; traces whose spans link into the run's
 *     traces, by `{ link:traceID = "…" }` searches; until no new trace appears;
 *  4. every span goes into a private SpanStore, whose run-id inheritance decides what belongs to the run
 *     (the rules the receiver's store applies), so a verdict means the same on both sources.
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
import { TempoHttp, TempoRequestError } from './http.js';
import { DEFAULT_LOOKBACK_MS, DEFAULT_VISIBILITY_LAG_MS, resolveTempoOptions, type ResolvedTempoOptions, type TempoOptions, type TempoVersionLine, versionLine } from './options.js';
import { linkQueries, runQueries } from './queries.js';

/** Something a poll ran into, kept for the verdicts of the checks that were deciding then. */
export interface TempoNote {
  readonly kind: string;
  readonly key: string;
  readonly message: string;
  count: number;
  readonly firstAt: number;
  lastAt: number;
}

/** One poll: whether everything Tempo should show was gathered, and what went wrong. */
export interface PollResult {
  readonly complete: boolean;
  readonly startedAt: number;
  readonly errors: readonly TempoRequestError[];
  /** Traces fetched by id in this poll. */
  readonly traces: number;
}

/** Searches one query may cost per poll when its answers fill the limit and it is split by time. */
const MAX_SEARCHES_PER_QUERY = 32;
/** Rounds of link following per poll (each round needs a new trace to go on). */
const MAX_LINK_ROUNDS = 100;

interface KnownTrace {
  /** A run search found it: trace-by-id must find it, or the poll is incomplete. */
  bySearch: boolean;
}

export class TempoSource implements RunSource {
  readonly runId: string;
  readonly options: ResolvedTempoOptions;
  private readonly http: TempoHttp;
  private readonly store = new SpanStore();
  private readonly known = new Map<string, KnownTrace>();
  private readonly listeners = new Set<() => void>();
  private readonly notes = new Map<string, TempoNote>();
  private readonly createdAt = Date.now();
  private builder: RunGraphBuilder | undefined;
  private namesFromTempo = new Set<string>();
  private names: Set<string> | undefined;
  private limit: number;
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
    this.limit = this.options.searchLimit;
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
    return [...this.notes.values()].filter((n) => n.lastAt >= t).map((n) => (n.count > 1 ? `${n.message} (${n.count} times)` : n.message));
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

  private note(kind: string, key: string, message: string): void {
    const id = `${kind}:${key}`;
    const now = Date.now();
    const n = this.notes.get(id);
    if (n) {
      n.count++;
      n.lastAt = now;
    } else this.notes.set(id, { kind, key, message, count: 1, firstAt: now, lastAt: now });
  }

  private problem(e: unknown, errors: TempoRequestError[]): void {
    const err = e instanceof TempoRequestError ? e : new TempoRequestError('bad-body', '', e instanceof Error ? e.message : String(e));
    errors.push(err);
    if (err.retryAfterMs !== undefined) this.retryAfterMs = Math.max(this.retryAfterMs, err.retryAfterMs);
    const retried = 'the source asked again with backoff and counted it as "not known yet", never as no spans';
    switch (err.kind) {
      case 'rate-limited':
        return this.note('429', '', `Tempo answered 429 (too many requests) to ${err.path.split('?')[0]}; ${retried}${err.retryAfterMs === undefined ? '' : ' (Retry-After honoured)'}`);
      case 'lagging':
        return this.note('lag', '', `Tempo's live store was behind its ingest queue ("cannot guarantee complete results"); ${retried}`);
      case 'too-large':
        return this.note('422', err.path, `Tempo refused ${err.path} as larger than its max_bytes_per_trace (422): that trace could not be read whole, so checks that need the whole run cannot settle (raise max_bytes_per_trace in Tempo's overrides)`);
      default:
        return this.note(err.kind, err.status === undefined ? '' : String(err.status), `${err.message}; ${retried}`);
    }
  }

  /** The searches' time range in seconds: from the run's start (or the lookback) to a little past now (clock skew). */
  private range(now: number): [number, number] {
    const since = this.options.since ?? this.createdAt - DEFAULT_LOOKBACK_MS;
    return [Math.floor(since / 1000) - 1, Math.ceil(now / 1000) + 300];
  }

  /** One search, split by time while its answer fills the limit; `truncated` when it still does. */
  private async search(query: string, start: number, end: number, budget: { left: number }): Promise<{ ids: string[]; truncated: boolean }> {
    budget.left--;
    let hits;
    for (;;) {
      const limit = this.limit;
      try {
        hits = (await this.http.search(query, start, end, limit)).traces;
        break;
      } catch (e) {
        // Tempo refuses a limit above its max_result_limit (modules/frontend/search_handlers.go `adjustLimit`): use its maximum.
        if (e instanceof TempoRequestError && e.kind === 'limit' && e.maxLimit !== undefined && e.maxLimit > 0 && e.maxLimit < limit) {
          if (e.maxLimit < this.limit) {
            this.note('limit', '', `Tempo's max_result_limit is ${e.maxLimit}; the search limit ${this.limit} was refused (400), so searches use ${e.maxLimit}`);
            this.limit = e.maxLimit;
          }
          continue;
        }
        throw e;
      }
    }
    const ids = hits.map((h) => h.traceId);
    if (ids.length < this.limit) return { ids, truncated: false };
    if (end - start < 2 || budget.left < 2) return { ids, truncated: true };
    const mid = Math.floor((start + end) / 2);
    const a = await this.search(query, start, mid, budget);
    const b = await this.search(query, mid, end, budget);
    return { ids: [...ids, ...a.ids, ...b.ids], truncated: a.truncated || b.truncated };
  }

  private async poll(): Promise<PollResult> {
    const startedAt = Date.now();
    const errors: TempoRequestError[] = [];
    let complete = true;
    const [start, end] = this.range(startedAt);
    const searchFor = async (query: string): Promise<string[]> => {
      try {
        const r = await this.search(query, start, end, { left: MAX_SEARCHES_PER_QUERY });
        if (r.truncated) {
          complete = false;
          this.note('truncated', query, `the search ${query} returned as many traces as its limit (${this.limit}) even in narrower time windows, so the run's traces may have been cut short; raise Tempo's max_result_limit and searchLimit`);
        }
        return r.ids;
      } catch (e) {
        complete = false;
        this.problem(e, errors);
        return [];
      }
    };

    for (const ids of await Promise.all(runQueries(this.runId).map(searchFor))) {
      for (const id of ids) {
        const k = this.known.get(id);
        if (k) k.bySearch = true;
        else this.known.set(id, { bySearch: true });
      }
    }

    const fetched = new Set<string>();
    const linkSearched = new Set<string>();
    for (let round = 0; round < MAX_LINK_ROUNDS; round++) {
      const toFetch = [...this.known.keys()].filter((id) => !fetched.has(id));
      for (const id of toFetch) fetched.add(id);
      await pool(toFetch, this.options.concurrency, async (id) => {
        if (!(await this.fetchTrace(id, errors))) complete = false;
      });
      // Traces the run's spans link to (producers), and traces linking into the run's traces (consumers).
      for (const span of this.store.runSpans(this.runId)) {
        for (const link of span.links) if (!this.known.has(link.traceId)) this.known.set(link.traceId, { bySearch: false });
      }
      const toSearch = this.store.runTraceIds(this.runId).filter((id) => !linkSearched.has(id));
      for (const id of toSearch) linkSearched.add(id);
      for (const ids of await Promise.all(linkQueries(toSearch).map(searchFor))) {
        for (const id of ids) if (!this.known.has(id)) this.known.set(id, { bySearch: false });
      }
      const more = [...this.known.keys()].some((id) => !fetched.has(id)) || this.store.runTraceIds(this.runId).some((id) => !linkSearched.has(id));
      if (!more) break;
      if (round === MAX_LINK_ROUNDS - 1) {
        complete = false;
        this.note('links', '', `link following stopped after ${MAX_LINK_ROUNDS} rounds in one poll; it goes on in the next`);
      }
    }

    this.polls++;
    if (complete) {
      this.lastCompletePollStart = startedAt;
      this.failures = 0;
      this.retryAfterMs = 0;
    } else this.failures++;
    this.notify();
    return { complete, startedAt, errors, traces: fetched.size };
  }

  /** Fetches one trace into the store; false when what Tempo answered leaves the poll incomplete. */
  private async fetchTrace(id: string, errors: TempoRequestError[]): Promise<boolean> {
    let answer;
    try {
      answer = await this.http.trace(id);
    } catch (e) {
      this.problem(e, errors);
      return false;
    }
    if (!answer.found) {
      // A link target Tempo does not hold is absent, as it would be from the receiver's store; a trace
      // the run's search found is there, just not readable by id yet.
      if (!this.known.get(id)?.bySearch) return true;
      const how = answer.status === 404 ? '404' : '200 with an empty trace';
      this.note('missing', id, `trace ${id} was found by search, but Tempo answered ${how} for it by id; it was asked for again as not yet visible, never counted as empty`);
      return false;
    }
    const { body } = answer;
    if (body.spans.length > 0) this.store.add(body.spans);
    if (body.rejected > 0) this.note('rejected', id, `${body.rejected} span(s) of trace ${id} had unusable ids and were left out`);
    if (body.partial) {
      this.note('partial', id, `Tempo returned trace ${id} PARTIAL${body.message === '' ? '' : ` ("${body.message}")`}: only part of it could be read, so checks that need the whole run (exactly, at most, no) cannot settle on it; raise max_bytes_per_trace in Tempo's overrides`);
      return false;
    }
    return true;
  }
}

/** Runs `work` on every item, at most `n` at once. */
async function pool<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}
