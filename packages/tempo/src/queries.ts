/**
 * The TraceQL queries a TempoSource sends. Only these shapes: the simulator in test/tempo-sim answers
 * them, and test/tempo-traceql-grammar.test.ts parses each with Grafana's own TraceQL grammar.
 */
import { RUN_ID_ATTRIBUTE } from '@tracecheck/model';

/** A TraceQL string literal: double-quoted, with `\` and `"` escaped (and control characters spelled out). */
export function traceqlString(value: string): string {
  const escaped = value.replace(/[\\"\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\${c}`));
  return `"${escaped}"`;
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
