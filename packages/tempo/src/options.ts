/**
 * How a TempoSource talks to Tempo and how long it trusts what Tempo does not show yet.
 *
 * Tempo finds a trace by id almost at once (the live store answers trace-by-id from its live traces),
 * but finds it by search only later: a search covers blocks, not live traces, and the query frontend
 * clamps the end of every search to `now - query_end_cutoff`. That delay, the **visibility lag**, is
 * the time after which a span written to Tempo is certain to be found by a search. Deciding a negative
 * check waits for it (see source.ts); it must be at least Tempo's real delay, so the defaults below are
 * the version's defaults plus a margin.
 */

/** Tempo release lines with their own defaults. */
export type TempoVersionLine = '2' | '3';

/**
 * Default visibility lag per release line, ms.
 *
 * - 3.x: the query frontend clamps a search's end to `now - query_end_cutoff`, 30 s by default
 *   (modules/frontend/config.go, `cfg.QueryEndCutoff = 30 * time.Second`; applied by
 *   modules/frontend/pipeline/async_adjust_start_end.go through pkg/api/http.go `ClampDateRangeReq`), so
 *   a trace is searchable 30 s after its spans' timestamps at the earliest; and the live store cuts an
 *   idle trace into a searchable block after `max_trace_idle` (5 s), checked every
 *   `flush_check_period` (5 s) (modules/livestore/config.go), about 5–10 s after its last span.
 *   The later of the two is 30 s; 5 s of margin covers Kafka consumption and clock skew: 35 s.
 * - 2.x (2.6–2.10): no end cutoff by default; the ingester searches its head block, not live traces
 *   (modules/ingester/instance_search.go), and cuts an idle trace after `trace_idle_period` (5 s),
 *   checked every `flush_check_period` (10 s) (modules/ingester/config.go): up to 15 s, plus 5 s of
 *   margin: 20 s. A 2.10 with `query_end_cutoff` set needs that added (`visibilityLagMs`).
 */
export const DEFAULT_VISIBILITY_LAG_MS: Readonly<Record<TempoVersionLine, number>> = { '3': 35_000, '2': 20_000 };

/** Polling: every second by default, never faster than every 10 ms nor slower than every 30 s. */
export const DEFAULT_POLL_INTERVAL_MS = 1000;
export const MIN_POLL_INTERVAL_MS = 10;
export const MAX_POLL_INTERVAL_MS = 30_000;
/** Most time between two polls while Tempo answers with errors (backoff doubles up to this). */
export const DEFAULT_MAX_BACKOFF_MS = 10_000;
/**
 * The search `limit`: large, so a run's traces fit in one answer. Tempo 3.x refuses a limit above
 * `max_result_limit` (262,144 by default) with a 400; the source then lowers it to Tempo's maximum.
 */
export const DEFAULT_SEARCH_LIMIT = 10_000;
/** How far back the search for a run's traces looks when the run's start is not given. */
export const DEFAULT_LOOKBACK_MS = 60 * 60 * 1000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_CONCURRENCY = 8;

export interface TempoOptions {
  /** Tempo's HTTP API (the query frontend), e.g. `http://tempo:3200`. */
  url: string;
  /** Sent with every request: `X-Scope-OrgID` for a multi-tenant Tempo, `Authorization` for a gateway. */
  headers?: Record<string, string>;
  /**
   * Which release line's defaults apply. Default: asked from Tempo (`GET /api/status/buildinfo`); when
   * Tempo does not say, 3.x (the longer lag).
   */
  version?: TempoVersionLine;
  /**
   * How long after a span is written a search is certain to find it, ms. Default: per release line
   * (`DEFAULT_VISIBILITY_LAG_MS`). Set it to Tempo's `query_end_cutoff` (or its idle flush, if longer)
   * plus a margin when your Tempo is configured otherwise.
   */
  visibilityLagMs?: number;
  /** Time between polls, ms (default 1 s; clamped to 10 ms – 30 s). */
  pollIntervalMs?: number;
  /**
   * How far Tempo's horizon trails the clock beyond the lag, ms: a poll must have started within this
   * time for the horizon to count as current (default: two poll intervals plus 1 s).
   */
  horizonGraceMs?: number;
  /** Most time between polls while Tempo answers with errors, ms (default 10 s). */
  maxBackoffMs?: number;
  /** The search `limit` (default 10,000; lowered to Tempo's `max_result_limit` when Tempo says so). */
  searchLimit?: number;
  /** When the run started (ms since the epoch): the searches look from here (default: an hour ago). */
  since?: number;
  /** Trace-by-id API: `v2` (default; Tempo ≥ 2.6) or `v1` (`/api/traces/{id}`, for a gateway that only has it). */
  traceApi?: 'v1' | 'v2';
  /** Each request's timeout, ms (default 10 s). */
  requestTimeoutMs?: number;
  /** Trace-by-id requests in flight at once (default 8). */
  concurrency?: number;
  /** The fetch implementation (tests). */
  fetch?: typeof fetch;
}

