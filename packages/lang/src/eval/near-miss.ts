/**
 * Nearest misses: when a filter matched nothing, the spans that fail exactly one of its conditions,
 * with that condition and the value the span had. "refund.create failed: span.amount = 2500 (was
 * 250)" is usually the whole story of a failed check.
 *
 * A filter of one condition would make every span a near miss, so there a span counts only when the
 * condition compares a field it has with `=` and, for text, the value is close to the literal (a
 * typo, a different case, a prefix).
 *
 * The search is a diagnostic, not the verdict, so it has a budget: text is compared on bounded
 * prefixes (NEAR_MISS_COMPARE_CHARS, with an edit distance banded to the allowed difference), values
 * shown are cut short, and the search stops after `maxSpans` spans or `maxMs` of time, saying how far
 * it got (`NearMissSearch.incomplete`), so a run of huge attribute values cannot hold the receiver.
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
import { attributeValue, formatValue } from './value.js';

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
    return `was ${formatShort(v)}${note}`;
  }
  if (values.length === 0) return `no ${per}s`;
  const shown = values.slice(0, 5).map(formatShort).join(', ');
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

/** Characters of a text value (and of the literal) the closeness test compares. */
export const NEAR_MISS_COMPARE_CHARS = 256;
/** Characters of a value a near miss shows (`was "…"`). */
const SHOWN_CHARS = 200;
/** Elements of an array (entries of a kvlist) a near miss shows. */
const SHOWN_ELEMENTS = 10;

/** A value for a near miss's `actual`, cut short: a 100 KB attribute is not evidence anyone reads. */
function formatShort(v: Value): string {
  if (v === undefined) return formatValue(v);
  if (v.type === 'string' && v.value.length > SHOWN_CHARS) {
    return `${JSON.stringify(v.value.slice(0, SHOWN_CHARS))}… (${v.value.length} characters)`;
  }
  if (v.type === 'array' && v.value.length > SHOWN_ELEMENTS) {
    return `[${v.value.slice(0, SHOWN_ELEMENTS).map((e) => formatShort(attributeValue(e))).join(', ')}, … (${v.value.length} elements)]`;
  }
  if (v.type === 'array') return `[${v.value.map((e) => formatShort(attributeValue(e))).join(', ')}]`;
  if (v.type === 'kvlist') {
    const entries = [...v.value].slice(0, SHOWN_ELEMENTS).map(([k, e]) => `${k.slice(0, SHOWN_CHARS)}: ${formatShort(attributeValue(e))}`);
    return `{${entries.join(', ')}${v.value.size > SHOWN_ELEMENTS ? `, … (${v.value.size} entries)` : ''}}`;
  }
  return formatValue(v);
}

/**
 * Levenshtein distance of `a` and `b` when it is at most `k`, else k + 1: only the band of width
 * 2k + 1 around the diagonal is computed, O(length × k).
 */
export function boundedEditDistance(a: string, b: string, k: number): number {
  if (Math.abs(a.length - b.length) > k) return k + 1;
  const over = k + 1;
  let prev = new Int32Array(b.length + 1).fill(over);
  let row = new Int32Array(b.length + 1).fill(over);
  for (let j = 0; j <= Math.min(b.length, k); j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row.fill(over);
    const lo = Math.max(1, i - k);
    const hi = Math.min(b.length, i + k);
    row[0] = i <= k ? i : over;
    let best = row[0];
    for (let j = lo; j <= hi; j++) {
      const d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      row[j] = d > over ? over : d;
      if (row[j]! < best) best = row[j]!;
    }
    if (best > k) return over;
    [prev, row] = [row, prev];
  }
  return Math.min(prev[b.length]!, over);
}

