import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainSpan, type Span } from '@tracecheck/model';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { emitRichTrace, exporterFor, protocols, providerFor } from './support/otel.js';
import { waitForSpans } from './support/receiver-api.js';
import { expectRichTrace } from './support/rich-trace.js';

// The official OpenTelemetry JS exporters, over real sockets, into a running receiver.


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
    expectRichTrace(spans, ids, linkTarget);
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
        .map(plainSpan)
        .sort((a: Span, b: Span) => a.name.localeCompare(b.name)),
    );
    expect(byProtocol[0]).toHaveLength(2);
    expect(byProtocol[1]).toEqual(byProtocol[0]);
    expect(byProtocol[2]).toEqual(byProtocol[0]);
  });
});
