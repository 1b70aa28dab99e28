/**
 * The run's trace tree, compact: one line per span, indented under its parent, children by start
 * time; errors marked; spans whose parent never arrived shown as their own roots and said so;
 * bounded in lines, saying how many were left out.
 */
import type { Span } from '@tracecheck/model';
import type { RunGraph, TraceGraph } from './graph.js';
import { formatNanos, serviceName, truncate } from './summary.js';

export interface TreeOptions {
  /** At most this many lines (default 50). */
  maxLines?: number;
  /** A note after a span's line (`← match`). */
  mark?: (span: Span) => string | undefined;
}

const byStart = (a: Span, b: Span): number => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0);

function spanLine(span: Span, trace: TraceGraph, depth: number, mark: string | undefined): string {
  const svc = serviceName(span);
  const parts = [`${'  '.repeat(depth)}${truncate(span.name, 80)}`];
  if (svc !== undefined) parts.push(`(svc ${svc})`);
  parts.push(formatNanos(span.endTimeUnixNano - span.startTimeUnixNano));
  if (span.status.code === 2) parts.push('✗ error');
  if (trace.isOrphan(span)) parts.push(`[parent ${span.parentSpanId} never arrived]`);
  if (mark !== undefined) parts.push(mark);
  return parts.join(' ');
}

/** Renders the trees of every trace of the run, indented by `indent` spaces. */
export function renderTree(graph: RunGraph, options: TreeOptions = {}, indent = 2): string[] {
  const maxLines = options.maxLines ?? 50;
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let shown = 0;
  const traces = [...graph.traces].sort((a, b) => (a.startNanos < b.startNanos ? -1 : a.startNanos > b.startNanos ? 1 : 0));
  outer: for (const trace of traces) {
    if (lines.length >= maxLines) break;
    lines.push(`${pad}trace ${trace.traceId} (${trace.spans.length} span${trace.spans.length === 1 ? '' : 's'}, ${formatNanos(trace.endNanos - trace.startNanos)})`);
    const tops = trace.spans.filter((s) => trace.parent(s) === undefined).sort(byStart);
    // Spans on a cyclic parent chain have no top; they are shown from the earliest one.
    const rest = [...trace.spans].sort(byStart);
    const seen = new Set<Span>();
    const stack: [Span, number][] = tops.reverse().map((s) => [s, 1]);
    let next = 0;
    for (;;) {
      if (stack.length === 0) {
        while (next < rest.length && seen.has(rest[next]!)) next++;
        if (next === rest.length) break;
        stack.push([rest[next]!, 1]);
      }
      const [span, depth] = stack.pop()!;
      if (seen.has(span)) continue; // a cyclic parent chain is shown once
      seen.add(span);
      if (lines.length >= maxLines) break outer;
      lines.push(pad + spanLine(span, trace, depth, options.mark?.(span)));
      shown++;
      const children = [...trace.children(span)].sort(byStart).reverse();
      for (const c of children) stack.push([c, depth + 1]);
    }
  }
  const hidden = graph.spans.length - shown;
  if (hidden > 0) lines.push(`${pad}… ${hidden} more span${hidden === 1 ? '' : 's'} not shown`);
  return lines;
}
