/**
 * A TraceQL search that fits Tempo's limit: an answer as long as the limit is searched again in
 * halves of its time window, within a budget of searches, and is `truncated` when it still fills the
 * limit; a limit Tempo refuses drops to Tempo's max_result_limit for this and every later search.
 */
import { type TempoHttp, TempoRequestError } from './http.js';
import type { TempoNotes } from './notes.js';

/** Searches one query may cost per poll when its answers fill the limit and it is split by time. */
const MAX_SEARCHES_PER_QUERY = 32;

/** Searches for a TempoSource, keeping the limit Tempo accepts. */
export class SplitSearch {
  private current: number;

  constructor(
    private readonly http: TempoHttp,
    private readonly notes: TempoNotes,
    /** The search limit to begin with (the options' `searchLimit`). */
    limit: number,
  ) {
    this.current = limit;
  }

  /** The search limit in force. */
  get limit(): number {
    return this.current;
  }

  /** The trace ids `query` finds from `start` to `end` (seconds); `truncated` when they may be cut short. */
  run(query: string, start: number, end: number): Promise<{ ids: string[]; truncated: boolean }> {
    return this.search(query, start, end, { left: MAX_SEARCHES_PER_QUERY });
  }

  /** One search, split by time while its answer fills the limit; `truncated` when it still does. */
  private async search(query: string, start: number, end: number, budget: { left: number }): Promise<{ ids: string[]; truncated: boolean }> {
    budget.left--;
    let hits;
    for (;;) {
      const limit = this.current;
      try {
        hits = (await this.http.search(query, start, end, limit)).traces;
        break;
      } catch (e) {
        // Tempo refuses a limit above its max_result_limit (modules/frontend/search_handlers.go `adjustLimit`): use its maximum.
        if (e instanceof TempoRequestError && e.kind === 'limit' && e.maxLimit !== undefined && e.maxLimit > 0 && e.maxLimit < limit) {
          if (e.maxLimit < this.current) {
            this.notes.add('limit', '', `Tempo's max_result_limit is ${e.maxLimit}; the search limit ${this.current} was refused (400), so searches use ${e.maxLimit}`);
            this.current = e.maxLimit;
          }
          continue;
        }
        throw e;
      }
    }
    const ids = hits.map((h) => h.traceId);
    if (ids.length < this.current) return { ids, truncated: false };
    if (end - start < 2 || budget.left < 2) return { ids, truncated: true };
    const mid = Math.floor((start + end) / 2);
    const a = await this.search(query, start, mid, budget);
    const b = await this.search(query, mid, end, budget);
    return { ids: [...ids, ...a.ids, ...b.ids], truncated: a.truncated || b.truncated };
  }
}
