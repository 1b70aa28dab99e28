import type { JsonSpan } from '@tracecheck/model';
import { expect } from 'vitest';

// What the rich trace (support/otel.ts emitRichTrace, examples/otel-v3/send-rich-trace.mjs) must look
// like at the receiver, whichever exporter and OpenTelemetry line sent it.

const attr = (span: JsonSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;

/** The two spans arrived with ids, attribute types, events, links, status, resource and scope intact. */
export function expectRichTrace(spans: readonly JsonSpan[], ids: { traceId: string; spanId: string; rootSpanId: string }, linkTarget: { traceId: string; spanId: string }): void {
  expect(spans.map((s) => s.name).sort()).toEqual(['POST /refunds', 'stripe.refund.create']);
  const child = spans.find((s) => s.name === 'stripe.refund.create')!;
  expect(child.traceId).toBe(ids.traceId);
  expect(child.spanId).toBe(ids.spanId);
  expect(child.parentSpanId).toBe(ids.rootSpanId);
  expect(child.kind).toBe(3);
  expect(attr(child, 'amount')).toEqual({ intValue: '2500' });
  expect(attr(child, 'ratio')).toEqual({ doubleValue: 0.25 });
  expect(attr(child, 'currency')).toEqual({ stringValue: 'EUR' });
  expect(attr(child, 'captured')).toEqual({ boolValue: true });
  expect(attr(child, 'big')).toEqual({ intValue: '9007199254740991' });
  expect(attr(child, 'tags')).toEqual({ arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } });
  expect(attr(child, 'codes')).toEqual({ arrayValue: { values: [{ intValue: '1' }, { intValue: '2' }, { intValue: '3' }] } });
  expect(attr(child, 'flags')).toEqual({ arrayValue: { values: [{ boolValue: true }, { boolValue: false }] } });
  expect(child.events).toEqual([
    {
      timeUnixNano: expect.stringMatching(/^\d{19}$/),
      name: 'retry',
      attributes: [
        { key: 'attempt', value: { intValue: '2' } },
        { key: 'reason', value: { stringValue: 'timeout' } },
      ],
      droppedAttributesCount: 0,
    },
  ]);
  expect(child.links).toEqual([
    { ...linkTarget, traceState: '', attributes: [{ key: 'messaging.system', value: { stringValue: 'memory' } }], droppedAttributesCount: 0, flags: expect.any(Number) },
  ]);
  expect(child.status).toEqual({ code: 2, message: 'card declined' });
  expect(BigInt(child.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(child.startTimeUnixNano));
  const resource = Object.fromEntries(child.resource.attributes.map((a) => [a.key, a.value]));
  expect(resource['service.name']).toEqual({ stringValue: 'checkout' });
  expect(resource['deployment.environment']).toEqual({ stringValue: 'ci' });
  expect(resource['host.cores']).toEqual({ intValue: '2' });
  expect(child.scope).toMatchObject({ name: 'tracecheck-e2e', version: '1.2.3' });
}
