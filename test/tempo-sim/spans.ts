/**
 * Spans for the Tempo tests, and a tee that exports the same OTLP request to the embedded receiver
 * and to the Tempo simulator (as a Collector fanning out to both would).
 */
import { randomBytes } from 'node:crypto';
import { createResource, createSpan, type Span, type SpanKind } from '@tracecheck/model';
import { encodeProtobufRequest } from '@tracecheck/otlp';

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
/** A trace id with leading zeros, which Tempo's search strips. */
export const zeroLedTraceId = (): string => `0000${hex(14)}`;

const resources = new Map<string, ReturnType<typeof createResource>>();
function resource(service: string, runOnResource?: string): ReturnType<typeof createResource> {
  const key = `${service}/${runOnResource ?? ''}`;
  let r = resources.get(key);
  if (!r) resources.set(key, (r = createResource({ 'service.name': service, ...(runOnResource === undefined ? {} : { 'test.run.id': runOnResource }) })));
  return r;
}

export interface SpanSpec {
  name: string;
  traceId: string;
  spanId?: string;
  parent?: string;
  /** Tag with `test.run.id` on the span. */
  run?: string;
  /** Tag with `test.run.id` on the resource instead. */
  resourceRun?: string;
  service?: string;
  kind?: SpanKind;
  /** Start, ms from now (negative: in the past). */
  atMs?: number;
  durationMs?: number;
  links?: { traceId: string; spanId: string }[];
  attributes?: Record<string, unknown>;
}

export function span(spec: SpanSpec): Span {
  const start = BigInt(Date.now() + (spec.atMs ?? 0)) * 1_000_000n;
  return createSpan({
    traceId: spec.traceId,
    spanId: spec.spanId ?? hex(8),
    ...(spec.parent === undefined ? {} : { parentSpanId: spec.parent }),
    name: spec.name,
    kind: spec.kind ?? 1,
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(Math.round((spec.durationMs ?? 2) * 1e6)),
    attributes: { ...(spec.run === undefined ? {} : { 'test.run.id': spec.run }), ...(spec.attributes ?? {}) },
    ...(spec.links === undefined ? {} : { links: spec.links }),
    resource: resource(spec.service ?? 'svc', spec.resourceRun),
  });
}

/** Exports spans to every OTLP/HTTP endpoint given (the receiver's and the simulator's /v1/traces). */
export async function exportTo(endpoints: readonly string[], spans: readonly Span[], headers: Record<string, string> = {}): Promise<void> {
  const body = encodeProtobufRequest(spans);
  await Promise.all(
    endpoints.map(async (base) => {
      const res = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', ...headers }, body });
      if (!res.ok) throw new Error(`export to ${base} answered ${res.status}: ${await res.text()}`);
    }),
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
