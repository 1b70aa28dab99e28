import { createResource, createSpan, OpenSpans, type Span, SpanKind, SpanStore } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { checkRun } from './run-check.js';
import { storeRunSource } from './store-source.js';

// In-flight work keeps a settling check from passing: a parent named but not arrived, a producer
// whose consumer has not arrived, a span the SDK reported open. Real store, real compiled checks.

const TRACE = 'a'.repeat(32);
const worker = createResource({ 'service.name': 'worker' });
let n = 0;
const nextId = (): string => (++n).toString(16).padStart(16, '0');
const nowNanos = (): bigint => BigInt(Date.now()) * 1_000_000n;

function span(name: string, init: { parent?: string; kind?: SpanKind; id?: string; traceId?: string; links?: { traceId: string; spanId: string }[]; traceState?: string } = {}): Span {
  const end = nowNanos();
  const s = createSpan({
    traceId: init.traceId ?? TRACE,
    spanId: init.id ?? nextId(),
    parentSpanId: init.parent ?? '',
    name,
    kind: init.kind ?? SpanKind.INTERNAL,
    startTimeUnixNano: end - 1_000_000n,
    endTimeUnixNano: end,
    attributes: { 'test.run.id': 'R' },
    links: init.links ?? [],
    resource: worker,
  });
  return init.traceState === undefined ? s : { ...s, traceState: init.traceState };
}

const later = (ms: number, fn: () => void): NodeJS.Timeout => setTimeout(fn, ms);

