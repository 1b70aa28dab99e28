/**
 * A selection (TraceQL spanset expression) compiled to a function of one trace; a run's matches are
 * the union over its traces, since structure never crosses traces.
 */
import type { Span } from '@tracecheck/model';
import type { Selection } from '../ast.js';
import type { CompiledFilter } from './filter.js';
import { compileFilter } from './filter.js';
import type { RunGraph, TraceGraph } from './graph.js';
import type { RegexCache } from './regex.js';
import { type Steps, runSteps, worked } from './steps.js';
import { applyStructural } from './structure.js';

/** A compiled selection. */
export interface CompiledSelection {
  readonly selection: Selection;
  /** The filters it is made of, left to right (for diagnostics). */
  readonly filters: readonly CompiledFilter[];
  /**
   * True when a later span can only add matches: no negated structure, no trace-level intrinsic,
   * no `span:childCount` (those can lose matches when a parent or an earlier span arrives late).
   */
  readonly monotone: boolean;
  /** The matching spans of one trace. */
  inTrace(trace: TraceGraph): Set<Span>;
  /** The matching spans of a run: the union over its traces. */
  inRun(graph: RunGraph): Set<Span>;
  /** `inRun` in steps (steps.ts): it yields between traces. */
  inRunSteps(graph: RunGraph): Steps<Set<Span>>;
}

/** The empty result, shared: never added to (a union returns its other side instead). */
const NONE: Set<Span> = new Set();

/** Compiles a selection; filters share `regexes` with the rest of the assertion. */
export function compileSelection(selection: Selection, regexes: RegexCache): CompiledSelection {
  const filters: CompiledFilter[] = [];
  let monotone = true;

  const build = (sel: Selection): ((trace: TraceGraph) => Set<Span>) => {
    if (sel.type === 'filter') {
      const filter = compileFilter(sel, regexes);
      filters.push(filter);
      if (filter.levels.has('trace') || filter.levels.has('structure')) monotone = false;
      // Most filters match nothing in most traces: no set is made for those (a 100-filter
      // selection over 8,000 traces would otherwise make 800,000 empty sets per evaluation).
      return (trace) => {
        let out: Set<Span> | undefined;
        for (const span of trace.spans) if (filter.matches(span, trace)) (out ??= new Set()).add(span);
        return out ?? NONE;
      };
    }
    const left = build(sel.left);
    const right = build(sel.right);
    const op = sel.op;
    if (op.startsWith('!')) monotone = false;
    if (op === '&&' || op === '||') {
      // `l` and `r` are this evaluation's own sets (or the shared empty one, never added to).
      return (trace) => {
        const l = left(trace);
        if (op === '&&' && l.size === 0) return NONE;
        const r = right(trace);
        if (op === '&&' && r.size === 0) return NONE;
        if (r.size === 0) return l;
        if (l.size === 0) return r;
        for (const s of r) l.add(s);
        return l;
      };
    }
    return (trace) => applyStructural(op, trace, left(trace), right(trace));
  };

  const inTrace = build(selection);
  function* inRunSteps(graph: RunGraph): Steps<Set<Span>> {
    const out = new Set<Span>();
    for (const trace of graph.traces) {
      for (const s of inTrace(trace)) out.add(s);
      if (worked(trace.spans.length * filters.length)) yield;
    }
    return out;
  }
  return {
    selection,
    filters,
    monotone,
    inTrace,
    inRun: (graph) => runSteps(inRunSteps(graph)),
    inRunSteps,
  };
}
