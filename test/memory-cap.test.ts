import { afterEach, describe, expect, it } from 'vitest';
import { createSpan, StoreFullError } from '@tracecheck/model';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { exporterFor, providerFor } from './support/otel.js';
import { runSpans, waitForSpans } from './support/receiver-api.js';

// A receiver at its memory cap answers 429 / RESOURCE_EXHAUSTED; the official exporters retry, and
// once memory is freed (a finished test deletes its run) every span lands: nothing accepted is lost.

function fillToCap(receiver: Receiver): number {
  let n = 0;
  for (;;) {
    const span = createSpan({ traceId: 'f'.repeat(32), spanId: (++n).toString(16).padStart(16, '0'), name: 'filler', attributes: { 'test.run.id': 'filler' } });
    try {
      receiver.store.add([span]);
    } catch (e) {
      if (e instanceof StoreFullError) return n - 1;
      throw e;
    }
  }
}

describe.each(['http/protobuf', 'http/json', 'grpc'] as const)('at the memory cap, the %s exporter', (protocol) => {
  let receiver: Receiver | undefined;
  afterEach(() => receiver?.stop());

  it('retries after being refused and lands every span once memory is freed', async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0, limits: { maxMemoryBytes: 200_000, retryAfterSeconds: 1 } });
    const filled = fillToCap(receiver);
    expect(filled).toBeGreaterThan(10);

    const provider = providerFor([exporterFor(protocol, receiver)]);
    const tracer = provider.getTracer('cap');
    for (let i = 0; i < 10; i++) tracer.startSpan(`late ${i}`, { attributes: { 'test.run.id': 'late' } }).end();
    const flushed = provider.forceFlush();

    // The first attempt is refused: nothing of it is stored.
    await new Promise((r) => setTimeout(r, 300));
    expect(await runSpans(receiver.httpUrl, 'late')).toEqual([]);
    expect(receiver.store.runSpans('filler')).toHaveLength(filled);

    const del = await fetch(`${receiver.httpUrl}/api/runs/filler`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    await flushed;
    await provider.shutdown();
    const spans = await waitForSpans(receiver.httpUrl, 'late', 10);
    expect(spans.map((s) => s.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `late ${i}`).sort());
  });
});
