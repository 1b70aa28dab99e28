/**
 * The run's trace tree, compact: one line per span, indented under its parent, children by start
 * time; errors marked; spans whose parent never arrived shown as their own roots and said so;
 * bounded in lines, saying how many were left out. HTTP spans that the instrumentation named by
 * their method alone are labelled with their route or path, and for calls out, their peer.
 */
import { type Span, SpanKind } from '@tracecheck/model';
import type { RunGraph, TraceGraph } from './graph.js';
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

function text(span: Span, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = span.attributes.get(key);
    if (v?.type === 'string' && v.value !== '') return v.value;
    if (v?.type === 'int' || v?.type === 'double') return String(v.value);
  }
  return undefined;
}

/** The full URL of the request (`url.full`, formerly `http.url`), if it parses. */
function requestUrl(span: Span): URL | undefined {
  const full = text(span, 'url.full', 'http.url');
  if (full === undefined) return undefined;
  try {
    return new URL(full);
  } catch {
    return undefined;
  }
}

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

function spanLine(span: Span, trace: TraceGraph, depth: number, mark: string | undefined): string {
  const svc = serviceName(span);
  const parts = [`${'  '.repeat(depth)}${truncate(spanLabel(span), 80)}`];
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
