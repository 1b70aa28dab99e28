/**
 * The run's trace tree, compact: one line per span, indented under its parent, children by start
 * time; errors marked; spans whose parent never arrived shown as their own roots and said so;
 * bounded in lines, saying how many were left out. HTTP spans that the instrumentation named by
 * their method alone are labelled with their route or path, and for calls out, their peer.
 */
import { type Span, SpanKind } from '@tracecheck/model';
import { parentIsExternal } from './external-parent.js';
import type { RunGraph, TraceGraph } from './graph.js';
import { attributeText as text, requestUrl } from './span-text.js';
import { formatNanos, serviceName, truncate } from './summary.js';

export interface TreeOptions {
  /** At most this many lines (default 50). */
  maxLines?: number;
  /** A note after a span's line (`← match`). */
  mark?: (span: Span) => string | undefined;
}

const byStart = (a: Span, b: Span): number => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0);

// OpenTelemetry's HTTP semantic conventions name a span by its method only (`POST`) unless a
// low-cardinality route is known, and `HTTP` when the method is not a standard one; older
// instrumentations used `HTTP POST`. A tree of five `POST` lines says nothing about which call is
// which, so such names are replaced by what the attributes say, in current or older conventions.
const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/** A request target without its query and fragment: those carry ids, tokens and noise. */
function pathOf(target: string | undefined): string | undefined {
  return target?.split(/[?#]/, 1)[0] || undefined;
}

/** The method, when the span's name is the method alone or the generic `HTTP` name. */
function bareMethod(span: Span): string | undefined {
  const attr = text(span, 'http.request.method', 'http.method');
  if (attr === undefined) return undefined;
  const method = attr === '_OTHER' ? (text(span, 'http.request.method_original') ?? 'HTTP') : attr;
  const { name } = span;
  const bare = name === attr || name === method || name === 'HTTP' || name === `HTTP ${method}` || HTTP_METHODS.has(name);
  return bare ? method : undefined;
}

/** `host:port` of the server a client span called; a port the scheme implies is left out. */
function peerOf(span: Span, url: URL | undefined): string | undefined {
  let host = text(span, 'server.address', 'net.peer.name') ?? url?.hostname;
  if (host === undefined) return undefined;
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  const port = text(span, 'server.port', 'net.peer.port') ?? url?.port;
  const scheme = text(span, 'url.scheme', 'http.scheme') ?? url?.protocol.slice(0, -1);
  return port === undefined || port === '' || (scheme !== undefined && DEFAULT_PORTS[scheme] === port) ? host : `${host}:${port}`;
}

/**
 * `POST /signup` for a span serving a request (its route, else its path), `POST → crm:3102/leads`
 * for a call out; the span's own name for anything else, or when the attributes say too little.
 */
function spanLabel(span: Span): string {
  const method = bareMethod(span);
  if (method === undefined) return span.name;
  if (span.kind === SpanKind.CLIENT) {
    const url = requestUrl(span);
    const path = url?.pathname ?? pathOf(text(span, 'url.path', 'http.target'));
    const peer = peerOf(span, url);
    if (peer !== undefined) return `${method} → ${peer}${path === '/' ? '' : (path ?? '')}`;
    return path === undefined ? span.name : `${method} ${path}`;
  }
  const route = text(span, 'http.route') ?? pathOf(text(span, 'url.path', 'http.target')) ?? requestUrl(span)?.pathname;
  return route === undefined ? span.name : `${method} ${route}`;
}

/** One line of the tree, as data: what the renderer (or an HTML report) shows of a span. */
export interface TreeRow {
  readonly traceId: string;
  readonly spanId: string;
  /** Nesting under the trace line (1 for a top span). */
  readonly depth: number;
  /** The span's name, or for an HTTP span named by its method alone, its route, path or peer. */
  readonly label: string;
  readonly service?: string;
  readonly durationNanos: string;
  readonly error: boolean;
  /** The parent span id that never arrived, for a span shown as a root because of it. */
  readonly missingParent?: string;
  /** A note after the line (`← match`). */
  readonly mark?: string;
}

/** One trace of the tree. */
export interface TreeTrace {
  readonly traceId: string;
  readonly spanCount: number;
  readonly durationNanos: string;
  readonly rows: readonly TreeRow[];
}

/** The run's trace tree as data: its traces and rows, and how many spans did not fit. */
export interface TraceTree {
  readonly spanCount: number;
  readonly traceCount: number;
  readonly traces: readonly TreeTrace[];
  /** Spans left out to stay within the line budget. */
  readonly hidden: number;
}

function spanRow(span: Span, trace: TraceGraph, depth: number, mark: string | undefined): TreeRow {
  const svc = serviceName(span);
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    depth,
    label: spanLabel(span),
    ...(svc === undefined ? {} : { service: svc }),
    durationNanos: (span.endTimeUnixNano - span.startTimeUnixNano).toString(),
    error: span.status.code === 2,
    // The parent a test invented (tracestate tracecheck=<id>) is not missing: the span is the root.
    ...(trace.isOrphan(span) && !parentIsExternal(span) ? { missingParent: span.parentSpanId } : {}),
    ...(mark === undefined ? {} : { mark }),
  };
}

/** The trees of every trace of the run, within `maxLines` lines (a trace's own line counts). */
/**
 * The `n` earliest-starting traces, by start (ties in graph order). Each shown trace takes a line,
 * so no more can be shown: a run of 100,000 traces is not sorted whole for a 50-line tree.
 */
function earliestTraces(traces: readonly TraceGraph[], n: number): TraceGraph[] {
  if (n > 256 || n >= traces.length) {
    const keyed = traces.map((trace) => ({ trace, start: trace.startNanos }));
    return keyed.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)).slice(0, n).map((k) => k.trace);
  }
  const kept: { trace: TraceGraph; start: bigint }[] = [];
  for (const trace of traces) {
    const start = trace.startNanos;
    if (kept.length >= n && start >= kept[kept.length - 1]!.start) continue;
    let at = kept.length;
    while (at > 0 && kept[at - 1]!.start > start) at--;
    kept.splice(at, 0, { trace, start });
    if (kept.length > n) kept.pop();
  }
  return kept.map((k) => k.trace);
}

