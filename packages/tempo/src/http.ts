/**
 * Tempo's HTTP query API as a TempoSource uses it: TraceQL search, trace by id, tag values and build
 * info. Every answer is classified, so the source can tell "not there yet" and "try again later"
 * from "there is nothing", and never mistake the first two for the last.
 */
import { decodeTraceJson, decodeTraceProtobuf, padTraceId, type TraceBody, TraceBodyError } from './trace-body.js';
import type { ResolvedTempoOptions } from './options.js';

/**
 * What went wrong with a request:
 * - `rate-limited`: 429; Tempo's frontend passes queriers' 429s through
 *   (modules/frontend/pipeline/sync_handler_adjust_response_code.go) and answers it itself past
 *   `max_outstanding_per_tenant` (modules/frontend/v1/frontend.go; modules/frontend/queue/queue.go
 *   `ErrTooManyRequests`);
 * - `too-large`: 422, trace by id v1 over `max_bytes_per_trace` (modules/frontend/combiner/trace_by_id.go);
 * - `lagging`: a 5xx saying "cannot guarantee complete results": Tempo 3.x's live store is behind its
 *   Kafka partition and `fail_on_high_lag` is on (modules/livestore/live_store.go, `errLagged`);
 * - `server`: any other 5xx;
 * - `limit`: 400 "limit N exceeds max limit M" (modules/frontend/search_handlers.go, `adjustLimit`);
 * - `refused`: 401 / 403 (a tenant header or credentials missing);
 * - `bad-request`: any other 4xx (a query Tempo does not accept);
 * - `unreachable`: no HTTP answer (connection refused, DNS, timeout);
 * - `bad-body`: an answer this code cannot read.
 */
export type TempoProblemKind = 'rate-limited' | 'too-large' | 'lagging' | 'server' | 'limit' | 'refused' | 'bad-request' | 'unreachable' | 'bad-body';

export class TempoRequestError extends Error {
  readonly code = 'TEMPO_REQUEST';
  constructor(
    readonly kind: TempoProblemKind,
    readonly path: string,
    message: string,
    readonly status?: number,
    /** From `Retry-After`, ms. */
    readonly retryAfterMs?: number,
    /** For `limit`: Tempo's maximum. */
    readonly maxLimit?: number,
  ) {
    super(message);
    this.name = 'TempoRequestError';
  }

  /** Problems that asking again later can fix. */
  get transient(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'lagging' || this.kind === 'server' || this.kind === 'unreachable' || this.kind === 'too-large' || this.kind === 'bad-body';
  }
}

/** One trace of a search answer. */
export interface SearchHit {
  /** 32 lowercase hex digits (Tempo strips leading zeros; they are put back). */
  readonly traceId: string;
  readonly startMs: number | undefined;
}

export interface SearchAnswer {
  readonly traces: SearchHit[];
}

export type TraceAnswer = { readonly found: true; readonly body: TraceBody } | { readonly found: false; readonly status: 404 | 200 };

function retryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

export class TempoHttp {
  constructor(private readonly o: ResolvedTempoOptions) {}

  get url(): string {
    return this.o.url;
  }