/** Is a text value close to the literal: the same but for case, a prefix of it, or a typo away (bounded prefixes). */
function similarText(value: string, literal: string): boolean {
  const x = value.slice(0, NEAR_MISS_COMPARE_CHARS).toLowerCase();
  const y = literal.slice(0, NEAR_MISS_COMPARE_CHARS).toLowerCase();
  if (x === y || x.startsWith(y) || y.startsWith(x)) return true;
  const k = Math.max(2, Math.floor(y.length / 5));
  return boundedEditDistance(x, y, k) <= k;
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
    return similarText(v.value, lit.value);
  });
}

/** Name conditions fail for most spans; a miss on anything else is the likelier story, so it ranks first. */
function isNameCondition(e: Expr): boolean {
  const side = fieldOf(e);
  return side?.field.type === 'intrinsic' && (side.field.name === 'name' || side.field.name === 'span:name');
}

/** How much work one search for nearest misses may do; it stops at whichever comes first. */
export interface NearMissBudget {
  /** Time, in ms. */
  readonly maxMs: number;
  /** Spans examined (a span is examined once per filter). */
  readonly maxSpans: number;
}

/** 50 ms or 100,000 span examinations: a verdict's diagnostics never hold a receiver longer. */
export const DEFAULT_NEAR_MISS_BUDGET: NearMissBudget = Object.freeze({ maxMs: 50, maxSpans: 100_000 });

/** What a search found, and whether its budget ended it early. */
export interface NearMissSearch {
  readonly misses: NearMiss[];
  /** Set when the budget ran out: the search looked at `examined` of `total` span examinations. */
  readonly incomplete?: { readonly examined: number; readonly total: number; readonly budget: NearMissBudget };
}

/** Counts examinations against the budget; reading the clock only every 64 spans. */
export class Meter {
  examined = 0;
  stopped = false;
  private readonly deadline: number;

  constructor(readonly budget: NearMissBudget) {
    this.deadline = performance.now() + budget.maxMs;
  }

  /** False once the budget is spent (and from then on). */
  step(): boolean {
    if (this.stopped) return false;
    if (this.examined >= this.budget.maxSpans || ((this.examined & 63) === 0 && this.examined > 0 && performance.now() > this.deadline)) {
      this.stopped = true;
      return false;
    }
    this.examined++;
    return true;
  }
}

function missesOf(filter: CompiledFilter, graph: RunGraph, meter: Meter): NearMiss[] {
  const text = formatSelection(filter.filter);
  const out: { miss: NearMiss; rank: number }[] = [];
  const { conditions } = filter;
  if (conditions.length === 0) return [];
  for (const trace of graph.traces) {
    for (const span of trace.spans) {
      if (!meter.step()) break;
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
    if (meter.stopped) break;
  }
  return out.sort((a, b) => a.rank - b.rank).map((m) => m.miss);
}

/**
 * Nearest misses, at most `limit` in all: of the filters that matched nothing, or with `all`, of
 * every filter (a check that found fewer matches than it needs: the missing one is often a near miss).
 * Stops when `budget` is spent and says so.
 */
export function searchNearMisses(filters: readonly CompiledFilter[], graph: RunGraph, limit = 5, all = false, budget: NearMissBudget = DEFAULT_NEAR_MISS_BUDGET): NearMissSearch {
  const out: NearMiss[] = [];
  const meter = new Meter(budget);
  let total = 0;
  for (const filter of filters) {
    if (filter.conditions.length > 0) total += graph.spans.length;
  }
  for (const filter of filters) {
    if (out.length >= limit || meter.stopped) break;
    if (!all && graph.traces.some((t) => t.spans.some((s) => filter.matches(s, t)))) continue;
    out.push(...missesOf(filter, graph, meter).slice(0, limit - out.length));
  }
  return meter.stopped ? { misses: out, incomplete: { examined: meter.examined, total, budget } } : { misses: out };
}

/** `searchNearMisses` without the report of an incomplete search. */
export function findNearMisses(filters: readonly CompiledFilter[], graph: RunGraph, limit = 5, all = false, budget: NearMissBudget = DEFAULT_NEAR_MISS_BUDGET): NearMiss[] {
  return searchNearMisses(filters, graph, limit, all, budget).misses;
}
