import { createSpan, type Span, SpanStore } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { PassLedger } from './reverify.js';
import { checkRun, checkSpans } from './run-check.js';
import { storeRunSource } from './store-source.js';

// Re-verification: a pass that rested on settling is decided again on the whole run at its end.

let n = 0;
const span = (name: string, run = 'R'): Span => {
  const end = BigInt(Date.now()) * 1_000_000n;
  return createSpan({ traceId: 'c'.repeat(32), spanId: (++n).toString(16).padStart(16, '0'), name, startTimeUnixNano: end - 1_000_000n, endTimeUnixNano: end, attributes: { 'test.run.id': run } });
};

describe('PassLedger', () => {
  it('overturns a settled pass that a late span contradicts, naming the span and the fix', async () => {
    const store = new SpanStore();
    store.add([span('job.run'), span('webhook.send')]);
    const ledger = new PassLedger();
    const r = await checkRun(storeRunSource(store, 'R'), 'exactly 1 "webhook.send"', { settleMs: 50, timeoutMs: 5000 });
    expect(r.decision.pass).toBe(true);
    ledger.record('R', r, r.check, r.startedAt, 50);
    expect(ledger.reverify('R', store.runSpans('R'))).toEqual([]);

    await new Promise((res) => setTimeout(res, 30));
    store.add([span('webhook.send')]);
    const [o, ...rest] = ledger.reverify('R', store.runSpans('R'));
    expect(rest).toEqual([]);
    expect(o).toMatchObject({ runId: 'R', assertion: 'exactly 1 "webhook.send"', by: { name: 'webhook.send' } });
    expect(o!.message).toMatch(/^✘ OVERTURNED at the end of run R: exactly 1 "webhook.send"/);
    expect(o!.message).toMatch(/Passed at \+\d+ms \(times from the check.s start; the run was quiet for the 50ms settle window\), but the whole run contradicts it: overturned by a span that ended at \+\d+ms:/);
    expect(o!.message).toContain('How to fix: nothing in the run showed this work still coming');
    expect(o!.message).toContain('Received: 2 matching spans');
    // Reported once: a second re-verification does not repeat it.
    expect(ledger.reverify('R', store.runSpans('R'))).toEqual([]);
  });

  it('keeps only settled passes: early passes and failures cannot be overturned', async () => {
    const store = new SpanStore();
    store.add([span('a')]);
    const ledger = new PassLedger();
    const early = await checkRun(storeRunSource(store, 'R'), 'some "a"');
    ledger.record('R', early, early.check, early.startedAt, 300);
    const failed = checkSpans(store.runSpans('R'), 'no "a"');
    ledger.record('R', failed, failed.check, failed.startedAt, 300);
    expect(ledger.pending('R')).toBe(0);
  });

  it('is bounded: past maxEntries the oldest entries are forgotten and counted', async () => {
    const store = new SpanStore();
    store.add([span('a')]);
    const ledger = new PassLedger(2);
    for (let i = 0; i < 3; i++) {
      const r = await checkRun(storeRunSource(store, 'R'), 'exactly 1 "a"', { settleMs: 1 });
      ledger.record('R', r, r.check, r.startedAt, 1);
    }
    expect(ledger.pending('R')).toBe(2);
    expect(ledger.forgotten).toBe(1);
  });
});

describe('typo warnings on negative checks', () => {
  it('a passing `no` naming a span never seen warns with the nearest name', () => {
    const r = checkSpans([span('email.send')], 'no "email.sent"');
    expect(r.decision.pass).toBe(true);
    expect(r.json.warnings).toEqual(["no span named 'email.sent' was seen in any run; did you mean 'email.send'? (a misspelt name makes this check pass whatever happens)"]);
    expect(r.message).toContain("Warning: no span named 'email.sent' was seen in any run; did you mean 'email.send'?");
  });

  it('also for `at most` and `exactly 0`, and for names inside a filter', () => {
    expect(checkSpans([span('charge')], 'at most 1 { name = "chrage" && span.amount > 1 }').json.warnings).toHaveLength(1);
    expect(checkSpans([span('charge')], 'exactly 0 { span:name = "refund" }').json.warnings[0]).toMatch(/^no span named 'refund' was seen in any run \(/);
  });

  it('no warning when the name was seen, the check failed, or zero is not allowed', () => {
    expect(checkSpans([span('a'), span('b')], 'no "b"').json.warnings).toEqual([]);
    expect(checkSpans([span('a')], 'no "a"').json.warnings).toEqual([]);
    expect(checkSpans([span('a')], 'some "a" ').json.warnings).toEqual([]);
  });

  it('the live source remembers names of deleted runs', async () => {
    const store = new SpanStore();
    store.add([span('email.send', 'old')]);
    store.deleteRun('old');
    store.add([span('signup', 'R')]);
    const r = await checkRun(storeRunSource(store, 'R'), 'no "email.sent"', { settleMs: 1 });
    expect(r.json.warnings[0]).toContain("did you mean 'email.send'?");
  });
});
