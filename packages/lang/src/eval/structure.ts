/**
 * Structural spanset operators over one trace, with Tempo's meaning: `L > R` the R whose parent is
 * in L, `L < R` the R that are the parent of some L, `>>` / `<<` descendant / ancestor, `L ~ R` the R
 * sharing a parent with some other span of L. The negated forms (`!>` ...) return the R without the
 * relation; the union forms (`&>` ...) both sides of every related pair.
 *
 * Tempo answers these from nested-set numbers it assigns by walking down from the trace's roots
 * (spans without a parent span id; vparquet's assignNestedSetModelBounds). A span the walk does not
 * reach — its parent, or an ancestor's parent, is not in the trace — gets no numbers and takes part in
 * no relation: it is nobody's child, parent, descendant, ancestor or sibling, so it never matches
 * `>` ... `~` or the union forms, and always matches the negated forms when it is on the right. A
 * trace whose root has not arrived has no structure at all. Every root gets the same parent number,
 * so two roots of one trace are siblings. We do the same: a span takes part only when its chain of
 * arrived parents ends at a root. One deliberate difference: a span whose parent is the one a test
 * invented for the request that started the flow (external-parent.ts) is a root, or a flow started
 * by a test would have no structure at all.
 */
import type { Span } from '@tracecheck/model';
import type { NegatedStructuralOperator, StructuralOperator, UnionStructuralOperator } from '../ast.js';
import { parentIsExternal } from './external-parent.js';
import type { TraceGraph } from './graph.js';

type Relation = StructuralOperator;

/** Whether a span is reached from a root of its trace (memoized per call; a cyclic chain is not). */
function rootedness(trace: TraceGraph): (span: Span) => boolean {
  const known = new Map<Span, boolean>();
  return (span) => {
    const path: Span[] = [];
    let current: Span | undefined = span;
    let rooted = false;
    while (current !== undefined) {
      const k = known.get(current);
      if (k !== undefined) {
        rooted = k;
        break;
      }
      if (isRoot(current)) {
        rooted = true;
        path.push(current);
        break;
      }
      path.push(current);
      if (path.length > trace.spans.length) break; // a cycle: never reaches a root
      current = trace.parent(current);
    }
    for (const s of path) known.set(s, rooted);
    return rooted;
  };
}

/** A root: no parent span id, or the parent a test invented (see external-parent.ts). */
function isRoot(span: Span): boolean {
  return span.parentSpanId === '' || parentIsExternal(span);
}

/** The key siblings share: roots share one, as Tempo's roots share the parent number -1. */
function parentKey(span: Span): string {
  return isRoot(span) ? '' : span.parentSpanId;
}

/** Proper ancestors of a rooted span (all rooted themselves). */
function* ancestors(trace: TraceGraph, span: Span): Generator<Span> {
  let current = trace.parent(span);
  for (let steps = 0; current !== undefined && steps < trace.spans.length; steps++) {
    yield current;
    current = trace.parent(current);
  }
}

/** Rooted spans sharing each parent: roots share the empty parent id, as Tempo's roots share -1. */
function countByParent(spans: ReadonlySet<Span>, rooted: (s: Span) => boolean): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of spans) if (rooted(s)) m.set(parentKey(s), (m.get(parentKey(s)) ?? 0) + 1);
  return m;
}

/**
 * Tests for "r is related to some l" (right side) and "l is related to some r" (left side, for the
 * union forms), precomputing what each relation needs once per trace. Unrooted spans relate to nothing.
 */
function relatedTests(rel: Relation, trace: TraceGraph, left: ReadonlySet<Span>, right: ReadonlySet<Span>): { right: (s: Span) => boolean; left: (s: Span) => boolean } {
  const rooted = rootedness(trace);
  const inLeft = (s: Span | undefined): boolean => s !== undefined && left.has(s);
  const inRight = (s: Span | undefined): boolean => s !== undefined && right.has(s);
  const when = (test: (s: Span) => boolean) => (s: Span): boolean => rooted(s) && test(s);
  switch (rel) {
    case '>':
      return { right: when((r) => inLeft(trace.parent(r))), left: when((l) => trace.children(l).some(inRight)) };
    case '<':
      return { right: when((r) => trace.children(r).some(inLeft)), left: when((l) => inRight(trace.parent(l))) };
    case '>>': {
      const aboveRight = ancestorsOf(trace, right, rooted);
      return { right: when((r) => [...ancestors(trace, r)].some(inLeft)), left: when((l) => aboveRight.has(l)) };
    }
    case '<<': {
      const aboveLeft = ancestorsOf(trace, left, rooted);
      return { right: when((r) => aboveLeft.has(r)), left: when((l) => [...ancestors(trace, l)].some(inRight)) };
    }
    case '~': {
      const leftParents = countByParent(left, rooted);
      const rightParents = countByParent(right, rooted);
      const sibling = (parents: Map<string, number>, side: ReadonlySet<Span>) => (s: Span): boolean => (parents.get(parentKey(s)) ?? 0) - (side.has(s) ? 1 : 0) > 0;
      return { right: when(sibling(leftParents, left)), left: when(sibling(rightParents, right)) };
    }
  }
}

function ancestorsOf(trace: TraceGraph, spans: ReadonlySet<Span>, rooted: (s: Span) => boolean): Set<Span> {
  const out = new Set<Span>();
  for (const s of spans) {
    if (!rooted(s)) continue;
    for (const a of ancestors(trace, s)) {
      if (out.has(a)) break; // the rest of the chain is marked already
      out.add(a);
    }
  }
  return out;
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
