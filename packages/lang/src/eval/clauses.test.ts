import { createSpan, type Span } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { parseAssertion } from '../parser.js';
import { compileAssertion } from './assertion.js';

// The clock tolerance of `after` / `before` (clauses.ts): OpenTelemetry JS reports a span's start in
// whole milliseconds, so a span that began after another ended can appear to start up to 1 ms early.

const MS = 1_000_000n;
const T0 = 1_700_000_000_000n * MS;
let n = 0;
const at = (name: string, startNs: bigint, durNs: bigint): Span =>
  createSpan({ traceId: 'e'.repeat(32), spanId: (++n).toString(16).padStart(16, '0'), name, startTimeUnixNano: T0 + startNs, endTimeUnixNano: T0 + startNs + durNs });
const holds = (spans: Span[], text: string) => compileAssertion(parseAssertion(text)).evaluate(spans).holds;

describe('order clauses and the clock tolerance', () => {
  it('counts a span stamped within 1 ms before the anchor ended as after it (JS ms start times)', () => {
    // refund.requested really ran 0..250µs; the charge began at 400µs, but its start was floored to 0.
    const spans = [at('refund.requested', 0n, 250_000n), at('charge', 0n, 5n * MS)];
    expect(holds(spans, 'one "charge" after "refund.requested"')).toBe(true);
  });

  it('still excludes a span that started 1 ms or more before the anchor ended', () => {
    const spans = [at('refund.requested', 0n, 3n * MS), at('charge', 2n * MS, 5n * MS)];
    expect(holds(spans, 'no "charge" after "refund.requested"')).toBe(true);
    const edge = [at('refund.requested', 0n, 3n * MS), at('charge', 2n * MS, MS)];
    expect(holds(edge, 'no "charge" after "refund.requested"')).toBe(true);
  });

  it('applies the same tolerance to before', () => {
    const within = [at('charge', 0n, 1_500_000n), at('subscription.cancel', MS, MS)];
    expect(holds(within, 'one "charge" before "subscription.cancel"')).toBe(true);
    const outside = [at('charge', 0n, 2n * MS), at('subscription.cancel', MS, MS)];
    expect(holds(outside, 'no "charge" before "subscription.cancel"')).toBe(true);
  });
});
