import { createSpan } from '@tracecheck/model';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLeast, exactly, renderVerdictData, span as spanSel } from '@tracecheck/lang';
import * as v from 'valibot';
import { z } from 'zod';
import { AssertionSyntaxError } from './assertion-error.js';
import { CheckFailedError, TracecheckClient } from './client.js';
import { newRunId, TestRun } from './test-run.js';
import { MissingUrlError, ReceiverUnreachableError } from './errors.js';

// The client against a real receiver over a real socket.

let n = 0;
const span = (run: string, name: string, attributes: Record<string, unknown> = {}) =>
  createSpan({ traceId: 'cd'.repeat(16), spanId: (++n).toString(16).padStart(16, '0'), name, attributes: { 'test.run.id': run, ...attributes } });

describe('TracecheckClient', () => {
  let receiver: Receiver;
  let client: TracecheckClient;
  beforeAll(async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: false, token: 't0ken' });
    client = new TracecheckClient({ url: `${receiver.httpUrl}/`, token: 't0ken' });
  });
  afterAll(() => receiver.stop());

  it('lists runs and reads a run back as model spans, types intact', async () => {
    const sent = [span('c-1', 'stripe.refund.create', { amount: 2500n, ratio: 0.5, big: 9007199254740993n })];
    receiver.store.add(sent);
    expect((await client.runs()).find((r) => r.id === 'c-1')).toMatchObject({ id: 'c-1', spans: 1, traces: 1 });
    expect(await client.spans('c-1')).toEqual(sent);
    expect(await client.spans('unknown-run')).toEqual([]);
  });

  it('deletes a run', async () => {
    receiver.store.add([span('c-del', 'x')]);
    await client.deleteRun('c-del');
    expect(await client.spans('c-del')).toEqual([]);
    await client.deleteRun('c-del'); // idempotent
  });

  it('checks: resolves with the verdict, pass or fail', async () => {
    receiver.store.add([span('c-2', 'email.send'), span('c-2', 'email.send')]);
    expect(await client.check('c-2', 'some "email.send"')).toMatchObject({ pass: true, reason: 'held' });
    const fail = await client.check('c-2', 'exactly 1 "email.send"', { timeoutMs: 2000, settleMs: 50 });
    expect(fail).toMatchObject({ pass: false, reason: 'hopeless' });
    expect(fail.message).toMatch(/Received: 2 matching spans/);
  });

  it('passes in-flight caps, and closeRun reports a settled pass the whole run overturns', async () => {
    const end = BigInt(Date.now()) * 1_000_000n;
    const orphan = createSpan({ traceId: 'ef'.repeat(16), spanId: 'f'.repeat(16), parentSpanId: 'e'.repeat(16), name: 'webhook', startTimeUnixNano: end - 1n, endTimeUnixNano: end, attributes: { 'test.run.id': 'c-close' } });
    receiver.store.add([orphan]);
    const verdict = await client.check('c-close', 'exactly 1 "webhook"', { settleMs: 20, parentCapMs: 150 });
    expect(verdict).toMatchObject({ pass: true, reason: 'settled', warnings: [], waitedFor: [{ kind: 'parent', outcome: 'cap', capMs: 150 }] });
    receiver.store.add([span('c-close', 'webhook')]);
    const closed = await client.closeRun('c-close', { settleMs: 20, parentCapMs: 0 });
    expect(closed).toMatchObject({ run: 'c-close', checks: 1, overturned: [{ assertion: 'exactly 1 "webhook"' }] });
    expect(closed.overturned[0]!.message).toContain('Raise --parent-cap');
  });

  it('waitFor rejects with the verdict when the check fails', async () => {
    receiver.store.add([span('c-3', 'charge')]);
    await expect(client.waitFor('c-3', 'some "charge"')).resolves.toMatchObject({ pass: true });
    const err = await client.waitFor('c-3', 'some "refund"', { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailedError);
    expect((err as CheckFailedError).verdict.reason).toBe('timeout');
    expect((err as CheckFailedError).message).toMatch(/some "refund"/);
  });

  it('surfaces a syntax error with its position, a caret and what was expected', async () => {
    const err = await client.check('c-2', 'some { name = }').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssertionSyntaxError);
    const e = err as AssertionSyntaxError;
    expect(e).toMatchObject({ line: 1, column: 15, assertion: 'some { name = }' });
    expect(e.expected.length).toBeGreaterThan(0);
    expect(e.caret).toBe('  some { name = }\n                ^');
    expect(e.message).toMatch(/^invalid assertion at line 1, column 15: .+\n  some \{ name = \}\n {16}\^\n  expected: /);
  });

  it('returns the typed verdict: data and its rendered text', async () => {
    receiver.store.add([span('c-typed', 'refund', { amount: 250 })]);
    const v = await client.check('c-typed', 'some { name = "refund" && span.amount = 2500 }', { timeoutMs: 100 });
    expect(v).toMatchObject({ pass: false, reason: 'timeout', assertion: 'some { name = "refund" && span.amount = 2500 }', expected: 'at least 1 matching span', count: 0, min: 1, max: null });
    expect(v.nearMisses[0]).toMatchObject({ span: { name: 'refund' }, failed: 'span.amount = 2500', actual: 'was 250' });
    expect(v.tree?.traces[0]?.rows.map((r) => r.label)).toContain('refund');
    expect(renderVerdictData(v)).toBe(v.message);
    expect(renderVerdictData(v, { fail: (t) => `<${t}>` })).toMatch(/^<✘ some/);
  });

  it('stops waiting when its AbortSignal fires', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('test over')), 100);
    const started = Date.now();
    const err = await client.check('c-abort', 'some "never"', { timeoutMs: 10_000, signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toMatchObject({ message: 'test over' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('checks payload schemas of a builder assertion here, on the matches the receiver returns', async () => {
    const good = { order_id: 'o-1', status: 'shipped' };
    const drifted = { orderId: 'o-2', status: 'shipped' };
    receiver.store.add([span('c-payload', 'webhook', { 'effect.payload': JSON.stringify(good) }), span('c-payload', 'webhook', { 'effect.payload': JSON.stringify(drifted) })]);
    const zodSchema = z.object({ order_id: z.string(), status: z.enum(['shipped']) });
    const z1 = await client.check('c-payload', exactly(2, spanSel('webhook').payload(zodSchema)), { settleMs: 20 });
    expect(z1).toMatchObject({ pass: false, count: 1 });
    expect(z1.payloadFailures).toHaveLength(1);
    expect(z1.payloadFailures[0]!.message).toMatch(/^effect\.payload\.order_id: /);
    expect(z1.message).toContain('Payload did not fit the schema (1, not counted):');
    expect(z1.message).toMatch(/webhook · span [0-9a-f]{16}: effect\.payload\.order_id: /);
    // Any Standard Schema: valibot too.
    const valibotSchema = v.object({ order_id: v.string(), status: v.literal('shipped') });
    const v1 = await client.check('c-payload', atLeast(1, spanSel('webhook').payload(valibotSchema)));
    expect(v1).toMatchObject({ pass: true, count: 1 });
  });

  it('says what is wrong when the receiver cannot be used', async () => {
    await expect(new TracecheckClient({ url: receiver.httpUrl }).runs()).rejects.toMatchObject({ status: 401 });
    await expect(new TracecheckClient({ url: 'http://127.0.0.1:1' }).runs()).rejects.toBeInstanceOf(ReceiverUnreachableError);
    const saved = process.env.TRACECHECK_URL;
    delete process.env.TRACECHECK_URL;
    try {
      expect(() => new TracecheckClient()).toThrow(MissingUrlError);
    } finally {
      if (saved !== undefined) process.env.TRACECHECK_URL = saved;
    }
  });
});

describe('TestRun', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: false });
  });
  afterAll(() => receiver.stop());

  it('gives each test a fresh id and headers that tag requests with it, one trace per run', () => {
    const client = new TracecheckClient({ url: receiver.httpUrl });
    const a = new TestRun(client, newRunId('Refund flow: sends ONE webhook!'));
    const b = new TestRun(client, newRunId('Refund flow: sends ONE webhook!'));
    expect(a.id).toMatch(/^refund-flow-sends-one-webhook-[0-9a-f]{8}$/);
    expect(a.id).not.toBe(b.id);
    const h1 = a.headers();
    const h2 = a.headers();
    expect(h1.baggage).toBe(`test.run.id=${a.id}`);
    expect(h1.traceparent.split('-')[1]).toBe(h2.traceparent.split('-')[1]);
    expect(h1.tracestate).toBe(`tracecheck=${h1.traceparent.split('-')[2]}`);
  });

  it('fetch sends the headers (merging baggage), spans() and tree() read the run back', async () => {
    const client = new TracecheckClient({ url: receiver.httpUrl });
    const run = new TestRun(client);
    let seen: Record<string, string | undefined> = {};
    const server = (await import('node:http')).createServer((req, res) => {
      seen = { baggage: req.headers.baggage as string, traceparent: req.headers.traceparent as string, tracestate: req.headers.tracestate as string };
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const { fetch: unbound } = run; // passed on as a callback, it keeps its run
    await unbound(`http://127.0.0.1:${port}/x`, { headers: { baggage: 'other=1' } });
    server.close();
    expect(seen.baggage).toBe(`other=1,test.run.id=${run.id}`);
    expect(seen.tracestate).toBe(`tracecheck=${seen.traceparent!.split('-')[2]}`);
    expect(await run.tree()).toBe(`(run ${run.id} has no spans yet)`);
    receiver.store.add([span(run.id, 'signup')]);
    expect((await run.spans()).map((s) => s.name)).toEqual(['signup']);
    expect(await run.tree()).toMatch(/^trace cdcd.*\n {2}signup \(svc unknown_service\) /);
    expect(await run.check('some "signup"')).toMatchObject({ pass: true });
    expect(await run.close()).toMatchObject({ run: run.id, checks: 0, overturned: [] });
  });
});

