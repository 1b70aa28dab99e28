/**
 * Which spans are effects, what the outside world saw of each. An effect is what a workflow did to
 * the outside world:
 * - a span of @tracecheck/sdk's `effect()` or `produce()` (CLIENT or PRODUCER kind, the SDK's
 *   instrumentation scope), or any span carrying `effect.payload`;
 * - an outbound CLIENT or PRODUCER span of an auto-instrumented call (HTTP, a database, a broker)
 *   that is not inside an effect already (the fetch an `effect()` wraps is that effect's call), is
 *   not received by one of our own instrumented services (a SERVER or CONSUMER span under it: a
 *   call inside the system under test), and is not a read (GET, HEAD, OPTIONS, TRACE).
 * Each instance is described without anything volatile: no ids, times, durations or ports, and a path
 * with its ids replaced (`/orders/:id`).
 */
import { PAYLOAD_ATTRIBUTE, type Span, SpanKind } from '@tracecheck/model';
import type { RunGraph, TraceGraph } from '../eval/graph.js';
import { serviceName } from '../eval/summary.js';
import { attributeText as text, requestUrl } from '../eval/span-text.js';
import { attributeValue } from '../eval/value.js';

/** The SDK's instrumentation scope name (its tracer). */
export const SDK_SCOPE = '@tracecheck/sdk';

/** One effect span and what a snapshot records of it. */
export interface EffectInstance {
  readonly span: Span;
  /** Effect name: the span's name, or for an HTTP call named by its method, `POST host/path`. */
  readonly name: string;
  readonly service: string;
  /** `POST 127.0.0.1/hooks/:id → 202`, from the span or the HTTP call under it; undefined when none. */
  readonly call: string | undefined;
  /** `error` when the span's status says so. */
  readonly error: boolean;
  /** The payload, parsed; undefined without one (or when it is not JSON). */
  readonly payload: unknown;
  /** Whether a payload attribute was present (even if not JSON, or cut at the SDK's cap). */
  readonly hasPayload: boolean;
  /** Attributes asked for by name, as text. */
  readonly attributes: ReadonlyMap<string, string>;
}

/** A path without query, fragment, or the segments that are ids (numbers, uuids, long hex, tokens). */
export function normalizePath(path: string): string {
  const clean = path.split(/[?#]/, 1)[0] ?? '';
  return clean
    .split('/')
    .map((seg) => (/^\d+$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f]{16,}$|^[A-Za-z]+_[A-Za-z0-9]{6,}$|^(?=.*\d)[A-Za-z0-9-]{20,}$/i.test(seg) ? ':id' : seg))
    .join('/');
}

/** An HTTP call: `POST 127.0.0.1/hooks/:id` (no port: ports change run to run) and its status. */
export function httpRequest(span: Span): { request: string; status: string | undefined } | undefined {
  const method = text(span, 'http.request.method', 'http.method');
  if (method === undefined) return undefined;
  const url = requestUrl(span);
  const host = text(span, 'server.address', 'net.peer.name') ?? url?.hostname ?? '';
  const route = text(span, 'http.route') ?? (url === undefined ? text(span, 'url.path', 'http.target') : url.pathname);
  return { request: `${method} ${host}${route === undefined ? '' : normalizePath(route)}`, status: text(span, 'http.response.status_code', 'http.status_code') };
}

/** `POST 127.0.0.1/hooks/:id → 202` for an HTTP span; undefined for anything else. */
export function httpCall(span: Span): string | undefined {
  const http = httpRequest(span);
  return http === undefined ? undefined : `${http.request}${http.status === undefined ? '' : ` → ${http.status}`}`;
}

const outbound = (s: Span): boolean => s.kind === SpanKind.CLIENT || s.kind === SpanKind.PRODUCER;

/** An effect span of the SDK (or any span carrying a payload). */
function isDeclaredEffect(s: Span): boolean {
  return s.attributes.has(PAYLOAD_ATTRIBUTE) || (outbound(s) && s.scope.name === SDK_SCOPE);
}

/** True when a proper ancestor of the span in its trace is a declared effect. */
function insideEffect(span: Span, trace: TraceGraph): boolean {
  let p = trace.parent(span);
  for (let i = 0; p !== undefined && i < trace.spans.length; i++) {
    if (isDeclaredEffect(p)) return true;
    p = trace.parent(p);
  }
  return false;
}

/**
 * The first HTTP client call under an effect span (what `effect()` wrapped), if any. Only the
 * effect's own work is searched: not other effects, nor what another process did with a message
 * (a consumer continuing the producer's trace), nor a server handling the call.
 */
function callUnder(span: Span, trace: TraceGraph): string | undefined {
  const own = (s: Span): boolean => s.kind !== SpanKind.CONSUMER && s.kind !== SpanKind.SERVER && !isDeclaredEffect(s) && serviceName(s) === serviceName(span);
  const queue = trace.children(span).filter(own);
  for (let i = 0; i < queue.length && i < 1000; i++) {
    const s = queue[i]!;
    const call = s.kind === SpanKind.CLIENT ? httpCall(s) : undefined;
    if (call !== undefined) return call;
    queue.push(...trace.children(s).filter(own));
  }
  return undefined;
}

function payloadOf(span: Span): { has: boolean; value: unknown } {
  const v = attributeValue(span.attributes.get(PAYLOAD_ATTRIBUTE));
  if (v === undefined) return { has: false, value: undefined };
  if (v.type !== 'string') return { has: true, value: undefined };
  try {
    return { has: true, value: JSON.parse(v.value) };
  } catch {
    return { has: true, value: undefined };
  }
}

/** Methods that read: a call with one changes nothing outside (RFC 9110's safe methods). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * An auto-instrumented call that is not an effect on the outside world: one our own instrumented
 * service received (a SERVER span under it: web → API inside the system under test), or a read.
 */
function internalOrRead(span: Span, trace: TraceGraph): boolean {
  if (trace.children(span).some((c) => c.kind === SpanKind.SERVER || c.kind === SpanKind.CONSUMER)) return true;
  const method = text(span, 'http.request.method', 'http.method');
  return method !== undefined && SAFE_METHODS.has(method.toUpperCase());
}

/** The effect instances of a run, with the attributes asked for. */
export function findEffects(graph: RunGraph, attributeKeys: readonly string[]): EffectInstance[] {
  const out: EffectInstance[] = [];
  for (const trace of graph.traces) {
    for (const span of trace.spans) {
      const declared = isDeclaredEffect(span);
      if (!declared && !(outbound(span) && !insideEffect(span, trace) && !internalOrRead(span, trace))) continue;
      const http = httpRequest(span);
      const bareHttp = !declared && http !== undefined;
      const payload = payloadOf(span);
      const attributes = new Map<string, string>();
      for (const key of attributeKeys) {
        const v = text(span, key);
        if (v !== undefined) attributes.set(key, v);
      }
      out.push({
        span,
        // An HTTP call named by its method alone is named by its request; its status is its call.
        name: bareHttp ? http.request : span.name,
        service: serviceName(span) ?? 'unknown',
        call: bareHttp ? (http.status === undefined ? undefined : `→ ${http.status}`) : (httpCall(span) ?? callUnder(span, trace)),
        error: span.status.code === 2,
        payload: payload.value,
        hasPayload: payload.has,
        attributes,
      });
    }
  }
  return out;
}
