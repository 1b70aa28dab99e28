import type { JsonSpan } from '@tracecheck/model';
import { expect } from 'vitest';
import { attr, serviceOf } from './sdk-services.js';

// What the three-service scenario (A -> B over HTTP, A -> queue -> worker C -> payment via
// effect()) must show at the receiver, on whichever OpenTelemetry line the services run.

/** A: server, fetch to B, send orders; B: server; C: process orders, payment.charge, fetch to payment. */
export const SPANS_PER_RUN = 7;
const SPAN_KIND = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };

/** Every span of one run: tagged by the SDK in its service, the consumer linked to the producer, one trace. */
export function expectScenarioRun(runId: string, spans: readonly JsonSpan[]): void {
  const describeSpan = (s: JsonSpan) => `${String(serviceOf(s))} ${s.name} -> ${String(attr(s.attributes, 'test.run.id'))}`;
  // Tagged by the SDK in each service, not just inherited by the receiver.
  expect(spans.map(describeSpan).sort()).toEqual(
    [
      `service-a POST -> ${runId}`,
      `service-a POST -> ${runId}`,
      `service-a send orders -> ${runId}`,
      `service-b POST -> ${runId}`,
      `worker-c process orders -> ${runId}`,
      `worker-c payment.charge -> ${runId}`,
      `worker-c POST -> ${runId}`,
    ].sort(),
  );
  const producer = spans.find((s) => s.kind === SPAN_KIND.PRODUCER)!;
  const consumer = spans.find((s) => s.kind === SPAN_KIND.CONSUMER)!;
  expect(consumer.links.map((l) => [l.traceId, l.spanId])).toEqual([[producer.traceId, producer.spanId]]);
  const charge = spans.find((s) => s.name === 'payment.charge')!;
  expect(charge.kind).toBe(SPAN_KIND.CLIENT);
  expect(charge.status.code).toBe(1);
  expect(attr(charge.attributes, 'charge.id')).toMatch(/^ch_\d$/);
  expect(charge.parentSpanId).toBe(consumer.spanId);
  // One trace per run: B's server span is a child of A's fetch, C continues A's trace.
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
}

/** The secrets the worker sent in clear appear nowhere at the receiver; the payload keeps its keys. */
export function expectSecretsMasked(spans: readonly JsonSpan[]): void {
  const everything = JSON.stringify(spans);
  for (const secret of ['4242 4242 4242 4242', '4242424242424242', 'hunter2', 'tok_live_abcdef123456']) expect(everything).not.toContain(secret);
  const charge = spans.find((s) => s.name === 'payment.charge')!;
  // Masked in place: every key is still there.
  expect(JSON.parse(attr(charge.attributes, 'effect.payload') as string)).toEqual({
    amount: 2500,
    currency: 'EUR',
    card: '****4242',
    password: '[REDACTED]',
    headers: { authorization: '[REDACTED]' },
  });
}