describe('in-flight work', () => {
  it('a retry after a backoff inside an open job span makes `exactly 1` fail, not pass', async () => {
    const store = new SpanStore();
    const jobId = nextId();
    // The first webhook has arrived; its parent, the job, is still open (it waits 600 ms, then retries).
    store.add([span('fulfillment.webhook.send', { parent: jobId })]);
    const verdict = checkRun(storeRunSource(store, 'R'), 'exactly 1 "fulfillment.webhook.send"', { settleMs: 100, timeoutMs: 5000 });
    later(600, () => store.add([span('fulfillment.webhook.send', { parent: jobId })]));
    later(650, () => store.add([span('job.process', { id: jobId })]));
    const r = await verdict;
    expect(r.decision).toMatchObject({ pass: false, reason: 'hopeless' });
    expect(r.decision.outcome.count).toBe(2);
  });

  it('passes once the open parent arrives, and the verdict says what it waited for', async () => {
    const store = new SpanStore();
    const jobId = nextId();
    store.add([span('fulfillment.webhook.send', { parent: jobId })]);
    const verdict = checkRun(storeRunSource(store, 'R'), 'exactly 1 "fulfillment.webhook.send"', { settleMs: 100, timeoutMs: 5000 });
    later(400, () => store.add([span('job.process', { id: jobId })]));
    const r = await verdict;
    expect(r.decision).toMatchObject({ pass: true, reason: 'settled' });
    expect(r.decision.waitedMs).toBeGreaterThanOrEqual(400);
    expect(r.decision.waitedFor).toEqual([expect.objectContaining({ kind: 'parent', outcome: 'arrived' })]);
    expect(r.message).toContain('Waited for work in flight:');
    expect(r.message).toMatch(/the parent of `fulfillment\.webhook\.send` \(svc worker\) \(span [0-9a-f]{16}\): arrived after \d+ms/);
  });

  it('gives up on a parent that never arrives at its cap, and says so', async () => {
    const store = new SpanStore();
    store.add([span('webhook', { parent: nextId() })]);
    const r = await checkRun(storeRunSource(store, 'R'), 'exactly 1 "webhook"', { settleMs: 50, timeoutMs: 5000, caps: { parentMs: 300 } });
    expect(r.decision).toMatchObject({ pass: true, reason: 'settled' });
    expect(r.decision.waitedMs).toBeGreaterThanOrEqual(250);
    expect(r.decision.waitedMs).toBeLessThan(2000);
    expect(r.decision.waitedFor).toEqual([expect.objectContaining({ kind: 'parent', outcome: 'cap', capMs: 300 })]);
    expect(r.message).toMatch(/gave up after \d+ms at its cap \(300ms; raise it with --parent-cap/);
  });

  it('does not wait for the parent a test invented (tracestate tracecheck=<its id>)', async () => {
    const store = new SpanStore();
    const invented = nextId();
    store.add([span('POST /signup', { parent: invented, kind: SpanKind.SERVER, traceState: `other=1,tracecheck=${invented}` })]);
    const r = await checkRun(storeRunSource(store, 'R'), 'no "email.send"', { settleMs: 50, timeoutMs: 5000 });
    expect(r.decision).toMatchObject({ pass: true, reason: 'settled', waitedFor: [] });
    expect(r.decision.waitedMs).toBeLessThan(1000);
  });

  it('a producer keeps `no "email.send"` from passing until its consumer has run', async () => {
    const store = new SpanStore();
    const producer = span('send email-jobs', { kind: SpanKind.PRODUCER });
    store.add([producer]);
    const verdict = checkRun(storeRunSource(store, 'R'), 'no "email.send"', { settleMs: 100, timeoutMs: 5000 });
    // The worker polls 500 ms later, in a new trace linked to the producer.
    const other = 'b'.repeat(32);
    const consumeId = nextId();
    later(500, () => store.add([span('email.send', { traceId: other, parent: consumeId }), span('process email-jobs', { traceId: other, id: consumeId, kind: SpanKind.CONSUMER, links: [{ traceId: TRACE, spanId: producer.spanId }] })]));
    const r = await verdict;
    expect(r.decision).toMatchObject({ pass: false, reason: 'hopeless' });
    expect(r.decision.outcome.count).toBe(1);
  });

  it('a producer with no instrumented consumer still decides within the cap and says so', async () => {
    const store = new SpanStore();
    store.add([span('analytics.publish', { kind: SpanKind.PRODUCER })]);
    const r = await checkRun(storeRunSource(store, 'R'), 'no "email.send"', { settleMs: 50, timeoutMs: 5000, caps: { consumerMs: 400 } });
    expect(r.decision).toMatchObject({ pass: true, reason: 'settled' });
    expect(r.decision.waitedFor).toEqual([expect.objectContaining({ kind: 'consumer', outcome: 'cap' })]);
    expect(r.message).toContain('the consumer of `analytics.publish` (svc worker): gave up after');
  });

  it('a child of the producer in its own trace counts as its consumer', async () => {
    const store = new SpanStore();
    const producer = span('orders.publish', { kind: SpanKind.PRODUCER });
    store.add([producer, span('orders.process', { parent: producer.spanId, kind: SpanKind.CONSUMER })]);
    const r = await checkRun(storeRunSource(store, 'R'), 'exactly 1 "orders.process"', { settleMs: 50, timeoutMs: 5000 });
    expect(r.decision).toMatchObject({ pass: true, reason: 'settled', waitedFor: [] });
  });

  it("the producer's own call to the broker (a CLIENT child) is not its consumer", async () => {
    // A broker reached over HTTP (SQS, a REST queue): the publish request is a child of the producer.
    const store = new SpanStore();
    const producer = span('send billing-renewals', { kind: SpanKind.PRODUCER });
    store.add([producer, span('POST', { parent: producer.spanId, kind: SpanKind.CLIENT })]);
    const verdict = checkRun(storeRunSource(store, 'R'), 'no "payments.charge.create"', { settleMs: 100, timeoutMs: 5000 });
    // The delayed message is consumed 500 ms later, in the producer's trace.
    const consumeId = nextId();
    later(500, () => store.add([span('process billing-renewals', { parent: producer.spanId, id: consumeId, kind: SpanKind.CONSUMER }), span('payments.charge.create', { parent: consumeId, kind: SpanKind.CLIENT })]));
    const r = await verdict;
    expect(r.decision).toMatchObject({ pass: false, reason: 'hopeless' });
    expect(r.decision.outcome.count).toBe(1);
  });

  it('a span the SDK reported open holds the check until it arrives', async () => {
    const store = new SpanStore();
    const open = new OpenSpans();
    store.add([span('POST /orders')]);
    const jobId = nextId();
    open.update([{ runId: 'R', traceId: TRACE, spanId: jobId, name: 'job.fulfil', service: 'worker', startMs: Date.now() }], []);
    const verdict = checkRun(storeRunSource(store, 'R', open), 'no "fulfillment.webhook.send"', { settleMs: 100, timeoutMs: 5000 });
    later(500, () => store.add([span('fulfillment.webhook.send', { parent: jobId }), span('job.fulfil', { id: jobId })]));
    const r = await verdict;
    expect(r.decision).toMatchObject({ pass: false, reason: 'hopeless' });
  });

  it('an open span reported ended without arriving stops holding the check', async () => {
    const store = new SpanStore();
    const open = new OpenSpans();
    store.add([span('POST /orders')]);
    const jobId = nextId();
    open.update([{ runId: 'R', traceId: TRACE, spanId: jobId, name: 'job.fulfil', startMs: Date.now() }], []);
    const verdict = checkRun(storeRunSource(store, 'R', open), 'exactly 1 "POST /orders"', { settleMs: 50, timeoutMs: 5000 });
    later(300, () => open.update([], [{ traceId: TRACE, spanId: jobId }]));
    const r = await verdict;
    expect(r.decision).toMatchObject({ pass: true, reason: 'settled' });
    expect(r.decision.waitedFor).toEqual([expect.objectContaining({ kind: 'open', outcome: 'arrived', description: 'the open span `job.fulfil`' })]);
    expect(r.decision.waitedMs).toBeGreaterThanOrEqual(280);
  });

  it('fails at the timeout with reason in-flight when work stays in flight', async () => {
    const store = new SpanStore();
    store.add([span('webhook', { parent: nextId() })]);
    const r = await checkRun(storeRunSource(store, 'R'), 'exactly 1 "webhook"', { settleMs: 50, timeoutMs: 400, caps: { parentMs: 10_000 } });
    expect(r.decision).toMatchObject({ pass: false, reason: 'in-flight' });
    expect(r.message).toContain('held, but work was still in flight at the timeout');
    expect(r.message).toContain(': still in flight after');
  });

  it('positive checks still pass at once, whatever is in flight', async () => {
    const store = new SpanStore();
    store.add([span('webhook', { parent: nextId() }), span('queue.publish', { kind: SpanKind.PRODUCER })]);
    const r = await checkRun(storeRunSource(store, 'R'), 'some "webhook"', { settleMs: 5000, timeoutMs: 5000 });
    expect(r.decision).toMatchObject({ pass: true, reason: 'held' });
    expect(r.decision.waitedMs).toBeLessThan(500);
  });

  it('a cap of 0 ignores that reason', async () => {
    const store = new SpanStore();
    store.add([span('queue.publish', { kind: SpanKind.PRODUCER })]);
    const r = await checkRun(storeRunSource(store, 'R'), 'no "email.send"', { settleMs: 50, timeoutMs: 5000, caps: { consumerMs: 0 } });
    expect(r.decision).toMatchObject({ pass: true, reason: 'settled', waitedFor: [] });
  });
});
