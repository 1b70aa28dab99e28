import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTurns } from '../testing/turns.js';
import { runSliced, runSteps, sortByStartSteps, type Steps } from './steps.js';

const item = (start: bigint, id: number) => ({ startTimeUnixNano: start, id });

describe('sortByStartSteps', () => {
  it('orders as a stable sort by start does, for any starts (ties, values past 2^53)', () => {
    const starts = fc.oneof(fc.bigInt({ min: 0n, max: 5n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom(1_700_000_000_000_000_000n, 1_700_000_000_000_000_001n));
    fc.assert(
      fc.property(fc.array(starts, { maxLength: 300 }), (list) => {
        const items = list.map(item);
        const expected = [...items].sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0));
        expect(runSteps(sortByStartSteps(items)).map((i) => i.id)).toEqual(expected.map((i) => i.id));
      }),
      { numRuns: Number(process.env.TRACECHECK_FUZZ_RUNS ?? 300), seed: Number(process.env.TRACECHECK_FUZZ_SEED ?? 42) },
    );
  });
});

/** Steps that yield `n` times, then return `n`. */
function* counting(n: number, spin = 0): Steps<number> {
  for (let i = 0; i < n; i++) {
    const until = performance.now() + spin;
    while (performance.now() < until);
    yield;
  }
  return n;
}

describe('runSliced', () => {
  it('answers before it returns when the steps end within one slice', () => {
    let got: number | undefined;
    runSliced(counting(100), 1_000, (v) => (got = v), () => {});
    expect(got).toBe(100);
  });

  it('lets the event loop turn between slices, and the result is the same', async () => {
    const turns = countTurns();
    const value = await new Promise<number>((resolve, reject) => runSliced(counting(50, 1), 5, resolve, reject));
    turns.stop();
    expect(value).toBe(50);
    // 50 ms of work in slices of 5 ms: other callbacks ran in between, about once per slice.
    expect(turns.count()).toBeGreaterThanOrEqual(5);
  });

  it('reports what the steps throw, and calls nothing after it is stopped', async () => {
    function* failing(): Steps<number> {
      yield;
      throw new Error('bad');
    }
    await expect(new Promise((resolve, reject) => runSliced(failing(), 0, resolve, reject))).rejects.toThrow('bad');
    let called = false;
    const stop = runSliced(counting(1_000, 0.05), 1, () => (called = true), () => (called = true));
    stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(called).toBe(false);
  });
});
