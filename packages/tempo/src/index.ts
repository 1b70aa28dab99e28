/**
 * @tracecheck/tempo: decide tracecheck assertions on runs stored in Grafana Tempo (≥ 2.6, 3.x first)
 * with the same evaluator and deciding as the embedded receiver. See docs/scale-out.md.
 */
export { TempoSource } from './source.js';
export type { PollResult } from './source.js';
export type { TempoNote } from './notes.js';
export { checkWithTempo, defaultTempoTimeoutMs, TempoChecker } from './tempo-check.js';
export type { TempoCheckOptions } from './tempo-check.js';
export {
  DEFAULT_LOOKBACK_MS,
  DEFAULT_MAX_BACKOFF_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_SEARCH_LIMIT,
  DEFAULT_VISIBILITY_LAG_MS,
  MAX_POLL_INTERVAL_MS,
  MIN_POLL_INTERVAL_MS,
  parseHeader,
  resolveTempoOptions,
  TempoOptionsError,
  versionLine,
} from './options.js';
export type { ResolvedTempoOptions, TempoOptions, TempoVersionLine } from './options.js';
export { LINK_QUERY_BATCH, linkQueries, linkQuery, runQueries, traceqlString } from './queries.js';
export { TempoHttp, TempoRequestError } from './http.js';
export type { SearchAnswer, SearchHit, TempoProblemKind, TraceAnswer } from './http.js';
export { decodeTraceJson, decodeTraceProtobuf, idToHex, normalizeTempoJsonTrace, padTraceId, TraceBodyError } from './trace-body.js';
export type { TraceBody } from './trace-body.js';
