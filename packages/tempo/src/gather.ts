/**
 * What one poll of a TempoSource gathers from Tempo, into the source's private SpanStore:
 *  1. TraceQL search for the run's traces, span- and resource-level (queries.ts), over the run's time
 *     range, one span per trace (`spss=1`), a large `limit`; an answer as long as the limit is searched
 *     again in halves of its time window (search.ts), and when it still fills the limit the run may be
 *     cut short: the poll is incomplete and the verdict says so;
 *  2. every known trace by id (`/api/v2/traces/{id}`, protobuf), so the untagged spans of the run's
 *     traces come along;
 *  3. links both ways: traces the run's spans link to, by id; traces whose spans link into the run's
 *     traces, by `{ link:traceID = "…" }` searches; until no new trace appears;
 *  4. every span goes into a private SpanStore, whose run-id inheritance decides what belongs to the run
 *     (the rules the receiver's store applies), so a verdict means the same on both sources.
 * A request answered in part or not at all leaves the poll incomplete (source.ts says what that means).
 */
import type { SpanStore } from '@tracecheck/model';
import type { TempoHttp, TempoRequestError } from './http.js';
import type { TempoNotes } from './notes.js';
import { linkQueries, runQueries } from './queries.js';
import type { SplitSearch } from './search.js';

/** Rounds of link following per poll (each round needs a new trace to go on). */
const MAX_LINK_ROUNDS = 100;

interface KnownTrace {
  /** A run search found it: trace-by-id must find it, or the poll is incomplete. */
  bySearch: boolean;
}

/** What one poll gathered: whether it was everything Tempo should show, and what went wrong. */
export interface Gathered {
  readonly complete: boolean;
  readonly errors: readonly TempoRequestError[];
  /** Traces fetched by id in this poll. */
  readonly traces: number;
}

/** Gathers a run's traces from Tempo into a store, poll by poll, for TempoSource. */
export class Gatherer {
  /** Every trace known to the run's gathering so far, by id. */
  private readonly known = new Map<string, KnownTrace>();

  constructor(
    private readonly runId: string,
    private readonly http: TempoHttp,
    private readonly store: SpanStore,
    private readonly searches: SplitSearch,
    private readonly notes: TempoNotes,
    /** Trace-by-id requests at once. */
    private readonly concurrency: number,
  ) {}

  /** One poll's gathering, searching from `start` to `end` (seconds). */
  async gather(start: number, end: number): Promise<Gathered> {
    const errors: TempoRequestError[] = [];
    let complete = true;
    const searchFor = async (query: string): Promise<string[]> => {
      try {
        const r = await this.searches.run(query, start, end);
        if (r.truncated) {
          complete = false;
          this.notes.add('truncated', query, `the search ${query} returned as many traces as its limit (${this.searches.limit}) even in narrower time windows, so the run's traces may have been cut short; raise Tempo's max_result_limit and searchLimit`);
        }
        return r.ids;
      } catch (e) {
        complete = false;
        errors.push(this.notes.problem(e));
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
      await pool(toFetch, this.concurrency, async (id) => {
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
        this.notes.add('links', '', `link following stopped after ${MAX_LINK_ROUNDS} rounds in one poll; it goes on in the next`);
      }
    }

    return { complete, errors, traces: fetched.size };
  }

  /** Fetches one trace into the store; false when what Tempo answered leaves the poll incomplete. */
  private async fetchTrace(id: string, errors: TempoRequestError[]): Promise<boolean> {
    let answer;
    try {
      answer = await this.http.trace(id);
    } catch (e) {
      errors.push(this.notes.problem(e));
      return false;
    }
    if (!answer.found) {
      // A link target Tempo does not hold is absent, as it would be from the receiver's store; a trace
      // the run's search found is there, just not readable by id yet.
      if (!this.known.get(id)?.bySearch) return true;
      const how = answer.status === 404 ? '404' : '200 with an empty trace';
      this.notes.add('missing', id, `trace ${id} was found by search, but Tempo answered ${how} for it by id; it was asked for again as not yet visible, never counted as empty`);
      return false;
    }
    const { body } = answer;
    if (body.spans.length > 0) this.store.add(body.spans);
    if (body.rejected > 0) this.notes.add('rejected', id, `${body.rejected} span(s) of trace ${id} had unusable ids and were left out`);
    if (body.partial) {
      this.notes.add('partial', id, `Tempo returned trace ${id} PARTIAL${body.message === '' ? '' : ` ("${body.message}")`}: only part of it could be read, so checks that need the whole run (exactly, at most, no) cannot settle on it; raise max_bytes_per_trace in Tempo's overrides`);
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
