import { createSpan } from '@tracecheck/model';
import { AssertionSyntaxError, TracecheckClient } from '@tracecheck/client';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, test as base } from 'vitest';
import { z } from 'zod';
import { runFixture, type TracecheckFixtures } from './fixture.js';
import { exactly, expect, span } from './index.js';
import type { ProvidedRun } from './options.js';

// toHold and the run fixture against a real receiver in this process, as the global setup provides
// it (here: handed to the fixture directly).

let receiver: Receiver;
let provided: ProvidedRun;
const test = base.extend<TracecheckFixtures>({
  run: async ({ task }, use) => runFixture(task.context, use, provided),
});

beforeAll(async () => {
  receiver = await startReceiver({ httpPort: 0, grpcPort: false });
  provided = { url: receiver.httpUrl, defaults: { timeoutMs: 2000, settleMs: 50 }, keepRuns: false, annotate: true };
});
afterAll(() => receiver?.stop());

/** The error a matcher failed with, its message without colours. */
async function failure(promise: Promise<unknown>): Promise<{ message: string }> {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as Error | undefined;
  if (err === undefined) throw new Error('expected the matcher to fail');
  return { message: stripVTControlCharacters(err.message) };
}

let n = 0;
function add(runId: string, name: string, attributes: Record<string, unknown> = {}, parentSpanId?: string): string {
  const spanId = (++n).toString(16).padStart(16, '0');
  receiver.store.add([createSpan({ traceId: 'ab'.repeat(16), spanId, ...(parentSpanId === undefined ? {} : { parentSpanId }), name, attributes: { 'test.run.id': runId, ...attributes } })]);
  return spanId;
}

describe('toHold', () => {
  test('passes when the check holds; the run id is made from the test name', async ({ run }) => {
    expect(run.id).toMatch(/^passes-when-the-check-holds-the-run-id-i-[0-9a-f]{8}$/);
    add(run.id, 'payment.charge', { amount: 2500 });
    await expect(run).toHold('exactly 1 { name = "payment.charge" && span.amount = 2500 }');
    await expect(run).toHold('some "payment.charge"', { timeout: '1s' });
  });

  test('fails with the run id, the nearest miss and the trace tree, and annotates the test', async ({ run, task }) => {
    const root = add(run.id, 'POST /orders');
    add(run.id, 'payment.charge', { amount: 2500 }, root);
    const err = await failure(expect(run).toHold('one { name = "payment.charge" && span.amount = 2250 }', { timeout: '300ms' }));
    expect(err.message).toMatch(/^✘ one \{ name = "payment\.charge" && span\.amount = 2250 \}\n\nRun: fails-with-the-run-id-the-nearest-miss-a-[0-9a-f]{8} \(test "toHold > fails with the run id, /);
    // The timeout is 300 ms; the wait is measured on whole milliseconds, so it may read 299.
    expect(err.message).toMatch(/Waited (?:299|3\d\d)ms: timed out: the check did not hold by the timeout/);
    expect(err.message).toContain('failed: span.amount = 2250 (was 2500)');
    expect(err.message).toMatch(/Trace tree \(2 spans in 1 trace\):\n {2}trace [0-9a-f]{32}[^\n]*\n {4}POST \/orders \(svc [^)]+\)[^\n]*\n {6}payment\.charge \(svc [^)]+\) [^\n]*← near miss/);
    const annotation = task.annotations.find((a) => a.type === 'tracecheck');
    expect(annotation?.message).toContain(`Run: ${run.id}`);
    expect(annotation?.message).toContain('← near miss');
    const body = JSON.parse(Buffer.from(annotation!.attachment!.body as string, 'base64').toString('utf8')) as { run: string; verdict: { pass: boolean } };
    expect(body).toMatchObject({ run: run.id, verdict: { pass: false, reason: 'timeout' } });
  });

  test('a payload that does not fit its schema is named by its path, with the run’s tree', async ({ run }) => {
    add(run.id, 'warehouse.webhook', { 'effect.payload': JSON.stringify({ order_id: '7' }) });
    const check = exactly(1, span('warehouse.webhook').payload(z.object({ order_id: z.number() })));
    const err = await failure(expect(run).toHold(check));
    expect(err.message).toMatch(/warehouse\.webhook · span [0-9a-f]{16}: effect\.payload\.order_id: Invalid input: expected number, received string/);
    expect(err.message).toMatch(/Trace tree \(1 span in 1 trace\):[\s\S]*warehouse\.webhook \(svc [^)]+\) [^\n]*← payload did not fit/);
  });

  test('.not passes when the check fails, and fails with the verdict when it holds', async ({ run }) => {
    const t0 = Date.now();
    await expect(run).not.toHold('some "payment.refund"', { timeout: '200ms' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    add(run.id, 'payment.refund');
    const err = await failure(expect(run).not.toHold('some "payment.refund"'));
    expect(err.message).toMatch(/^expect\(run\)\.not\.toHold: the check held, and \.not expected it to fail\.\n\n✔ some "payment\.refund"\n\nRun: /);
  });

  test('a check that would outlive the test is cut to fit, and says so', { timeout: 1500 }, async ({ run }) => {
    const t0 = Date.now();
    const err = await failure(expect(run).toHold('some "never"', { timeout: '20s' }));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(err.message).toMatch(/Note: the check's timeout was cut from 20s to \d+ms so that it ends, with its evidence, within the test's timeout \(1.5s\)/);
  });

  test('an invalid assertion throws its syntax error, with or without .not', async ({ run }) => {
    await expect(expect(run).toHold('exactly one "x"')).rejects.toBeInstanceOf(AssertionSyntaxError);
    await expect(expect(run).not.toHold('exactly one "x"')).rejects.toThrow(/invalid assertion at line 1, column 9/);
  });

  test('anything but a run is refused', async () => {
    await expect(expect(42).toHold('some "x"')).rejects.toThrow(/expect\(run\)\.toHold\(\.\.\.\): expected the test's `run` fixture/);
  });
});

describe('the end of a test', () => {
  let errors: string[] = [];
  let overturnedRun = '';

  test.fails('a pass that the whole run contradicts fails the test', async ({ run, onTestFailed }) => {
    overturnedRun = run.id;
    onTestFailed(({ task }) => {
      errors = (task.result?.errors ?? []).map((e) => e.message);
    });
    add(run.id, 'webhook');
    await expect(run).toHold('exactly 1 "webhook"');
    add(run.id, 'webhook');
  });

  test('…once, with the overturn; and the run is deleted', async () => {
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^tracecheck: a check of this test passed, and the end of its run overturned it \\(run ${overturnedRun}\\):\\n\\n✘ OVERTURNED at the end of run ${overturnedRun}: exactly 1 "webhook"`));
    expect(await new TracecheckClient({ url: receiver.httpUrl }).spans(overturnedRun)).toEqual([]);
  });
});
