/**
 * Work still in flight in a run: what keeps a settling check from passing although the run is quiet.
 * A quiet window alone says only that nothing arrived lately; the trace graph often says more:
 * - `parent`: a span names a parent that has not arrived. The parent is an operation still open (a job
 *   waiting out a retry's backoff, a request still running): its end, and whatever it does before, is
 *   still to come.
 * - `consumer`: a PRODUCER span whose consumer (a child, or a span linking to it) has not arrived: the
 *   message sits in a queue that a worker has not polled yet. A CLIENT or PRODUCER child is the
 *   producer's own outbound call (the HTTP request that hands the message to a broker over HTTP, as
 *   SQS's or a REST broker's client makes), not its consumer.
 * - `open`: a span that @tracecheck/sdk reported started and not yet ended (see `OpenSpanInfo`), seen
 *   before any of its children is exported.
 * Each reason has a cap, so an uninstrumented consumer or a root span that never ends cannot hold
 * every check until its timeout: past the cap, deciding goes on without it and the verdict says so.
 */
import type { Span } from '@tracecheck/model';
import { SpanKind } from '@tracecheck/model';
import { parentIsExternal } from '../eval/external-parent.js';
import type { RunGraph } from '../eval/graph.js';
import { runSteps, type Steps, worked } from '../eval/steps.js';
import { describeSpanShort } from './describe.js';

export type InFlightKind = 'parent' | 'consumer' | 'open';

/** One thing a settling check waits for. */
export interface InFlightItem {
  readonly kind: InFlightKind;
  /** Stable identity across evaluations: the awaited span (`traceId/spanId`), per kind. */
  readonly key: string;
  /** For people: "the parent of `fulfillment.webhook.send` (svc worker)". */
  readonly description: string;
  /** When the work was first visible (ms since the epoch): the cap counts from here. */
  readonly sinceMs: number;
}

/** A span @tracecheck/sdk reported as started and not yet ended. */
export interface OpenSpanInfo {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly service?: string | undefined;
  /** The span's start, ms since the epoch. */
  readonly startMs: number;
}

/** How long deciding waits for each reason at most, in ms; 0 ignores the reason. */
export interface InFlightCaps {
  readonly parentMs: number;
  readonly consumerMs: number;
  readonly openMs: number;
}

/**
 * Long enough for a retry after a few seconds of backoff, or a worker that polls its queue every
 * second or two; short enough that a check still decides well within the default 10 s timeout.
 */
export const DEFAULT_IN_FLIGHT_CAPS: InFlightCaps = { parentMs: 5000, consumerMs: 5000, openMs: 5000 };

export function capOf(caps: InFlightCaps, kind: InFlightKind): number {
  return kind === 'parent' ? caps.parentMs : kind === 'consumer' ? caps.consumerMs : caps.openMs;
}

export { EXTERNAL_PARENT_TRACESTATE_KEY, parentIsExternal } from '../eval/external-parent.js';

/** Nanoseconds since the epoch to ms, no later than `nowMs` (a clock ahead of ours must not extend a cap). */
function sinceOf(nanos: bigint, nowMs: number): number {
  return Math.min(nowMs, Number(nanos / 1_000_000n));
}

/**
 * What the run shows still in flight, from its graph and the open spans reported for it. Linear in
 * the run's spans and links.
 */
export function findInFlight(graph: RunGraph, open: readonly OpenSpanInfo[], nowMs: number): InFlightItem[] {
  return runSteps(findInFlightSteps(graph, open, nowMs));
}

/** `findInFlight` in steps (eval/steps.ts): it yields between traces. */
export function* findInFlightSteps(graph: RunGraph, open: readonly OpenSpanInfo[], nowMs: number): Steps<InFlightItem[]> {
  const items: InFlightItem[] = [];
  const openById = new Map<string, OpenSpanInfo>();
  for (const o of open) openById.set(`${o.traceId}/${o.spanId}`, o);

  const missingParents = new Map<string, { child: Span; sinceMs: number }>();
  /** Producers with no consuming child: consumed only if a span links to them. */
  const unconsumed: Span[] = [];
  for (const trace of graph.traces) {
    for (const span of trace.spans) {
      // It arrived, so it ended: a report of it open is stale. (Keys are made only when needed: a
      // span's id may have to be formatted to make one.)
      if (openById.size > 0) openById.delete(`${span.traceId}/${span.spanId}`);
      if (trace.isOrphan(span) && !parentIsExternal(span)) {
        const parentKey = `${span.traceId}/${span.parentSpanId}`;
        const since = sinceOf(span.endTimeUnixNano, nowMs);
        const seen = missingParents.get(parentKey);
        if (seen === undefined || since < seen.sinceMs) missingParents.set(parentKey, { child: span, sinceMs: since });
      }
      if (span.kind === SpanKind.PRODUCER && !trace.children(span).some(consumes)) unconsumed.push(span);
    }
    if (worked(trace.spans.length)) yield;
  }
  if (unconsumed.length > 0) {
    // Consumed by a span (often in a new trace) linking to them: the links are read only now.
    const linked = new Set<string>();
    for (const span of graph.spans) {
      for (const link of span.links) linked.add(`${link.traceId}/${link.spanId}`);
      if (worked(1)) yield;
    }
    for (const span of unconsumed) {
      const key = `${span.traceId}/${span.spanId}`;
      if (!linked.has(key)) items.push({ kind: 'consumer', key, description: `the consumer of ${describeSpanShort(span)}`, sinceMs: sinceOf(span.endTimeUnixNano, nowMs) });
    }
  }
  for (const [key, { child, sinceMs }] of missingParents) {
    const reported = openById.get(key);
    if (reported !== undefined) {
      // The SDK told us what the parent is: name it, and count from its start.
      openById.delete(key);
      items.push({ kind: 'open', key, description: `the open span ${describeOpen(reported)}, parent of ${describeSpanShort(child)}`, sinceMs: Math.min(nowMs, reported.startMs) });
    } else {
      items.push({ kind: 'parent', key, description: `the parent of ${describeSpanShort(child)} (span ${key.slice(key.indexOf('/') + 1)})`, sinceMs });
    }
  }
  for (const [key, o] of openById) items.push({ kind: 'open', key, description: `the open span ${describeOpen(o)}`, sinceMs: Math.min(nowMs, o.startMs) });
  return items;
}

/** Whether a child of a producer can be its consumer: not the producer's own outbound call. */
function consumes(child: Span): boolean {
  return child.kind !== SpanKind.CLIENT && child.kind !== SpanKind.PRODUCER;
}

function describeOpen(o: OpenSpanInfo): string {
  return `\`${o.name}\`${o.service === undefined ? '' : ` (svc ${o.service})`}`;
}
