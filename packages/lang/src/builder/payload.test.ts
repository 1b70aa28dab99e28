import type { Span } from '@tracecheck/model';
import { createSpan } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { decide, decideComplete } from '../decide/decide.js';
import type { RunSource } from '../decide/decide.js';
import { atMost, exactly, no, some } from './assertion.js';
import { BuilderError } from './errors.js';
import { compileBuilt, describePayloadFailures } from './payload.js';
import { span } from './selection.js';
import { toBuilderCode } from './to-code.js';

const TRACE = 'ab'.repeat(16);
let next = 0;
function effect(name: string, payload: unknown, extra: Record<string, unknown> = {}, start = 1_000_000_000n): Span {
  const attributes: Record<string, unknown> = { ...extra };
  if (payload !== undefined) attributes['effect.payload'] = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return createSpan({ traceId: TRACE, spanId: (++next).toString(16).padStart(16, '0'), name, attributes, startTimeUnixNano: start });
}

const Refund = z.object({ amount: z.number().int(), currency: z.enum(['EUR', 'USD']), items: z.array(z.object({ sku: z.string() })) });
const good = { amount: 2500, currency: 'EUR', items: [{ sku: 'A-1' }] };

describe('payload checks', () => {
  it('counts a match whose payload fits', () => {
    const check = compileBuilt(exactly(1, span('stripe.refund.create').payload(Refund)));
    const outcome = check.evaluate([effect('stripe.refund.create', good)]);
    expect(outcome).toMatchObject({ holds: true, count: 1, payloadFailures: [] });
  });

  it('does not count a match whose payload drifted, and says which field', () => {
    const drifted = { ...good, amount: '2500', items: [{ sku: 7 }] };
    const spans = [effect('stripe.refund.create', drifted)];
    const check = compileBuilt(exactly(1, span('stripe.refund.create').payload(Refund)));
    const outcome = check.evaluate(spans);
    expect(outcome.holds).toBe(false);
    expect(outcome.count).toBe(0);
    expect(outcome.selected).toHaveLength(1);
    expect(outcome.payloadFailures).toHaveLength(1);
    const failure = outcome.payloadFailures[0]!;
    expect(failure.reason).toBe('schema');
    expect(failure.issues.map((i) => i.path)).toEqual([['amount'], ['items', 0, 'sku']]);
    expect(failure.issues.map((i) => i.code)).toEqual(['invalid_type', 'invalid_type']);
    expect(failure.message).toMatch(/^effect\.payload\.amount: .*expected number.*; effect\.payload\.items\[0\]\.sku: .*expected string/);
    expect(describePayloadFailures(outcome.payloadFailures)).toEqual([`stripe.refund.create · span ${spans[0]!.spanId}: ${failure.message}`]);
  });

  it.each([
    ['missing', undefined, /effect\.payload is missing/],
    ['not-json', '{"amount": 25', /effect\.payload is not JSON/],
  ])('reports a payload that is %s', (reason, payload, message) => {
    const outcome = compileBuilt(some(span('charge').payload(Refund))).evaluate([effect('charge', payload)]);
    expect(outcome.holds).toBe(false);
    expect(outcome.payloadFailures).toMatchObject([{ reason, issues: [] }]);
    expect(outcome.payloadFailures[0]!.message).toMatch(message);
  });

  it('reports a payload the SDK cut at its size cap, saying how to raise the cap', () => {
    const cut = effect('charge', '{"amount": 25', { 'effect.payload.truncated': true, 'effect.payload.size': 70000 });
    const outcome = compileBuilt(some(span('charge').payload(Refund))).evaluate([cut]);
    expect(outcome.payloadFailures).toMatchObject([{ reason: 'truncated' }]);
    expect(outcome.payloadFailures[0]!.message).toContain('of 70000 bytes');
    expect(outcome.payloadFailures[0]!.message).toContain('TRACECHECK_PAYLOAD_LIMIT');
  });

  it('reports a payload attribute that is not text as not JSON', () => {
    const s = createSpan({ traceId: TRACE, spanId: 'f'.repeat(16), name: 'charge', attributes: { 'effect.payload': { amount: 1 } } });
    const outcome = compileBuilt(some(span('charge').payload(Refund))).evaluate([s]);
    expect(outcome.payloadFailures).toMatchObject([{ reason: 'not-json', message: 'effect.payload is a kvlist attribute, not JSON text' }]);
  });

  it('takes the payload failures out of an upper bound: at most 1 holds with one fitting and two drifted', () => {
    const spans = [effect('webhook', good), effect('webhook', { amount: 'x' }), effect('webhook', undefined)];
    const outcome = compileBuilt(atMost(1, span('webhook').payload(Refund))).evaluate(spans);
    expect(outcome).toMatchObject({ holds: true, hopeless: false, count: 1 });
    expect(outcome.payloadFailures.map((f) => f.reason)).toEqual(['schema', 'missing']);
  });

  it('is hopeless only on fitting matches', () => {
    const spans = [effect('webhook', good), effect('webhook', good)];
    expect(compileBuilt(atMost(1, span('webhook').payload(Refund))).evaluate(spans)).toMatchObject({ holds: false, hopeless: true, count: 2 });
  });

  it('no(...) with a payload: no span with a fitting payload', () => {
    const check = compileBuilt(no(span('charge').payload(z.object({ currency: z.literal('GBP') }))));
    expect(check.evaluate([effect('charge', good)]).holds).toBe(true);
    expect(check.evaluate([effect('charge', { currency: 'GBP' })]).holds).toBe(false);
  });

  it('checks only what the clauses kept', () => {
    const spans = [
      effect('refund.requested', undefined, {}, 2_000_000_000n),
      effect('refund.create', { amount: 'early' }, {}, 1_000_000_000n),
      effect('refund.create', good, {}, 3_000_000_000n),
    ];
    const outcome = compileBuilt(exactly(1, span('refund.create').payload(Refund).after('refund.requested'))).evaluate(spans);
    expect(outcome).toMatchObject({ holds: true, count: 1, payloadFailures: [] });
    expect(outcome.excluded).toHaveLength(1);
  });

  it('runs every schema, reporting the issues of all', () => {
    const check = compileBuilt(some(span('charge').payload(z.object({ amount: z.number() })).payload(z.object({ currency: z.string() }))));
    const outcome = check.evaluate([effect('charge', { amount: 'x' })]);
    expect(outcome.payloadFailures[0]!.issues.map((i) => i.path)).toEqual([['amount'], ['currency']]);
  });

  it('accepts zod/mini schemas', () => {
    const check = compileBuilt(some(span('charge').payload(zm.object({ amount: zm.number() }))));
    expect(check.evaluate([effect('charge', { amount: 1 })]).holds).toBe(true);
    expect(check.evaluate([effect('charge', { amount: '1' })]).payloadFailures[0]!.issues[0]!.path).toEqual(['amount']);
  });

  it('quotes path segments that are not identifiers', () => {
    const check = compileBuilt(some(span('charge').payload(z.object({ 'unit price': z.number() }))));
    expect(check.evaluate([effect('charge', {})]).payloadFailures[0]!.message).toMatch(/^effect\.payload\["unit price"\]: /);
  });

  it('refuses what is not a zod schema, and schemas that cannot run synchronously', () => {
    expect(() => span('a').payload({} as never)).toThrow(expect.objectContaining({ code: 'invalid-value' }));
    const asyncSchema = z.object({ a: z.number() }).refine(async () => true);
    const check = compileBuilt(some(span('charge').payload(asyncSchema)));
    expect(() => check.evaluate([effect('charge', { a: 1 })])).toThrow(BuilderError);
  });

  it('has no text form: the text and the builder code show the selection only', () => {
    const built = exactly(1, span('charge').where({ amount: 2500 }).payload(Refund).within('5s'));
    expect(String(built)).toBe('exactly 1 { name = "charge" && span.amount = 2500 } within 5s');
    expect(toBuilderCode(built.ast)).toBe("exactly(1, span('charge').where({ amount: 2500 }).within('5s'))");
    expect(built.payloads).toEqual([Refund]);
  });

  it('keeps the deciding flags of the compiled assertion', () => {
    expect(compileBuilt(some(span('a').payload(Refund))).passesEarly).toBe(true);
    expect(compileBuilt(exactly(1, span('a').payload(Refund))).passesEarly).toBe(false);
  });
});

