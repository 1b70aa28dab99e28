import { createSpan, type Span, SpanStore } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { checkRun } from './run-check.js';
import { storeRunSource } from './store-source.js';
import { countTurns } from '../testing/turns.js';

// Deciding evaluates a large run in slices (eval/steps.ts), so the receiver's other work gets turns:
// the verdict must be the one an evaluation in one piece gives, and an evaluation that spans arrived
// during must never settle the check.

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
let next = 0;

/** `n` spans of run R in traces of 10, named `step`. */
function run(n: number): Span[] {
  return Array.from({ length: n }, () => {
    const i = next++;
    const start = 1_000_000_000n + BigInt(i) * 1_000_000n;
    return createSpan({ traceId: hex(Math.floor(i / 10) + 1, 32), spanId: hex(i + 1, 16), name: 'step', startTimeUnixNano: start, endTimeUnixNano: start + 1000n, attributes: { 'test.run.id': 'R', seq: i } });
  });
}

const bad = (): Span => createSpan({ traceId: hex(9_999_999, 32), spanId: hex(9_999_999, 16), name: 'bad', attributes: { 'test.run.id': 'R' } });

describe('deciding over a large run, in slices', () => {
  const store = new SpanStore({ maxBytes: 1 << 30 });
  store.add(run(30_000));
  const last = next - 1; // the seq of the run's last span

  it('lets the event loop turn while it evaluates, and gives the verdict an evaluation at once gives', async () => {
    const assertion = `exactly 1 { .seq = ${last} && name = "step" } after { .seq = 5 }`;
    const ticker = countTurns();
    const sliced = await checkRun(storeRunSource(store, 'R'), assertion, { sliceMs: 1, settleMs: 20 });
    const during = ticker.count();
    ticker.stop();
    const whole = await checkRun(storeRunSource(store, 'R'), assertion, { sliceMs: 60_000, settleMs: 20 });
    expect(sliced.json).toMatchObject({ pass: true, reason: 'settled', count: 1 });
    const timeless = (j: object) => ({ ...j, waitedMs: 0, message: (j as { message: string }).message.replace(/Waited \d+ms/, '') });
    expect(timeless(sliced.json)).toEqual(timeless(whole.json));
    expect(during).toBeGreaterThan(3);
  });

  it('gives a positive check the same verdict when it holds only at its last trace', async () => {
    const d = await checkRun(storeRunSource(store, 'R'), `some { .seq = ${last} }`, { sliceMs: 1 });
    expect(d.json).toMatchObject({ pass: true, reason: 'held', count: 1 });
  });

  it('never settles on an evaluation that a span arrived during: the next one sees it', async () => {
    const local = new SpanStore({ maxBytes: 1 << 30 });
    local.add(run(30_000));
    // A settle window of 0: without the rule, the evaluation that began before `bad` arrived would pass.
    const verdict = checkRun(storeRunSource(local, 'R'), 'no { name = "bad" }', { sliceMs: 1, settleMs: 0, timeoutMs: 10_000 });
    setImmediate(() => local.add([bad()]));
    const d = await verdict;
    expect(d.json).toMatchObject({ pass: false, reason: 'hopeless', count: 1 });
  });
});