describe('payload schemas and the receiver\'s record of a check', () => {
  it('a check the payload schema failed is reported back, so the receiver\'s record shows the failure', async () => {
    const amendments: { id: number; pass: boolean; message: string }[] = [];
    const checks: { id: number; pass: boolean }[] = [];
    const receiver = await startReceiver({ httpPort: 0, grpcPort: false, onCheck: (c) => checks.push(c), onCheckAmend: (a) => amendments.push(a) });
    try {
      const client = new TracecheckClient({ url: receiver.httpUrl });
      receiver.store.add([span('amend', 'webhook', { 'effect.payload': JSON.stringify({ orderId: 1 }) })]);
      const v = await client.check('amend', exactly(1, spanSel('webhook').payload(z.object({ order_id: z.number() }))), { settleMs: 20 });
      expect(v.pass).toBe(false);
      expect(checks).toEqual([expect.objectContaining({ pass: true })]);
      expect(amendments).toEqual([expect.objectContaining({ id: checks[0]!.id, pass: false, message: expect.stringContaining('effect.payload.order_id') })]);
      // Nothing to report when the schemas agree with the structure.
      receiver.store.add([span('amend-ok', 'webhook', { 'effect.payload': JSON.stringify({ order_id: 1 }) })]);
      expect((await client.check('amend-ok', exactly(1, spanSel('webhook').payload(z.object({ order_id: z.number() }))), { settleMs: 20 })).pass).toBe(true);
      expect(amendments).toHaveLength(1);
    } finally {
      await receiver.stop();
    }
  });
});
