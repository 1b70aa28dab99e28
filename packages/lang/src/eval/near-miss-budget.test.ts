import { createSpan, type Span } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { checkSpans } from '../decide/run-check.js';
import { boundedEditDistance } from './near-miss.js';

// Nearest misses are a diagnostic with a budget: huge values are compared on bounded prefixes and
// shown cut short, and a search that runs out of budget says so in the verdict.

let id = 0;
const span = (attributes: Record<string, string | number>, trace = 1): Span =>
  createSpan({ traceId: trace.toString(16).padStart(32, '0'), spanId: (++id).toString(16).padStart(16, '0'), name: 'op', attributes });

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

describe('nearest misses on hostile values', () => {
  it('compares ten 100 KB values with a 1,000-character literal and shows them cut short', () => {
    const big = 'q'.repeat(100_000);
    const spans = Array.from({ length: 10 }, (_, i) => span({ big: `${big}${i}` }));
    const close = checkSpans(spans, `some { span.big = "${'q'.repeat(995)}xxxxx" }`);
    expect(close.decision.pass).toBe(false);
    expect(close.json.nearMisses).toHaveLength(5);
    expect(close.json.nearMisses[0]!.actual).toMatch(/^was "q{200}"… \(100001 characters\)$/);
    expect(close.message.length).toBeLessThan(20_000);
    const far = checkSpans(spans, `some { span.big = "${'x'.repeat(1000)}" }`);
    expect(far.json.nearMisses).toHaveLength(0);
    expect(far.json.nearMissesIncomplete).toBeUndefined();
  });

  it('still finds a typo, a case difference and a prefix', () => {
    const spans = [span({ s: 'refund.created' }), span({ s: 'REFUND.CREATE' }), span({ s: 'refund.create.v2' })];
    const r = checkSpans(spans, 'some { span.s = "refund.create" }');
    expect(r.json.nearMisses).toHaveLength(3);
  });

  it('says in the verdict when the search stopped before looking at every span', () => {
    const spans = Array.from({ length: 100_100 }, (_, i) => span({ s: `value-${i}` }, 1 + Math.floor(i / 1000)));
    const r = checkSpans(spans, 'some { span.s = "value-x" }');
    expect(r.decision.pass).toBe(false);
    expect(r.json.nearMissesIncomplete).toMatchObject({ total: 100_100, maxSpans: 100_000, maxMs: 50 });
    expect(r.json.nearMissesIncomplete!.examined).toBeLessThanOrEqual(100_000);
    expect(r.message).toMatch(/The search for nearest misses stopped after \d+ of 100100 span examinations \(its budget is 50 ms or 100000 spans\)/);
    expect(r.message).not.toMatch(/No span came close/);
  });

  it('computes the edit distance exactly within the band', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const word = (): string => Array.from({ length: rnd(12) }, () => 'abc'[rnd(3)]).join('');
    for (let i = 0; i < 2000; i++) {
      const [a, b, k] = [word(), word(), rnd(6)];
      const d = editDistance(a, b);
      expect(boundedEditDistance(a, b, k)).toBe(d <= k ? d : k + 1);
    }
  });
});

describe('the diagnostics of a failed check over a large run', () => {
  // 60,000 spans in 6,000 traces, so two filters counted alone take 120,000 examinations: past the budget.
  const spans = Array.from({ length: 60_000 }, (_, i) => span({ n: i }, Math.floor(i / 10) + 1));

  it('count what each filter matched alone under the budget, and say when the count stopped', () => {
    const r = checkSpans(spans, 'some { span.n = 5 } && { span.n = 70000 }');
    expect(r.decision.pass).toBe(false);
    const [first, second] = r.json.selectionParts;
    expect(first).toEqual({ filter: '{ span.n = 5 }', matched: 1 });
    expect(second!.incomplete).toBe(true);
    expect(r.message).toMatch(/\{ span.n = 70000 \} matched at least 0 spans \(counting stopped at the diagnostics budget\)/);
  });

  it('show the earliest traces in the tree, as a sort of every trace would', () => {
    // Traces start in reverse of their order in the run; two of them at the same time keep run order.
    const starts = (t: number): bigint => (t === 3 ? 5_000n : 1_000_000n - BigInt(t)) * 1_000_000n;
    const shuffled = Array.from({ length: 2_000 }, (_, t) =>
      createSpan({ traceId: (t + 1).toString(16).padStart(32, '0'), spanId: (++id).toString(16).padStart(16, '0'), name: 'op', startTimeUnixNano: starts(t === 1_999 ? 3 : t) }),
    );
    const r = checkSpans(shuffled, 'some { span.n = -1 }');
    const shown = r.json.tree!.traces.map((t) => t.traceId);
    expect(shown.length).toBeGreaterThan(1);
    const bySort = [...shuffled].sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0));
    expect(shown).toEqual(bySort.slice(0, shown.length).map((s) => s.traceId));
    expect(shown.slice(0, 2)).toEqual([(4).toString(16).padStart(32, '0'), (2_000).toString(16).padStart(32, '0')]);
  });
});
