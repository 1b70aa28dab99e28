import { createSpan, SpanKind } from '@tracecheck/model';
import { encodeProtobufRequest } from '@tracecheck/otlp';
import { describe, expect, it } from 'vitest';
import { testReceiver } from '../test-support/fixtures.js';
import type { CheckRecord } from './check-api.js';

// The end of a run over real sockets: POST /api/runs/{id}/close and DELETE re-verify settled passes;
// POST /api/open-spans holds settling checks while the SDK reports work open.

let n = 0;
const id = (): string => (++n).toString(16).padStart(16, '0');
const TRACE = 'cd'.repeat(16);
const span = (run: string, name: string, init: { parent?: string; spanId?: string; kind?: SpanKind } = {}) => {
  const end = BigInt(Date.now()) * 1_000_000n;
  return createSpan({ traceId: TRACE, spanId: init.spanId ?? id(), parentSpanId: init.parent, kind: init.kind, name, startTimeUnixNano: end - 1_000_000n, endTimeUnixNano: end, attributes: { 'test.run.id': run } });
};

async function post(url: string, path: string, body?: unknown) {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function ingest(url: string, spans: ReturnType<typeof span>[]): Promise<void> {
  const res = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(encodeProtobufRequest(spans)) });
  expect(res.status).toBe(200);
}

describe('POST /api/runs/{id}/close', () => {
  it('overturns a settled pass that a later span contradicts, and says how', async () => {
    const r = await testReceiver();
    await ingest(r.httpUrl, [span('C1', 'webhook.send')]);
    const check = await post(r.httpUrl, '/api/check', { run: 'C1', assertion: 'exactly 1 "webhook.send"', settleMs: 50 });
    expect(check.body).toMatchObject({ pass: true, reason: 'settled' });
    await ingest(r.httpUrl, [span('C1', 'webhook.send')]);
    const { status, body } = await post(r.httpUrl, '/api/runs/C1/close', { settleMs: 50 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ run: 'C1', settled: true, checks: 1 });
    const [o] = body.overturned as { assertion: string; by: { name: string }; message: string }[];
    expect(o).toMatchObject({ assertion: 'exactly 1 "webhook.send"', by: { name: 'webhook.send' } });
    expect(o!.message).toContain('✘ OVERTURNED at the end of run C1');
  });

  it('answers with nothing overturned when the run agrees, and for an unknown run', async () => {
    const r = await testReceiver();
    await ingest(r.httpUrl, [span('C2', 'a')]);
    await post(r.httpUrl, '/api/check', { run: 'C2', assertion: 'exactly 1 "a"', settleMs: 20 });
    expect((await post(r.httpUrl, '/api/runs/C2/close')).body).toMatchObject({ checks: 1, overturned: [] });
    expect((await post(r.httpUrl, '/api/runs/nope/close')).body).toMatchObject({ run: 'nope', checks: 0, overturned: [], settled: true });
  });

  it('waits for the run to settle before re-verifying: a span in flight is awaited', async () => {
    const r = await testReceiver();
    const job = id();
    await ingest(r.httpUrl, [span('C3', 'webhook.send', { parent: job })]);
    const check = post(r.httpUrl, '/api/check', { run: 'C3', assertion: 'exactly 1 "webhook.send"', settleMs: 30, parentCapMs: 200 });
    expect((await check).body).toMatchObject({ pass: true, reason: 'settled' });
    const closing = post(r.httpUrl, '/api/runs/C3/close', { settleMs: 30, parentCapMs: 5000 });
    setTimeout(() => void ingest(r.httpUrl, [span('C3', 'webhook.send', { parent: job }), span('C3', 'job', { spanId: job })]), 300);
    const { body } = await closing;
    expect(body.waitedMs as number).toBeGreaterThanOrEqual(250);
    expect((body.overturned as unknown[]).length).toBe(1);
    const o = (body.overturned as { message: string }[])[0]!;
    expect(o.message).toContain('How to fix: deciding stopped waiting for the parent of `webhook.send`');
    expect(o.message).toContain('Raise --parent-cap');
  });

  it('refuses bad options with 400', async () => {
    const r = await testReceiver();
    expect((await post(r.httpUrl, '/api/runs/x/close', { settleMs: -1 })).status).toBe(400);
    expect((await post(r.httpUrl, '/api/runs/x/close', [1])).status).toBe(400);
  });
});

describe('DELETE /api/runs/{id}', () => {
  it('re-verifies before freeing the run, and tells onOverturn', async () => {
    const overturns: unknown[] = [];
    const checks: CheckRecord[] = [];
    const r = await testReceiver({ onOverturn: (o) => overturns.push(o), onCheck: (c) => checks.push(c) });
    await ingest(r.httpUrl, [span('D1', 'email.send')]);
    await post(r.httpUrl, '/api/check', { run: 'D1', assertion: 'at most 1 "email.send"', settleMs: 20 });
    await ingest(r.httpUrl, [span('D1', 'email.send')]);
    const res = await fetch(`${r.httpUrl}/api/runs/D1`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(overturns).toEqual([expect.objectContaining({ runId: 'D1', checkId: checks[0]!.id, assertion: 'at most 1 "email.send"' })]);
    expect(r.store.run('D1')).toBeUndefined();
  });
});

describe('POST /api/open-spans', () => {
  it('holds a settling check while the SDK reports a span open, until the span arrives', async () => {
    const r = await testReceiver();
    await ingest(r.httpUrl, [span('O1', 'POST /orders', { kind: SpanKind.SERVER })]);
    const job = id();
    const report = await post(r.httpUrl, '/api/open-spans', { open: [{ run: 'O1', traceId: TRACE, spanId: job, name: 'job.fulfil', service: 'worker', startTimeUnixNano: `${Date.now()}000000` }] });
    expect(report).toEqual({ status: 200, body: { open: 1, ended: 0 } });
    const check = post(r.httpUrl, '/api/check', { run: 'O1', assertion: 'no "fulfillment.webhook.send"', settleMs: 50, timeoutMs: 5000 });
    setTimeout(() => void ingest(r.httpUrl, [span('O1', 'fulfillment.webhook.send', { parent: job }), span('O1', 'job.fulfil', { spanId: job })]), 400);
    expect((await check).body).toMatchObject({ pass: false, reason: 'hopeless' });
  });

  it('refuses a malformed report with 400 and records none of it', async () => {
    const r = await testReceiver();
    const good = { run: 'O2', traceId: TRACE, spanId: id(), name: 'job', startTimeUnixNano: '1' };
    const cases = [
      { open: [good, { ...good, spanId: 'xyz' }] },
      { open: [{ ...good, name: '' }] },
      { open: [{ ...good, startTimeUnixNano: 12 }] },
      { open: 'no' },
      { ended: [{ traceId: TRACE }] },
      { open: Array.from({ length: 2001 }, () => good) },
    ];
    for (const body of cases) {
      const res = await post(r.httpUrl, '/api/open-spans', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((res.body.error as { message: string }).message.length).toBeGreaterThan(10);
    }
    const notJson = await fetch(`${r.httpUrl}/api/open-spans`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });
});
