/**
 * Short descriptions of spans for verdicts: one line of text (name, service, the attributes the
 * assertion is about, duration, when, ids) and a JSON form for the HTTP API.
 */
import type { JsonKeyValue, Span } from '@tracecheck/model';
import { attributesFromJson, attributesToJson } from '@tracecheck/model';
import type { Assertion, Expr, Selection } from '../ast.js';
import { STATUS_NAMES, KIND_NAMES, attributeValue, formatValue } from './value.js';

/** A span as the check API reports it: ids, name, service, times as decimal-string ns, attributes typed. */
export interface SpanSummary {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string | undefined;
  kind: string;
  status: string;
  statusMessage: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationNanos: string;
  attributes: JsonKeyValue[];
}

export function summarizeSpan(span: Span): SpanSummary {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    service: serviceName(span),
    kind: KIND_NAMES[span.kind] ?? 'unspecified',
    status: STATUS_NAMES[span.status.code] ?? 'unset',
    statusMessage: span.status.message,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    durationNanos: (span.endTimeUnixNano - span.startTimeUnixNano).toString(),
    attributes: attributesToJson(span.attributes),
  };
}

export function serviceName(span: Span): string | undefined {
  const v = attributeValue(span.resource.attributes.get('service.name'));
  return v?.type === 'string' ? v.value : undefined;
}

/** Nanoseconds for people: `850ns`, `12.5µs`, `3.2ms`, `1.25s`, `2m5s`. */
export function formatNanos(ns: bigint): string {
  const sign = ns < 0n ? '-' : '';
  const abs = ns < 0n ? -ns : ns;
  const n = Number(abs);
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${trim(n / 1e3)}µs`;
  if (n < 1e9) return `${sign}${trim(n / 1e6)}ms`;
  if (n < 60e9) return `${sign}${trim(n / 1e9, 2)}s`;
  const minutes = Math.floor(n / 60e9);
  return `${sign}${minutes}m${Math.round((n - minutes * 60e9) / 1e9)}s`;
}

function trim(x: number, digits = 1): string {
  return x.toFixed(digits).replace(/\.?0+$/, '');
}

/** Span attribute keys an assertion mentions (`span.x`, `.x`), worth showing next to each span. */
export function mentionedAttributes(ast: Assertion): string[] {
  const keys = new Set<string>();
  const inExpr = (e: Expr): void => {
    if (e.type === 'attribute' && (e.scope === 'span' || e.scope === 'unscoped')) keys.add(e.name);
    if (e.type === 'binary') {
      inExpr(e.left);
      inExpr(e.right);
    }
    if (e.type === 'unary') inExpr(e.operand);
  };
  const inSelection = (s: Selection): void => {
    if (s.type === 'filter') {
      if (s.expr !== null) inExpr(s.expr);
      return;
    }
    inSelection(s.left);
    inSelection(s.right);
  };
  inSelection(ast.selection);
  for (const c of ast.clauses) if (c.type !== 'within') inSelection(c.selection);
  return [...keys];
}

/**
 * One line: `stripe.refund.create (svc payments) amount=250 12ms at +35ms · trace 4bf92f35… span 00f067aa0ba902b7`.
 * `runStart` dates the span within the run; `keys` are the attributes to show when present.
 */
export function describeSpan(span: Span, runStart: bigint, keys: readonly string[]): string {
  const parts = [span.name];
  const svc = serviceName(span);
  if (svc !== undefined) parts.push(`(svc ${svc})`);
  for (const k of keys) {
    const v = attributeValue(span.attributes.get(k));
    if (v !== undefined) parts.push(`${k}=${truncate(formatValue(v), 60)}`);
  }
  if (span.status.code === 2) parts.push(span.status.message === '' ? 'status=error' : `status=error(${truncate(JSON.stringify(span.status.message), 60)})`);
  parts.push(formatNanos(span.endTimeUnixNano - span.startTimeUnixNano), `at +${formatNanos(span.startTimeUnixNano - runStart)}`);
  return `${parts.join(' ')} · trace ${shortTraceId(span.traceId)} span ${span.spanId}`;
}

/** A trace id short enough to read and long enough to find: leading zeros dropped (as Tempo shows them), 8 digits. */
export function shortTraceId(traceId: string): string {
  const t = traceId.replace(/^0+(?=.)/, '');
  return t.length > 8 ? `${t.slice(0, 8)}…` : t;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `describeSpan` for a span summary (the verdict's data form): the same line. */
export function describeSpanSummary(span: SpanSummary, runStart: bigint, keys: readonly string[]): string {
  const parts = [span.name];
  if (span.service !== undefined) parts.push(`(svc ${span.service})`);
  if (keys.length > 0) {
    const attrs = attributesFromJson(span.attributes);
    for (const k of keys) {
      const v = attributeValue(attrs.get(k));
      if (v !== undefined) parts.push(`${k}=${truncate(formatValue(v), 60)}`);
    }
  }
  if (span.status === 'error') parts.push(span.statusMessage === '' ? 'status=error' : `status=error(${truncate(JSON.stringify(span.statusMessage), 60)})`);
  parts.push(formatNanos(BigInt(span.durationNanos)), `at +${formatNanos(BigInt(span.startTimeUnixNano) - runStart)}`);
  return `${parts.join(' ')} · trace ${shortTraceId(span.traceId)} span ${span.spanId}`;
}
