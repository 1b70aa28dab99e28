import type { JsonSpan } from '@tracecheck/model';

/** One row of a trace waterfall: a span, its depth in the tree and its bar relative to the trace. */
export interface WaterfallRow {
  /** Index into the run's spans. */
  readonly index: number;
  readonly depth: number;
  /** The bar's start and width, in percent of the trace's time span. */
  readonly left: number;
  readonly width: number;
  /** Its parent is not in the run (not arrived, or outside the run). */
  readonly orphan: boolean;
}

export interface WaterfallTrace {
  readonly traceId: string;
  readonly startNs: bigint;
  readonly durationNs: bigint;
  readonly spanCount: number;
  /** The rows shown, in tree order (children after their parent, by start time). */
  readonly rows: WaterfallRow[];
}

export interface Waterfall {
  readonly traces: WaterfallTrace[];
  readonly total: number;
  readonly shown: number;
  /** Highlighted spans that did not fit under the cap. */
  readonly highlightsHidden: number;
}

/** Orders span indexes by start time (then arrival), from start times parsed once. */
const byStart = (starts: readonly bigint[]) => (a: number, b: number): number => {
  const d = starts[a]! - starts[b]!;
  return d < 0n ? -1 : d > 0n ? 1 : a - b;
};

/** The trace's spans in tree order with their depths; spans in a parent cycle come last, as roots. */
function treeOrder(spans: readonly JsonSpan[], starts: readonly bigint[], members: readonly number[]): { index: number; depth: number; orphan: boolean }[] {
  const byId = new Map<string, number>();
  for (const i of members) if (!byId.has(spans[i]!.spanId)) byId.set(spans[i]!.spanId, i);
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  for (const i of members) {
    const s = spans[i]!;
    const parent = s.parentSpanId === '' || s.parentSpanId === s.spanId ? undefined : byId.get(s.parentSpanId);
    if (parent === undefined) roots.push(i);
    else {
      const kids = children.get(parent);
      if (kids === undefined) children.set(parent, [i]);
      else kids.push(i);
    }
  }
  const order = byStart(starts);
  const out: { index: number; depth: number; orphan: boolean }[] = [];
  const seen = new Set<number>();
  const walk = (start: number[]): void => {
    const stack = start.sort(order).reverse().map((index) => ({ index, depth: 0 }));
    while (stack.length > 0) {
      const { index, depth } = stack.pop()!;
      if (seen.has(index)) continue;
      seen.add(index);
      out.push({ index, depth, orphan: depth === 0 && spans[index]!.parentSpanId !== '' });
      const kids = (children.get(index) ?? []).sort(order);
      for (let k = kids.length - 1; k >= 0; k--) stack.push({ index: kids[k]!, depth: depth + 1 });
    }
  };
  walk(roots);
  if (seen.size < members.length) walk(members.filter((i) => !seen.has(i)));
  return out;
}

/**
 * Lays a run's spans out as one waterfall per trace (traces by start time), at most `maxRows` rows
 * in all. When the run has more spans than that, traces holding a highlighted span come first.
 */
export function layoutWaterfall(spans: readonly JsonSpan[], highlighted: (s: JsonSpan) => boolean, maxRows: number): Waterfall {
  const starts = spans.map((s) => BigInt(s.startTimeUnixNano));
  const groups = new Map<string, number[]>();
  spans.forEach((s, i) => {
    const g = groups.get(s.traceId);
    if (g === undefined) groups.set(s.traceId, [i]);
    else g.push(i);
  });
  const traces = [...groups].map(([traceId, members]) => {
    let start = starts[members[0]!]!;
    let end = BigInt(spans[members[0]!]!.endTimeUnixNano);
    for (const i of members) {
      const s = starts[i]!;
      const e = BigInt(spans[i]!.endTimeUnixNano);
      if (s < start) start = s;
      if (e > end) end = e;
    }
    return { traceId, members, start, end, hot: members.some((i) => highlighted(spans[i]!)) };
  });
  traces.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  if (spans.length > maxRows) traces.sort((a, b) => Number(b.hot) - Number(a.hot));
  const out: WaterfallTrace[] = [];
  let shown = 0;
  for (const t of traces) {
    if (shown >= maxRows) break;
    const duration = t.end - t.start;
    const pct = (ns: bigint): number => (duration > 0n ? Math.min(100, Math.max(0, (Number(ns) / Number(duration)) * 100)) : 0);
    const rows = treeOrder(spans, starts, t.members)
      .slice(0, maxRows - shown)
      .map(({ index, depth, orphan }): WaterfallRow => {
        const s = spans[index]!;
        const begin = starts[index]! - t.start;
        return { index, depth, orphan, left: pct(begin), width: duration > 0n ? pct(BigInt(s.endTimeUnixNano) - starts[index]!) : 100 };
      });
    shown += rows.length;
    out.push({ traceId: t.traceId, startNs: t.start, durationNs: duration, spanCount: t.members.length, rows });
  }
  const shownIdx = new Set(out.flatMap((t) => t.rows.map((r) => r.index)));
  const highlightsHidden = shown === spans.length ? 0 : spans.filter((s, i) => !shownIdx.has(i) && highlighted(s)).length;
  return { traces: out, total: spans.length, shown, highlightsHidden };
}
