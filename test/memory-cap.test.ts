import { afterEach, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { createSpan, StoreFullError } from '@tracecheck/model';
import { encodeProtobufRequest } from '@tracecheck/otlp';
import { type Receiver, startReceiver, traceServiceDefinition } from '@tracecheck/receiver';
import { exporterFor, providerFor } from './support/otel.js';
import { runSpans, waitForSpans } from './support/receiver-api.js';

// A receiver at its memory cap answers 429 (gRPC: RESOURCE_EXHAUSTED with RetryInfo); exporters retry,
// and once memory is freed (a finished test deletes its run) every span lands: nothing is lost.
//
// The official JS HTTP exporters retry 429 honouring Retry-After. The official JS gRPC exporter
// (0.223) retries no gRPC status at all, so for gRPC this uses a grpc-js client with the retry policy
// the OTLP spec prescribes (RESOURCE_EXHAUSTED is retryable when RetryInfo is present), as the
// Collector's and the Go and Java exporters do. JS services should export over HTTP (README).

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

describe.each(['http/protobuf', 'http/json'] as const)('at the memory cap, the %s exporter', (protocol) => {
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

describe('at the memory cap, a gRPC client following the OTLP retry rules', () => {
  let receiver: Receiver | undefined;
  let client: grpc.Client | undefined;
  afterEach(async () => {
    client?.close();
    await receiver?.stop();
  });

  it('gets RESOURCE_EXHAUSTED, retries, and lands every span once memory is freed', async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0, limits: { maxMemoryBytes: 200_000, retryAfterSeconds: 1 } });
    const filled = fillToCap(receiver);
    const serviceConfig = {
      methodConfig: [
        {
          name: [{ service: 'opentelemetry.proto.collector.trace.v1.TraceService' }],
          retryPolicy: { maxAttempts: 5, initialBackoff: '0.2s', maxBackoff: '1s', backoffMultiplier: 2, retryableStatusCodes: ['RESOURCE_EXHAUSTED'] },
        },
      ],
    };
    const Client = grpc.makeGenericClientConstructor(traceServiceDefinition, 'TraceService');
    client = new Client(receiver.grpcAddress!, grpc.credentials.createInsecure(), { 'grpc.service_config': JSON.stringify(serviceConfig) });
    const spans = Array.from({ length: 10 }, (_, i) =>
      createSpan({ traceId: 'c'.repeat(32), spanId: (i + 1).toString(16).padStart(16, '0'), name: `late ${i}`, attributes: { 'test.run.id': 'late' } }),
    );
    const exported = new Promise<void>((resolve, reject) =>
      (client as unknown as { Export: (req: Buffer, cb: (err: grpc.ServiceError | null) => void) => void }).Export(Buffer.from(encodeProtobufRequest(spans)), (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await runSpans(receiver.httpUrl, 'late')).toEqual([]);
    expect(receiver.store.runSpans('filler')).toHaveLength(filled);
    await fetch(`${receiver.httpUrl}/api/runs/filler`, { method: 'DELETE' });
    await exported;
    expect((await waitForSpans(receiver.httpUrl, 'late', 10)).map((s) => s.name).sort()).toEqual(spans.map((s) => s.name).sort());
  });
});
