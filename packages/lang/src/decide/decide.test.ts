import { createSpan, type Span, SpanStore } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { type Decidable, decide, decideComplete } from './decide.js';
import { storeRunSource } from './store-source.js';

// The decider against the real store. The check is a plain count of spans named `charge`, with the
// quantifier's meaning, so each test controls exactly what the evaluation says.

let n = 0;
const span = (name: string, run = 'R'): Span =>
  createSpan({ traceId: 'a'.repeat(32), spanId: (++n).toString(16).padStart(16, '0'), name, attributes: { 'test.run.id': run } });

function count(op: 'atLeast' | 'exactly' | 'atMost', k: number): Decidable<{ holds: boolean; hopeless: boolean; count: number }> {
  return {
    passesEarly: op === 'atLeast',
    evaluate(spans) {
      const c = spans.filter((s) => s.name === 'charge').length;
      const holds = op === 'atLeast' ? c >= k : op === 'exactly' ? c === k : c <= k;
      return { holds, hopeless: op !== 'atLeast' && c > k, count: c };
    },
  };
}
const later = (ms: number, fn: () => void) => setTimeout(fn, ms);

describe('decide', () => {
  it('passes a positive check as soon as it holds, without waiting for the settle window', async () => {
    const store = new SpanStore();
    const verdict = decide(storeRunSource(store, 'R'), count('atLeast', 1), { settleMs: 60_000, timeoutMs: 60_000 });
    later(20, () => store.add([span('noise')]));
    later(40, () => store.add([span('charge')]));
    const d = await verdict;
    expect(d).toMatchObject({ pass: true, reason: 'held', spanCount: 2 });
    expect(d.outcome.count).toBe(1);
  });

  it('passes exactly-N only once the run has been quiet for the settle window', async () => {
    const store = new SpanStore();
    store.add([span('charge')]);
    const d = await decide(storeRunSource(store, 'R'), count('exactly', 1), { settleMs: 150, timeoutMs: 5_000 });
    expect(d).toMatchObject({ pass: true, reason: 'settled' });
    expect(d.waitedMs).toBeGreaterThanOrEqual(140);
  });

  it('catches a duplicate that arrives after the first match, within the settle window', async () => {
    const store = new SpanStore();
    store.add([span('charge')]);
    const verdict = decide(storeRunSource(store, 'R'), count('exactly', 1), { settleMs: 300, timeoutMs: 5_000 });
    later(100, () => store.add([span('charge')]));
    const d = await verdict;
    expect(d).toMatchObject({ pass: false, reason: 'hopeless' });
    expect(d.outcome.count).toBe(2);
  });

  it('never passes `no` before the run settles, and restarts the window on each arrival', async () => {
    const store = new SpanStore();
    store.add([span('noise')]);
    const verdict = decide(storeRunSource(store, 'R'), count('atMost', 0), { settleMs: 200, timeoutMs: 5_000 });
    let lastAdd = 0;
    later(120, () => {
      store.add([span('noise')]);
      lastAdd = Date.now();
    });
    const d = await verdict;
    expect(d).toMatchObject({ pass: true, reason: 'settled' });
    expect(Date.now() - lastAdd).toBeGreaterThanOrEqual(190);
  });

  it('fails an empty run at the timeout, saying so', async () => {
    const store = new SpanStore();
    const d = await decide(storeRunSource(store, 'R'), count('atMost', 0), { settleMs: 10, timeoutMs: 150 });
    expect(d).toMatchObject({ pass: false, reason: 'empty-run', spanCount: 0 });
  });

  it('fails with never-settled when the check held but spans kept coming', async () => {
    const store = new SpanStore();
    store.add([span('noise')]);
    const feeder = setInterval(() => store.add([span('noise')]), 20);
    const d = await decide(storeRunSource(store, 'R'), count('atMost', 0), { settleMs: 400, timeoutMs: 900 });
    clearInterval(feeder);
    expect(d).toMatchObject({ pass: false, reason: 'never-settled' });
  });

  it('fails with timeout when a positive check never held, ignoring other runs', async () => {
    const store = new SpanStore();
    store.add([span('noise')]);
    later(30, () => store.add([span('charge', 'OTHER')]));
    const d = await decide(storeRunSource(store, 'R'), count('atLeast', 1), { timeoutMs: 200 });
    expect(d).toMatchObject({ pass: false, reason: 'timeout', spanCount: 1 });
  });

  it('stops when aborted', async () => {
    const store = new SpanStore();
    const ac = new AbortController();
    later(30, () => ac.abort());
    const d = await decide(storeRunSource(store, 'R'), count('atLeast', 1), { timeoutMs: 60_000, signal: ac.signal });
    expect(d).toMatchObject({ pass: false, reason: 'aborted' });
  });

  it('decides a complete run at once', () => {
    expect(decideComplete([span('charge')], count('exactly', 1))).toMatchObject({ pass: true, reason: 'complete' });
    expect(decideComplete([], count('atMost', 0))).toMatchObject({ pass: false, reason: 'empty-run' });
  });
});
