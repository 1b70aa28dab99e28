import { context, propagation, SpanKind } from '@opentelemetry/api';
import type { JsonSpan } from '@tracecheck/model';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effect } from './effect.js';
import { consume, produce } from './queue.js';
import { startTracing, type Tracing } from './start-tracing.js';

// startTracing() against a real receiver in this process: what effect() and the queue helpers record,
// stamped with the run id from baggage, exported promptly.

let receiver: Receiver;
let tracing: Tracing;

beforeAll(async () => {
  receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  tracing = startTracing({ serviceName: 'unit', endpoint: `${receiver.httpUrl}/v1/traces`, payloadLimit: 64, flushOnExit: false });
});
afterAll(async () => {
  await tracing.shutdown();
  await receiver.stop();
});

function inRun<T>(runId: string, fn: () => T): T {
  return context.with(propagation.setBaggage(context.active(), propagation.createBaggage({ 'test.run.id': { value: runId } })), fn);
}

async function spansOf(runId: string): Promise<JsonSpan[]> {
  await tracing.forceFlush();
  const res = await fetch(`${receiver.httpUrl}/api/runs/${runId}/spans`);
  return ((await res.json()) as { spans: JsonSpan[] }).spans;
}

function attrs(span: JsonSpan): Record<string, unknown> {
  return Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]]));
}

describe('effect() with tracing started', () => {
  it('records a CLIENT span with attributes, redacted payload and OK status, stamped with the run id', async () => {
    const value = inRun('fx-ok', () => effect('stripe.refund.create', { amount: 2500, charge: 'ch_1', payload: { amount: 2500, password: 'pw' } }, () => 'done'));
    expect(value).toBe('done');
    const [span] = await spansOf('fx-ok');
    expect(span).toMatchObject({ name: 'stripe.refund.create', kind: 3, status: { code: 1 } });
    expect(attrs(span!)).toEqual({ 'test.run.id': 'fx-ok', amount: '2500', charge: 'ch_1', 'effect.payload': '{"amount":2500,"password":"[REDACTED]"}' });
    expect(span!.scope.name).toBe('@tracecheck/sdk');
  });

  it('records a rejection as ERROR with the exception event, and the caller still sees it', async () => {
    await expect(inRun('fx-err', () => effect('email.send', { to: 'a@b.c' }, () => Promise.reject(new TypeError('smtp down'))))).rejects.toThrow('smtp down');
    const [span] = await spansOf('fx-err');
    expect(span!.status).toEqual({ code: 2, message: 'smtp down' });
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('caps the payload at the configured size and says so', async () => {
    inRun('fx-big', () => effect('crm.upsert', { payload: { notes: 'x'.repeat(500) } }, () => undefined, { kind: 'producer' }));
    const [span] = await spansOf('fx-big');
    expect(span!.kind).toBe(4);
    const a = attrs(span!);
    expect((a['effect.payload'] as string).length).toBe(64);
    expect(a['effect.payload.truncated']).toBe(true);
    expect(a['effect.payload.size']).toBe('512'); // {"notes":"x…x"}
  });
});

describe('queue helpers with tracing started', () => {
  it('links the consumer to the producer and runs the handler in the producer run', async () => {
    const queue: Array<{ headers: Record<string, unknown>; body: string }> = [];
    inRun('q-1', () => produce('orders', {}, (headers) => queue.push({ headers, body: 'o-1' }), { system: 'memory' }));
    // Consumed outside any run: the run id comes from the message headers only.
    const handled = consume('orders', queue[0]!.headers, () => effect('payment.charge', {}, () => 'charged'), { system: 'memory', newTrace: true });
    expect(handled).toBe('charged');
    const spans = await spansOf('q-1');
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['payment.charge', 'process orders', 'send orders']);
    const producer = byName['send orders']!;
    const consumer = byName['process orders']!;
    expect(producer.kind).toBe(SpanKind.PRODUCER + 1);
    expect(consumer.kind).toBe(SpanKind.CONSUMER + 1);
    expect(consumer.links.map((l) => l.spanId)).toEqual([producer.spanId]);
    expect(consumer.traceId).not.toBe(producer.traceId);
    expect(byName['payment.charge']!.parentSpanId).toBe(consumer.spanId);
    for (const s of spans) expect(attrs(s)['test.run.id']).toBe('q-1');
    expect(attrs(consumer)).toMatchObject({ 'messaging.system': 'memory', 'messaging.destination.name': 'orders', 'messaging.operation.type': 'process' });
  });
});

describe('prompt export', () => {
  it('delivers a burst far above the exporters\' 30 requests in flight without a failed export', async () => {
    inRun('burst', () => {
      for (let i = 0; i < 5000; i++) effect('burst', { i }, () => i);
    });
    expect((await spansOf('burst')).length).toBe(5000);
    // (The test's own fetch of the spans is traced too, so something may be queued by now.)
    expect(tracing.stats()).toMatchObject({ failedExports: 0, dropped: 0 });
  });
});
