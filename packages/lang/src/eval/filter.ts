/**
 * A filter `{ expr }` as a span predicate. Its top-level `&&` operands are its conditions: the ones
 * that read only the span (and its trace) run first, cheapest first; the ones that read events or
 * links run together per event and per link, so `{ event:name = "exception" && event.type = "Timeout" }`
 * needs one event satisfying both. Conditions are kept apart for the nearest-miss search.
 */
import type { Span, SpanEvent, SpanLink } from '@tracecheck/model';
import type { SpansetFilter } from '../ast.js';
import type { CompiledExpr } from './expr.js';
import { cheapestFirst, compileExpr, flatten } from './expr.js';
import type { EvalContext, FieldLevel } from './fields.js';
import type { TraceGraph } from './graph.js';
import type { RegexCache } from './regex.js';

/** One top-level condition of a filter. */
export interface Condition {
  readonly compiled: CompiledExpr;
  /** Reads events or links, so it is tried per event / link. */
  readonly perElement: boolean;
}

/** A compiled filter. */
export interface CompiledFilter {
  readonly filter: SpansetFilter;
  /** Top-level `&&` operands, in written order; empty for `{ }`. */
  readonly conditions: readonly Condition[];
  /** Everything the filter reads. */
  readonly levels: ReadonlySet<FieldLevel>;
  matches(span: Span, trace: TraceGraph): boolean;
  /** Whether one condition holds on its own (per-element conditions: for some event / link). */
  holds(condition: Condition, span: Span, trace: TraceGraph): boolean;
  /** Whether the per-element conditions hold together for one event / link (they may each hold alone). */
  elementsHoldTogether(span: Span, trace: TraceGraph): boolean;
}

const NONE = [undefined];

function forSomeElement(ctx: EvalContext, levels: ReadonlySet<FieldLevel>, test: (c: EvalContext) => boolean): boolean {
  const { span } = ctx;
  const events: readonly (SpanEvent | undefined)[] = levels.has('event') && span.events.length > 0 ? span.events : NONE;
  const links: readonly (SpanLink | undefined)[] = levels.has('link') && span.links.length > 0 ? span.links : NONE;
  try {
    for (const event of events) {
      ctx.event = event;
      for (const link of links) {
        ctx.link = link;
        if (test(ctx)) return true;
      }
    }
    return false;
  } finally {
    ctx.event = undefined;
    ctx.link = undefined;
  }
}

/** Compiles `{ expr }`. */
export function compileFilter(filter: SpansetFilter, regexes: RegexCache): CompiledFilter {
  const conditions: Condition[] = filter.expr === null ? [] : flatten(filter.expr, '&&').map((e) => {
    const compiled = compileExpr(e, regexes);
    return { compiled, perElement: compiled.levels.has('event') || compiled.levels.has('link') };
  });
  const levels = new Set<FieldLevel>(conditions.flatMap((c) => [...c.compiled.levels]));
  const spanTests = cheapestFirst(conditions.filter((c) => !c.perElement).map((c) => c.compiled)).map((c) => c.test);
  const elementParts = cheapestFirst(conditions.filter((c) => c.perElement).map((c) => c.compiled));
  const elementTests = elementParts.map((c) => c.test);
  const elementLevels = new Set<FieldLevel>(elementParts.flatMap((c) => [...c.levels]));
  const allElements = (c: EvalContext): boolean => elementTests.every((t) => t(c));

  // One context per filter, reused: evaluation is synchronous and never re-enters a filter.
  const ctx: EvalContext = { span: undefined as unknown as Span, trace: undefined as unknown as TraceGraph, event: undefined, link: undefined };
  const at = (span: Span, trace: TraceGraph): EvalContext => {
    ctx.span = span;
    ctx.trace = trace;
    return ctx;
  };

  return {
    filter,
    conditions,
    levels,
    matches(span, trace) {
      const c = at(span, trace);
      for (const t of spanTests) if (!t(c)) return false;
      return elementTests.length === 0 || forSomeElement(c, elementLevels, allElements);
    },
    holds(condition, span, trace) {
      const c = at(span, trace);
      return condition.perElement ? forSomeElement(c, condition.compiled.levels, condition.compiled.test) : condition.compiled.test(c);
    },
    elementsHoldTogether(span, trace) {
      return elementTests.length === 0 || forSomeElement(at(span, trace), elementLevels, allElements);
    },
  };
}