export function buildTree(graph: RunGraph, options: TreeOptions = {}): TraceTree {
  const maxLines = options.maxLines ?? 50;
  const traces: TreeTrace[] = [];
  let lines = 0;
  let shown = 0;
  const sorted = earliestTraces(graph.traces, maxLines);
  outer: for (const trace of sorted) {
    if (lines >= maxLines) break;
    const rows: TreeRow[] = [];
    traces.push({ traceId: trace.traceId, spanCount: trace.spans.length, durationNanos: (trace.endNanos - trace.startNanos).toString(), rows });
    lines++;
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
      if (lines >= maxLines) break outer;
      rows.push(spanRow(span, trace, depth, options.mark?.(span)));
      lines++;
      shown++;
      const children = [...trace.children(span)].sort(byStart).reverse();
      for (const c of children) stack.push([c, depth + 1]);
    }
  }
  return { spanCount: graph.spans.length, traceCount: graph.traces.length, traces, hidden: graph.spans.length - shown };
}

/** How the text renderer styles a tree line's parts; identity by default (a terminal adds colours). */
export interface TreeStyle {
  readonly dim?: (text: string) => string;
  readonly error?: (text: string) => string;
  readonly mark?: (text: string) => string;
}

const plain = (t: string): string => t;

/** The tree as text lines, indented by `indent` spaces. */
export function renderTreeData(tree: TraceTree, indent = 2, style: TreeStyle = {}): string[] {
  const pad = ' '.repeat(indent);
  const dim = style.dim ?? plain;
  const lines: string[] = [];
  for (const t of tree.traces) {
    lines.push(`${pad}${dim(`trace ${t.traceId} (${t.spanCount} span${t.spanCount === 1 ? '' : 's'}, ${formatNanos(BigInt(t.durationNanos))})`)}`);
    for (const r of t.rows) {
      const parts = [`${'  '.repeat(r.depth)}${truncate(r.label, 80)}`];
      if (r.service !== undefined) parts.push(dim(`(svc ${r.service})`));
      parts.push(formatNanos(BigInt(r.durationNanos)));
      if (r.error) parts.push((style.error ?? plain)('✗ error'));
      if (r.missingParent !== undefined) parts.push(dim(`[parent ${r.missingParent} never arrived]`));
      if (r.mark !== undefined) parts.push((style.mark ?? plain)(r.mark));
      lines.push(pad + parts.join(' '));
    }
  }
  if (tree.hidden > 0) lines.push(`${pad}… ${tree.hidden} more span${tree.hidden === 1 ? '' : 's'} not shown`);
  return lines;
}

/** Renders the trees of every trace of the run, indented by `indent` spaces. */
export function renderTree(graph: RunGraph, options: TreeOptions = {}, indent = 2): string[] {
  return renderTreeData(buildTree(graph, options), indent);
}
