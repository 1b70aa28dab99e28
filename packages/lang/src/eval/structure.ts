/**
 * Structural spanset operators over one trace (TraceQL semantics, DESIGN.md):
 * `L > R` the R whose parent is in L, `L < R` the R that are the parent of some L, `>>` / `<<`
 * descendant / ancestor, `L ~ R` the R sharing a parent with some other span of L. The negated forms
 * (`!>` ...) return the R without the relation; the union forms (`&>` ...) both sides of every
 * related pair. Only arrived spans link a chain: a span whose parent never arrived has no ancestors
 * and roots its own subtree (Tempo drops such subtrees from structure altogether; keeping them lets
 * `{ kind = server } > { ... }` work under an uninstrumented caller). Siblings share a parent span
 * id, arrived or not; roots have no siblings.
 */
import type { Span } from '@tracecheck/model';
import type { NegatedStructuralOperator, StructuralOperator, UnionStructuralOperator } from '../ast.js';
import type { TraceGraph } from './graph.js';

type Relation = StructuralOperator;

/** Proper ancestors of a span through arrived parents (bounded, so a cyclic parent chain ends). */
function* ancestors(trace: TraceGraph, span: Span): Generator<Span> {
  let current = trace.parent(span);
  for (let steps = 0; current !== undefined && steps < trace.spans.length; steps++) {
    yield current;
    current = trace.parent(current);
  }
}

function ancestorsOfAll(trace: TraceGraph, spans: ReadonlySet<Span>): Set<Span> {
  const out = new Set<Span>();
  for (const s of spans) {
    for (const a of ancestors(trace, s)) {
      if (out.has(a)) break; // the rest of the chain is marked already
      out.add(a);
    }
  }
  return out;
}

function hasSiblingIn(span: Span, byParent: ReadonlyMap<string, number>, side: ReadonlySet<Span>): boolean {
  if (span.parentSpanId === '') return false;
  return (byParent.get(span.parentSpanId) ?? 0) - (side.has(span) ? 1 : 0) > 0;
}

function countByParent(spans: ReadonlySet<Span>): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of spans) if (s.parentSpanId !== '') m.set(s.parentSpanId, (m.get(s.parentSpanId) ?? 0) + 1);
  return m;
}

/**
 * Tests for "r is related to some l" (right side) and "l is related to some r" (left side, for the
 * union forms), precomputing what each relation needs once per trace.
 */
function relatedTests(rel: Relation, trace: TraceGraph, left: ReadonlySet<Span>, right: ReadonlySet<Span>): { right: (s: Span) => boolean; left: (s: Span) => boolean } {
  const inLeft = (s: Span | undefined): boolean => s !== undefined && left.has(s);
  const inRight = (s: Span | undefined): boolean => s !== undefined && right.has(s);
  switch (rel) {
    case '>':
      return { right: (r) => inLeft(trace.parent(r)), left: (l) => trace.children(l).some(inRight) };
    case '<':
      return { right: (r) => trace.children(r).some(inLeft), left: (l) => inRight(trace.parent(l)) };
    case '>>': {
      const aboveRight = ancestorsOfAll(trace, right);
      return { right: (r) => [...ancestors(trace, r)].some(inLeft), left: (l) => aboveRight.has(l) };
    }
    case '<<': {
      const aboveLeft = ancestorsOfAll(trace, left);
      return { right: (r) => aboveLeft.has(r), left: (l) => [...ancestors(trace, l)].some(inRight) };
    }
    case '~': {
      const leftParents = countByParent(left);
      const rightParents = countByParent(right);
      return { right: (r) => hasSiblingIn(r, leftParents, left), left: (l) => hasSiblingIn(l, rightParents, right) };
    }
  }
}

/** Applies a structural, negated or union operator to one trace's left and right spans. */
export function applyStructural(
  op: StructuralOperator | NegatedStructuralOperator | UnionStructuralOperator,
  trace: TraceGraph,
  left: ReadonlySet<Span>,
  right: ReadonlySet<Span>,
): Set<Span> {
  const out = new Set<Span>();
  if (left.size === 0 && right.size === 0) return out;
  const rel = op.replace(/^[!&]/, '') as Relation;
  const tests = relatedTests(rel, trace, left, right);
  if (op.startsWith('!')) {
    for (const r of right) if (!tests.right(r)) out.add(r);
  } else if (op.startsWith('&')) {
    for (const l of left) if (tests.left(l)) out.add(l);
    for (const r of right) if (tests.right(r)) out.add(r);
  } else {
    for (const r of right) if (tests.right(r)) out.add(r);
  }
  return out;
}
