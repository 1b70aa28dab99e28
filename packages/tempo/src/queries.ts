/**
 * The TraceQL queries a TempoSource sends. Only these shapes: the simulator in test/tempo-sim answers
 * them, and test/tempo-traceql-grammar.test.ts parses each with Grafana's own TraceQL grammar.
 */
import { RUN_ID_ATTRIBUTE } from '@tracecheck/model';
import { TempoOptionsError } from './options.js';

/**
 * A TraceQL string literal: double-quoted, `\\` and `"` escaped. Those are the only escapes both Tempo
 * (pkg/traceql/lexer.go reads strings with Go's `strconv.Unquote`) and Grafana's grammar
 * (@grafana/lezer-traceql) accept, so a value with control characters cannot be searched for.
 */
export function traceqlString(value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new TempoOptionsError(`${JSON.stringify(value)} has control characters, which a TraceQL string cannot hold for both Tempo and Grafana`);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The searches for a run's traces: spans tagged with the run, and spans whose resource is (a process
 * started for one run may tag its resource; docs/language.md, "Runs").
 */
export function runQueries(runId: string): readonly string[] {
  const v = traceqlString(runId);
  return [`{ span.${RUN_ID_ATTRIBUTE} = ${v} }`, `{ resource.${RUN_ID_ATTRIBUTE} = ${v} }`];
}

/** Trace ids per link search: a few conditions keep each query cheap for Tempo's query planner. */
export const LINK_QUERY_BATCH = 20;

/** The search for spans that link into any of `traceIds` (a queue's consumers, in traces of their own). */
export function linkQuery(traceIds: readonly string[]): string {
  if (traceIds.length === 0) throw new Error('linkQuery needs at least one trace id');
  return `{ ${traceIds.map((id) => `link:traceID = ${traceqlString(id)}`).join(' || ')} }`;
}

/** `linkQuery` over every id, LINK_QUERY_BATCH at a time. */
export function linkQueries(traceIds: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < traceIds.length; i += LINK_QUERY_BATCH) out.push(linkQuery(traceIds.slice(i, i + LINK_QUERY_BATCH)));
  return out;
}