  private async get(path: string, accept: string): Promise<Response> {
    let res: Response;
    try {
      res = await this.o.fetch(this.o.url + path, { headers: { ...this.o.headers, accept }, signal: AbortSignal.timeout(this.o.requestTimeoutMs) });
    } catch (e) {
      const cause = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e);
      throw new TempoRequestError('unreachable', path, `Tempo at ${this.o.url} did not answer ${path}: ${cause}`);
    }
    if (res.ok || res.status === 404) return res;
    const text = (await res.text().catch(() => '')).trim().slice(0, 500);
    const what = `Tempo answered ${res.status} to GET ${path}${text === '' ? '' : `: ${text}`}`;
    if (res.status === 429) throw new TempoRequestError('rate-limited', path, what, 429, retryAfter(res.headers.get('retry-after')));
    if (res.status === 422) throw new TempoRequestError('too-large', path, what, 422);
    if (res.status === 401 || res.status === 403) throw new TempoRequestError('refused', path, what, res.status);
    if (res.status >= 500) throw new TempoRequestError(/cannot guarantee complete results/i.test(text) ? 'lagging' : 'server', path, what, res.status, retryAfter(res.headers.get('retry-after')));
    const limit = /limit (\d+) exceeds max limit (\d+)/.exec(text);
    if (res.status === 400 && limit) throw new TempoRequestError('limit', path, what, 400, undefined, Number(limit[2]));
    throw new TempoRequestError('bad-request', path, what, res.status);
  }

  private async json(path: string): Promise<unknown> {
    const res = await this.get(path, 'application/json');
    if (res.status === 404) throw new TempoRequestError('bad-request', path, `Tempo answered 404 to GET ${path}: is ${this.o.url} Tempo's HTTP API (the query frontend, port 3200 by default)?`, 404);
    const text = await res.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new TempoRequestError('bad-body', path, `Tempo's answer to GET ${path} is not JSON: ${text.slice(0, 200)}`);
    }
  }

  /**
   * TraceQL search (`GET /api/search`, pkg/api/http.go `ParseSearchRequest`): `start`/`end` in
   * seconds, `spss=1` (one matching span per trace is enough: the trace is fetched whole), `limit`.
   */
  async search(query: string, startSec: number, endSec: number, limit: number): Promise<SearchAnswer> {
    const params = new URLSearchParams({ q: query, start: String(startSec), end: String(endSec), limit: String(limit), spss: '1' });
    const path = `/api/search?${params}`;
    const body = (await this.json(path)) as { traces?: { traceID?: unknown; startTimeUnixNano?: unknown }[] } | null;
    if (body === null || typeof body !== 'object') throw new TempoRequestError('bad-body', path, `Tempo's answer to GET ${path} is not a search result`);
    const traces: SearchHit[] = [];
    for (const t of body.traces ?? []) {
      if (typeof t?.traceID !== 'string' || !/^[0-9a-fA-F]{1,32}$/.test(t.traceID)) continue;
      const start = typeof t.startTimeUnixNano === 'string' && /^\d+$/.test(t.startTimeUnixNano) ? Number(BigInt(t.startTimeUnixNano) / 1_000_000n) : undefined;
      traces.push({ traceId: padTraceId(t.traceID), startMs: start });
    }
    return { traces };
  }

  /**
   * A trace by id. v2 (`/api/v2/traces/{id}`) answers an unknown id with 404 or with 200 and an empty
   * trace (the v2 combiner substitutes an empty trace when no querier found one:
   * modules/frontend/combiner/trace_by_id_v2.go; its HTTP pipeline lets a 404 through:
   * modules/frontend/frontend.go, `NewStatusCodeAdjustWareWithAllowedCode(http.StatusNotFound)`);
   * v1 (`/api/traces/{id}`) with 404. Both come back as `found: false`.
   */
  async trace(traceId: string): Promise<TraceAnswer> {
    const api = this.o.traceApi;
    const path = api === 'v2' ? `/api/v2/traces/${traceId}` : `/api/traces/${traceId}`;
    const res = await this.get(path, 'application/protobuf');
    if (res.status === 404) {
      await res.body?.cancel().catch(() => undefined);
      return { found: false, status: 404 };
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    let body: TraceBody;
    try {
      const type = res.headers.get('content-type') ?? '';
      body = /json/i.test(type) ? decodeTraceJson(new TextDecoder().decode(bytes)) : decodeTraceProtobuf(bytes, api);
    } catch (e) {
      const why = e instanceof TraceBodyError || e instanceof Error ? e.message : String(e);
      throw new TempoRequestError('bad-body', path, `Tempo's answer to GET ${path} could not be read: ${why}`);
    }
    if (body.spans.length === 0 && !body.partial) return { found: false, status: 200 };
    return { found: true, body };
  }

  /** Span names Tempo holds (`GET /api/v2/search/tag/name/values`), for typo hints. */
  async spanNames(startSec: number, endSec: number): Promise<string[]> {
    const params = new URLSearchParams({ start: String(startSec), end: String(endSec) });
    const body = (await this.json(`/api/v2/search/tag/name/values?${params}`)) as { tagValues?: { value?: unknown }[] } | null;
    return (body?.tagValues ?? []).map((v) => v?.value).filter((v): v is string => typeof v === 'string');
  }

  /** Tempo's version (`GET /api/status/buildinfo`, cmd/tempo/app/app.go `buildinfoHandler`), or undefined. */
  async version(): Promise<string | undefined> {
    const body = (await this.json('/api/status/buildinfo')) as { version?: unknown } | null;
    return typeof body?.version === 'string' ? body.version : undefined;
  }
}
