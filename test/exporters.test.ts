import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonSpan, Span } from '@tracecheck/model';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { emitRichTrace, exporterFor, protocols, providerFor } from './support/otel.js';
import { waitForSpans } from './support/receiver-api.js';

// The official OpenTelemetry JS exporters, over real sockets, into a running receiver.

const attr = (span: JsonSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;

describe.each(protocols)('the official %s exporter', (protocol) => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  });
  afterAll(() => receiver.stop());

  it('lands every span with attribute types, events, links, status and resource intact', async () => {
    const provider = providerFor([exporterFor(protocol, receiver)], { 'service.name': 'checkout', 'deployment.environment': 'ci', 'host.cores': 2 });
    const linkTarget = { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8) };
    const ids = emitRichTrace(provider, `run-${protocol}`, { context: { ...linkTarget, traceFlags: 1 }, attributes: { 'messaging.system': 'memory' } });
    await provider.forceFlush();
    await provider.shutdown();

    const spans = await waitForSpans(receiver.httpUrl, `run-${protocol}`, 2);
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
  });
});

describe('one span sent three ways', () => {
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) receivers.push(await startReceiver({ httpPort: 0, grpcPort: 0 }));
  });
  afterAll(() => Promise.all(receivers.map((r) => r.stop())));

  it('decodes to the same model span from protobuf, JSON and gRPC', async () => {
    const provider = providerFor(protocols.map((p, i) => exporterFor(p, receivers[i]!)));
    emitRichTrace(provider, 'same-span', { context: { traceId: 'ef'.repeat(16), spanId: '12'.repeat(8), traceFlags: 1 } });
    await provider.forceFlush();
    await provider.shutdown();
    await Promise.all(receivers.map((r) => waitForSpans(r.httpUrl, 'same-span', 2)));

    const byProtocol = receivers.map((r) =>
      r.store
        .runSpans('same-span')
        .slice()
        .sort((a: Span, b: Span) => a.name.localeCompare(b.name)),
    );
    expect(byProtocol[0]).toHaveLength(2);
    expect(byProtocol[1]).toEqual(byProtocol[0]);
    expect(byProtocol[2]).toEqual(byProtocol[0]);
  });
});
