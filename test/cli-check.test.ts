import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpan } from '@tracecheck/model';
import { encodeJsonRequest } from '@tracecheck/otlp';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { buildWorkspace } from './support/build.js';
import { runCli } from './support/cli.js';

// `tracecheck check` as a real process, against a live receiver and against a file: exit codes
// 0 / 1 / 2 and where the diagnostics go (DESIGN.md's CLI contract).

const T = 'ab'.repeat(16);
let n = 0;
// Each span starts 10 ms after the previous one and lasts 1 ms, so `after` has an order to check.
const span = (run: string, name: string, attributes: Record<string, unknown> = {}, parent = '') =>
  createSpan({
    traceId: T,
    spanId: (++n).toString(16).padStart(16, '0'),
    parentSpanId: parent,
    name,
    startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(n) * 10_000_000n,
    attributes: { 'test.run.id': run, ...attributes },
  });

describe('tracecheck check', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    buildWorkspace();
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0, token: 'tok' });
    receiver.store.add([span('refund-1', 'refund.requested'), span('refund-1', 'stripe.refund.create', { amount: 2500 }), span('refund-1', 'warehouse.webhook'), span('refund-1', 'warehouse.webhook')]);
  }, 120_000);
  afterAll(() => receiver.stop());

  const live = (...args: string[]) => runCli(['check', '--url', receiver.httpUrl, '--token', 'tok', '--run', 'refund-1', '--settle', '50ms', '--timeout', '3s', ...args]);

  it('exits 0 when every assertion holds', async () => {
    const r = await live('some "refund.requested"', 'exactly 1 { name = "stripe.refund.create" && span.amount = 2500 } after "refund.requested"');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/2 of 2 checks passed/);
    expect(r.code).toBe(0);
  });

  it('exits 1 with the diagnostics on stdout when one fails', async () => {
    const r = await live('some "refund.requested"', 'exactly 1 "warehouse.webhook"');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✘ exactly 1 "warehouse.webhook"/);
    expect(r.stdout).toMatch(/Received: 2/);
    expect(r.stdout).toMatch(/1 of 2 checks passed/);
  });

  it('exits 2 with the caret on stderr for a syntax error, before waiting on anything', async () => {
    const r = await live('some "refund.requested"', 'exactly { name = "x" }');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Syntax error at line 1, column 9/);
    expect(r.stderr).toMatch(/\^/);
  });

  it('exits 2 for an unreachable receiver, a missing token, and usage errors', async () => {
    const unreachable = await runCli(['check', '--url', 'http://127.0.0.1:1', '--run', 'x', 'some "a"']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach the tracecheck receiver/);
    const noToken = await runCli(['check', '--url', receiver.httpUrl, '--run', 'x', 'some "a"']);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/401/);
    expect((await runCli(['check', '--run', 'x', 'some "a"'])).stderr).toMatch(/TRACECHECK_URL/);
    expect((await runCli(['check', '--url', receiver.httpUrl])).code).toBe(2);
    expect((await runCli(['check', '--url', receiver.httpUrl, '--run', 'x', '--timeout', '10', 'some "a"'])).stderr).toMatch(/--timeout/);
  });

  it('reads TRACECHECK_URL and TRACECHECK_TOKEN', async () => {
    const r = await runCli(['check', '--run', 'refund-1', 'some "refund.requested"'], { TRACECHECK_URL: receiver.httpUrl, TRACECHECK_TOKEN: 'tok' });
    expect(r.code).toBe(0);
  });

  it('checks an OTLP JSON-lines file offline: the file is the whole run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracecheck-'));
    const file = join(dir, 'traces.jsonl');
    const root = span('file-run', 'POST /refunds');
    // The untagged child inherits the run from its trace; the second line comes as a separate request.
    const child = createSpan({ traceId: T, spanId: (++n).toString(16).padStart(16, '0'), parentSpanId: root.spanId, name: 'email.send' });
    writeFileSync(file, `${encodeJsonRequest([root])}\n\n${encodeJsonRequest([child])}\n`);
    const ok = await runCli(['check', '--file', file, '--run', 'file-run', 'one "email.send"', 'no "charge"']);
    expect(ok.stdout).toMatch(/2 of 2 checks passed/);
    expect(ok.code).toBe(0);
    const bad = await runCli(['check', '--file', file, '--run', 'file-run', 'some "charge"']);
    expect(bad.code).toBe(1);
    writeFileSync(join(dir, 'bad.jsonl'), '{"resourceSpans": 5}\n');
    const broken = await runCli(['check', '--file', join(dir, 'bad.jsonl'), 'some "a"']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/bad\.jsonl:1: not an OTLP\/JSON trace request/);
  });
});
