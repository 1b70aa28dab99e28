/**
 * Nearest misses: when a filter matched nothing, the spans that fail exactly one of its conditions,
 * with that condition and the value the span had. "refund.create failed: span.amount = 2500 (was
 * 250)" is usually the whole story of a failed check.
 *
 * A filter of one condition would make every span a near miss, so there a span counts only when the
 * condition compares a field it has with `=` and, for text, the value is close to the literal (a
 * typo, a different case, a prefix).
 */
import type { Span } from '@tracecheck/model';
import type { Expr } from '../ast.js';
import { formatExpr, formatSelection } from '../format.js';
import type { CompiledExpr } from './expr.js';
import { compileExpr } from './expr.js';
import type { EvalContext } from './fields.js';
import type { CompiledFilter, Condition } from './filter.js';
import type { RunGraph, TraceGraph } from './graph.js';
import { RegexCache } from './regex.js';
import type { Value } from './value.js';
import { formatValue } from './value.js';

/** A span that failed one condition of a filter. */
export interface NearMiss {
  readonly span: Span;
  /** The filter as text. */
  readonly filter: string;
  /** The condition it failed, as TraceQL text. */
  readonly failed: string;
  /** What the span had instead (`250`, `missing`, `events: "retry"`), when there is one field to show. */
  readonly actual: string | undefined;
}

const isLiteral = (e: Expr): boolean => ['string', 'int', 'float', 'duration', 'bool', 'nil', 'status', 'kind'].includes(e.type);

/** The field side of `field op literal` (either order). */
function fieldOf(e: Expr): { field: Expr; literal: Expr } | undefined {
  if (e.type !== 'binary') return e.type === 'attribute' || e.type === 'intrinsic' ? { field: e, literal: e } : undefined;
  if (isLiteral(e.right) && !isLiteral(e.left)) return { field: e.left, literal: e.right };
  if (isLiteral(e.left) && !isLiteral(e.right)) return { field: e.right, literal: e.left };
  return undefined;
}

// Diagnostics read a condition's field again, for many spans: compile each field once.
const compiledFields = new WeakMap<Expr, CompiledExpr>();

/** Values of the field for this span: one, or one per event / link. */
function fieldValues(field: Expr, span: Span, trace: TraceGraph): { values: Value[]; per: 'span' | 'event' | 'link' } {
  let compiled = compiledFields.get(field);
  if (compiled === undefined) {
    compiled = compileExpr(field, new RegexCache());
    compiledFields.set(field, compiled);
  }
  const ctx: EvalContext = { span, trace, event: undefined, link: undefined };
  if (compiled.levels.has('event')) return { values: span.events.map((event) => compiled.read({ ...ctx, event })), per: 'event' };
  if (compiled.levels.has('link')) return { values: span.links.map((link) => compiled.read({ ...ctx, link })), per: 'link' };
  return { values: [compiled.read(ctx)], per: 'span' };
}

function describeActual(condition: Expr, span: Span, trace: TraceGraph): string | undefined {
  const side = fieldOf(condition);
  if (side === undefined) return undefined;
  const { values, per } = fieldValues(side.field, span, trace);
  if (per === 'span') {
    const v = values[0];
    if (v === undefined) return 'missing';
    const note = typeNote(v, side.literal);
    return `was ${formatValue(v)}${note}`;
  }
  if (values.length === 0) return `no ${per}s`;
  const shown = values.slice(0, 5).map(formatValue).join(', ');
  return `${per}s had ${shown}${values.length > 5 ? ', …' : ''}`;
}

const CATEGORY: Record<string, string> = {
  int: 'number', double: 'number', float: 'number', duration: 'number', string: 'string', bool: 'bool', status: 'status', kind: 'kind',
};

/** `, an int, not a string`: the usual reason `span.amount = "2500"` misses an int 2500. */
function typeNote(v: Exclude<Value, undefined>, literal: Expr): string {
  if (literal.type === 'nil' || !(literal.type in CATEGORY) || v.type === 'array') return '';
  if (CATEGORY[v.type] === CATEGORY[literal.type]) return '';
  const article = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
  const names: Record<string, string> = { double: 'float', bool: 'boolean' };
  return `, ${article(names[v.type] ?? v.type)}, not ${article(names[literal.type] ?? literal.type)}`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** For a one-condition filter: is this span plausibly the one that was meant? */
function closeEnough(condition: Expr, span: Span, trace: TraceGraph): boolean {
  if (condition.type !== 'binary' || condition.op !== '=') return false;
  const side = fieldOf(condition);
  if (side === undefined) return false;
  const { values } = fieldValues(side.field, span, trace);
  const lit = side.literal;
  return values.some((v) => {
    if (v === undefined) return false;
    if (lit.type !== 'string') return v.type !== 'string' && v.type !== 'array';
    if (v.type !== 'string') return false;
    const [x, y] = [v.value.toLowerCase(), lit.value.toLowerCase()];
    return x === y || x.startsWith(y) || y.startsWith(x) || editDistance(x, y) <= Math.max(2, Math.floor(y.length / 5));
  });
}

/** Name conditions fail for most spans; a miss on anything else is the likelier story, so it ranks first. */
function isNameCondition(e: Expr): boolean {
  const side = fieldOf(e);
  return side?.field.type === 'intrinsic' && (side.field.name === 'name' || side.field.name === 'span:name');
}

function missesOf(filter: CompiledFilter, graph: RunGraph): NearMiss[] {
  const text = formatSelection(filter.filter);
  const out: { miss: NearMiss; rank: number }[] = [];
  const { conditions } = filter;
  if (conditions.length === 0) return [];
  for (const trace of graph.traces) {
    for (const span of trace.spans) {
      if (filter.matches(span, trace)) continue;
      const failed: Condition[] = conditions.filter((c) => !filter.holds(c, span, trace));
      if (failed.length === 0) {
        // Each per-event (per-link) condition holds for some event, but no one event holds them all.
        const together = conditions.filter((c) => c.perElement).map((c) => formatExpr(c.compiled.expr)).join(' && ');
        out.push({ miss: { span, filter: text, failed: together, actual: 'no single event or link satisfies all of these together' }, rank: 0 });
      } else if (failed.length === 1) {
        const expr = failed[0]!.compiled.expr;
        if (conditions.length === 1 && !closeEnough(expr, span, trace)) continue;
        out.push({ miss: { span, filter: text, failed: formatExpr(expr), actual: describeActual(expr, span, trace) }, rank: isNameCondition(expr) ? 1 : 0 });
      }
    }
  }
  return out.sort((a, b) => a.rank - b.rank).map((m) => m.miss);
}

/**
 * Nearest misses, at most `limit` in all: of the filters that matched nothing, or with `all`, of
 * every filter (a check that found fewer matches than it needs: the missing one is often a near miss).
 */
export function findNearMisses(filters: readonly CompiledFilter[], graph: RunGraph, limit = 5, all = false): NearMiss[] {
  const out: NearMiss[] = [];
  for (const filter of filters) {
    if (out.length >= limit) break;
    if (!all && graph.traces.some((t) => t.spans.some((s) => filter.matches(s, t)))) continue;
    out.push(...missesOf(filter, graph).slice(0, limit - out.length));
  }
  return out;
}