describe('in the deciding loop', () => {
  function source(spans: Span[]): RunSource & { push(s: Span): void } {
    const listeners = new Set<() => void>();
    return {
      spans: () => spans,
      subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
      lastArrival: () => (spans.length === 0 ? undefined : Date.now()),
      push(s) {
        spans.push(s);
        for (const l of listeners) l();
      },
    };
  }

  it('waits past a drifted payload for a fitting one', async () => {
    const run = source([effect('charge', { amount: 'x' })]);
    const verdict = decide(run, compileBuilt(some(span('charge').payload(z.object({ amount: z.number() })))), { timeoutMs: 5_000 });
    setTimeout(() => run.push(effect('charge', { amount: 1 })), 10);
    const d = await verdict;
    expect(d).toMatchObject({ pass: true, reason: 'held' });
    expect(d.outcome.count).toBe(1);
    expect(d.outcome.payloadFailures).toHaveLength(1);
  });

  it('fails a complete run with the payload failures as evidence', () => {
    const d = decideComplete([effect('charge', { amount: 'x' })], compileBuilt(exactly(1, span('charge').payload(z.object({ amount: z.number() })))));
    expect(d.pass).toBe(false);
    expect(d.outcome.payloadFailures[0]!.issues[0]).toMatchObject({ path: ['amount'], code: 'invalid_type' });
  });
});
