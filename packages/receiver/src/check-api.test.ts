import { createSpan } from '@tracecheck/model';
import { encodeProtobufRequest } from '@tracecheck/otlp';
import { describe, expect, it } from 'vitest';
import { testReceiver } from '../test-support/fixtures.js';

// POST /api/check over a real socket: the same engine the CLI and the test integrations use.

let n = 0;
const span = (run: string, name: string, attributes: Record<string, unknown> = {}) =>
  createSpan({ traceId: 'ab'.repeat(16), spanId: (++n).toString(16).padStart(16, '0'), name, attributes: { 'test.run.id': run, ...attributes } });

async function check(url: string, body: unknown) {
  const res = await fetch(`${url}/api/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('POST /api/check', () => {
  it('passes a check that holds, with the verdict fields docs/language.md documents', async () => {
    const r = await testReceiver();
    r.store.add([span('R1', 'stripe.refund.create', { amount: 2500 })]);
    const { status, body } = await check(r.httpUrl, { run: 'R1', assertion: 'some { name = "stripe.refund.create" && span.amount = 2500 }' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ pass: true, reason: 'held' });
    expect(typeof body.message).toBe('string');
    expect(typeof body.waitedMs).toBe('number');
    expect(Array.isArray(body.matches)).toBe(true);
    expect(Array.isArray(body.nearMisses)).toBe(true);
  });

  it('waits for a span that arrives over OTLP while the check is pending', async () => {
    const r = await testReceiver();
    r.store.add([span('R2', 'refund.requested')]);
    const pending = check(r.httpUrl, { run: 'R2', assertion: 'some "email.send"', timeoutMs: 10_000 });
    await new Promise((res) => setTimeout(res, 100));
    const post = await fetch(`${r.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(encodeProtobufRequest([span('R2', 'email.send')])) });
    expect(post.status).toBe(200);
    const { body } = await pending;
    expect(body).toMatchObject({ pass: true, reason: 'held' });
  });

  it('fails a count mismatch once settled, with the message', async () => {
    const r = await testReceiver();
    r.store.add([span('R3', 'warehouse.webhook'), span('R3', 'warehouse.webhook')]);
    const { body } = await check(r.httpUrl, { run: 'R3', assertion: 'exactly 1 "warehouse.webhook"', timeoutMs: 2_000, settleMs: 50 });
    expect(body).toMatchObject({ pass: false, reason: 'hopeless' });
    expect(body.message).toMatch(/Expected: exactly 1 matching span/);
    expect(body.message).toMatch(/Received: 2/);
  });

  it('answers 400 with the position and what was expected for a syntax error', async () => {
    const r = await testReceiver();
    const { status, body } = await check(r.httpUrl, { run: 'R', assertion: 'exactly 1 { name = }' });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ line: 1, column: 20 });
    expect((body.error as { expected: string[] }).expected.length).toBeGreaterThan(0);
  });

  it('answers 400 for a checker error and for a malformed request', async () => {
    const r = await testReceiver();
    const mixed = await check(r.httpUrl, { run: 'R', assertion: 'some { .a = 1 || .b = 2 && .c = 3 }' });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error).toMatchObject({ code: 'mixed-and-or' });
    expect((await check(r.httpUrl, { assertion: 'some "x"' })).status).toBe(400);
    expect((await check(r.httpUrl, { run: 'R', assertion: 'some "x"', timeoutMs: -1 })).status).toBe(400);
    const notJson = await fetch(`${r.httpUrl}/api/check`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('fails an empty run at its timeout, saying so', async () => {
    const r = await testReceiver();
    const { body } = await check(r.httpUrl, { run: 'nobody', assertion: 'no "charge"', timeoutMs: 100 });
    expect(body).toMatchObject({ pass: false, reason: 'empty-run' });
    expect(body.message).toMatch(/No span of this run arrived/);
  });
});