/** Options with every default applied, except the version line, which may need asking Tempo. */
export interface ResolvedTempoOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly version: TempoVersionLine | undefined;
  readonly visibilityLagMs: number | undefined;
  readonly pollIntervalMs: number;
  readonly horizonGraceMs: number;
  readonly maxBackoffMs: number;
  readonly searchLimit: number;
  readonly since: number | undefined;
  readonly traceApi: 'v1' | 'v2';
  readonly requestTimeoutMs: number;
  readonly concurrency: number;
  readonly fetch: typeof fetch;
}

export class TempoOptionsError extends Error {
  readonly code = 'TEMPO_OPTIONS';
  constructor(message: string) {
    super(message);
    this.name = 'TempoOptionsError';
  }
}

function nonNegative(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isFinite(v) || v < 0) throw new TempoOptionsError(`${name} must be a finite number >= 0, got ${String(v)}`);
  return v;
}

export function resolveTempoOptions(o: TempoOptions): ResolvedTempoOptions {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new TempoOptionsError(`the Tempo URL '${o.url}' is not a URL (e.g. http://tempo:3200)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TempoOptionsError(`the Tempo URL must be http(s), got '${o.url}'`);
  const poll = Math.min(MAX_POLL_INTERVAL_MS, Math.max(MIN_POLL_INTERVAL_MS, nonNegative('pollIntervalMs', o.pollIntervalMs) ?? DEFAULT_POLL_INTERVAL_MS));
  const limit = nonNegative('searchLimit', o.searchLimit) ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new TempoOptionsError(`searchLimit must be a positive integer, got ${limit}`);
  return {
    url: o.url.replace(/\/+$/, ''),
    headers: { ...(o.headers ?? {}) },
    version: o.version,
    visibilityLagMs: nonNegative('visibilityLagMs', o.visibilityLagMs),
    pollIntervalMs: poll,
    horizonGraceMs: nonNegative('horizonGraceMs', o.horizonGraceMs) ?? 2 * poll + 1000,
    maxBackoffMs: Math.max(poll, nonNegative('maxBackoffMs', o.maxBackoffMs) ?? DEFAULT_MAX_BACKOFF_MS),
    searchLimit: limit,
    since: nonNegative('since', o.since),
    traceApi: o.traceApi ?? 'v2',
    requestTimeoutMs: nonNegative('requestTimeoutMs', o.requestTimeoutMs) ?? DEFAULT_REQUEST_TIMEOUT_MS,
    concurrency: Math.max(1, Math.floor(nonNegative('concurrency', o.concurrency) ?? DEFAULT_CONCURRENCY)),
    fetch: o.fetch ?? fetch,
  };
}

/**
 * The release line of a version string from `/api/status/buildinfo` (`2.9.1`, `v3.0.3`,
 * `main-1a2b3c`); undefined when it names none.
 */
export function versionLine(version: string | undefined): TempoVersionLine | undefined {
  const m = /^v?(\d+)\./.exec(version ?? '');
  if (!m) return undefined;
  return m[1] === '2' ? '2' : Number(m[1]) >= 3 ? '3' : undefined;
}

/** Parses `Name: value` (curl's -H form) into a header pair. */
export function parseHeader(text: string): [string, string] {
  const i = text.indexOf(':');
  const name = i < 0 ? '' : text.slice(0, i).trim();
  if (name === '' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new TempoOptionsError(`'${text}' is not a header; write it as 'Name: value', e.g. 'X-Scope-OrgID: tenant-1'`);
  return [name, text.slice(i + 1).trim()];
}
