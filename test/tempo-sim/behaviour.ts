/**
 * The Tempo behaviours the simulator (sim.ts) makes injectable, each with the Tempo source it
 * mirrors, and the values it starts from (TEMPO_3_DEFAULTS_SCALED).
 */

export interface TempoSimBehaviour {
  /** Reported by `/api/status/buildinfo` (cmd/tempo/app/app.go `buildinfoHandler`). */
  version: string;
  /**
   * `query_end_cutoff`: a search's (and a tag search's) end is clamped to `now - cutoff`
   * (modules/frontend/pipeline/async_adjust_start_end.go → pkg/api/http.go `ClampDateRangeReq`; 30 s by
   * default in 3.x, modules/frontend/config.go), and a start after the clamped end becomes
   * `now - query_backend_after` (15 min).
   */
  queryEndCutoffMs: number;
  /**
   * `max_trace_idle`: a search does not see live traces, only blocks (modules/livestore/instance_search.go
   * `Search` iterates blocks; 2.x: modules/ingester/instance_search.go); a live trace is cut into a block
   * once idle this long (modules/livestore/config.go, 5 s), checked every `flushCheckPeriodMs`.
   */
  maxTraceIdleMs: number;
  /** `flush_check_period`: the idle check runs on this tick (modules/livestore/config.go, 5 s). */
  flushCheckPeriodMs: number;
  /** `max_trace_live`: a trace still receiving spans is cut after this long anyway (modules/livestore/config.go, 30 s). */
  maxTraceLiveMs: number;
  /** Trace by id sees a span this long after it was written (Kafka consumption; the live store answers by id from live traces: modules/livestore/instance_search.go `FindByTraceID`). */
  byIdLagMs: number;
  /**
   * `max_bytes_per_trace`, counted in spans here: above it v2 answers PARTIAL with part of the trace
   * (modules/frontend/combiner/trace_by_id_v2.go) and v1 answers 422 (modules/frontend/combiner/trace_by_id.go).
   */
  maxSpansPerTrace: number | undefined;
  /**
   * How v2 answers an id it does not hold: 404 (its HTTP pipeline lets a querier's 404 through:
   * modules/frontend/frontend.go `NewStatusCodeAdjustWareWithAllowedCode(http.StatusNotFound)`) or 200
   * with an empty trace (the v2 combiner substitutes one: modules/frontend/combiner/trace_by_id_v2.go).
   */
  v2NotFound: '404' | 'empty';
  /** `max_result_limit`: a larger `limit` is a 400 (modules/frontend/search_handlers.go `adjustLimit`); 0: none (2.x default). */
  maxResultLimit: number;
  /** `default_result_limit` when a search gives no limit (modules/frontend/config.go, 20). */
  defaultResultLimit: number;
  /**
   * The `left_pad_trace_ids` override (modules/overrides/config.go): off by default, search answers
   * strip leading zeros from trace ids (pkg/util/traceid.go `TraceIDToHexString`).
   */
  leftPadTraceIds: boolean;
  /** Multi-tenancy: requests without `X-Scope-OrgID` are refused with 401 "no org id". */
  requireTenant: boolean;
}

export const TEMPO_3_DEFAULTS_SCALED: TempoSimBehaviour = {
  version: '3.0.3',
  queryEndCutoffMs: 0,
  maxTraceIdleMs: 0,
  flushCheckPeriodMs: 0,
  maxTraceLiveMs: 30_000,
  byIdLagMs: 0,
  maxSpansPerTrace: undefined,
  v2NotFound: '404',
  maxResultLimit: 256 * 1024,
  defaultResultLimit: 20,
  leftPadTraceIds: false,
  requireTenant: false,
};
