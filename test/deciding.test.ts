import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TracecheckClient } from '@tracecheck/client';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { exporterFor, providerFor } from './support/otel.js';

// Deciding end to end: spans from the official exporter arrive while a check waits on the receiver.

describe('deciding while spans arrive', () => {
  let receiver: Receiver;
  let client: TracecheckClient;
  beforeAll(async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
    client = new TracecheckClient({ url: receiver.httpUrl });
  });
  afterAll(() => receiver.stop());

  function emitter(runId: string) {
    const provider = providerFor([exporterFor('http/protobuf', receiver)]);
    const tracer = provider.getTracer('deciding');
    return {
      emit: async (name: string) => {
        tracer.startSpan(name, { attributes: { 'test.run.id': runId } }).end();
        await provider.forceFlush();
      },
      close: () => provider.shutdown(),
    };
  }
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('passes a positive check as soon as its span arrives, without waiting for the settle window', async () => {
    const run = emitter('d-positive');
    await run.emit('refund.requested');
    const verdict = client.check('d-positive', 'some "stripe.refund.create"', { timeoutMs: 20_000, settleMs: 10_000 });
    await sleep(100);
    await run.emit('stripe.refund.create');
    const v = await verdict;
    await run.close();
    expect(v).toMatchObject({ pass: true, reason: 'held' });
    expect(v.waitedMs).toBeLessThan(10_000); // it did not sit out the settle window
  });

  it('catches with exactly 1 a duplicate that arrives after the first match, within the settle window', async () => {
    const run = emitter('d-dup');
    await run.emit('warehouse.webhook');
    const verdict = client.check('d-dup', 'exactly 1 "warehouse.webhook"', { timeoutMs: 5_000, settleMs: 1_000 });
    await sleep(200);
    await run.emit('warehouse.webhook');
    const v = await verdict;
    await run.close();
    expect(v).toMatchObject({ pass: false, reason: 'hopeless' });
    expect(v.message).toMatch(/Received: 2 matching spans/);
  });

  it('never passes `no` before the run has been quiet for the settle window', async () => {
    const run = emitter('d-no');
    await run.emit('POST /subscriptions/cancel');
    const started = Date.now();
    const verdict = client.check('d-no', 'no "charge"', { timeoutMs: 10_000, settleMs: 400 });
    let lastArrival = 0;
    for (let i = 0; i < 4; i++) {
      await sleep(150);
      await run.emit('audit.log');
      lastArrival = Date.now();
    }
    const v = await verdict;
    await run.close();
    expect(v).toMatchObject({ pass: true, reason: 'settled' });
    // It kept waiting while spans arrived: the verdict came well after the last (a settle window, less the
    // response time the client saw after the receiver stored it).
    expect(started + v.waitedMs).toBeGreaterThanOrEqual(lastArrival + 200);
  });
});
