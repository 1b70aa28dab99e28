/**
 * What a person reads when a check fails: expected/received, how long and why, the matches, the
 * timing a clause excluded, the nearest misses with the one failed condition, and the trace tree.
 */
import type { Span, SpanInit } from '@tracecheck/model';
import { createResource, createSpan } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import type { Decision, StopReason } from '../decide/decide.js';
import { decideComplete } from '../decide/decide.js';
import { parseAssertion } from '../parser.js';
import type { Outcome } from './assertion.js';
import { compileAssertion } from './assertion.js';
import { renderVerdict, verdictJson } from './verdict.js';

const MS = 1_000_000n;
const BASE = 1_700_000_000_000n * MS;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
let n = 0;

function mk(init: Partial<SpanInit> & { name: string; at: number; ms: number; svc: string }): Span {
  return createSpan({
    ...init,
    traceId: init.traceId ?? TRACE,
    spanId: (++n).toString(16).padStart(16, '0'),
    startTimeUnixNano: BASE + BigInt(init.at) * MS,
    endTimeUnixNano: BASE + BigInt(init.at + init.ms) * MS,
    resource: createResource({ 'service.name': init.svc }),
  });
}

const root = mk({ name: 'POST /refund', at: 0, ms: 120, svc: 'web' });
const requested = mk({ name: 'refund.requested', parentSpanId: root.spanId, at: 20, ms: 5, svc: 'api' });
const refund = mk({ name: 'stripe.refund.create', parentSpanId: root.spanId, at: 30, ms: 40, svc: 'payments', attributes: { amount: 250, currency: 'eur' } });
const email = mk({ name: 'email.send', parentSpanId: root.spanId, at: 80, ms: 10, svc: 'mailer', status: { code: 2, message: 'smtp refused' } });
const orphan = mk({ name: 'browser.click', parentSpanId: 'aaaaaaaaaaaaaaaa', at: 0, ms: 2, svc: 'browser' });
const run = [root, requested, refund, email, orphan];

function verdict(text: string, spans: Span[] = run, reason?: StopReason): { text: string; decision: Decision<Outcome> } {
  const decision = decideComplete(spans, compileAssertion(parseAssertion(text)));
  const d = reason === undefined ? decision : { ...decision, reason, waitedMs: 10_000 };
  return { text: renderVerdict(text, d, spans), decision: d };
}

describe('renderVerdict', () => {
  it('names the condition a near miss failed, with the value it had', () => {
    const { text } = verdict('exactly 1 { name = "stripe.refund.create" && span.amount = 2500 }', run, 'timeout');
    expect(text).toContain('✘ exactly 1 { name = "stripe.refund.create" && span.amount = 2500 }');
    expect(text).toContain('Expected: exactly 1 matching span');
    expect(text).toContain('Received: 0 matching spans');
    expect(text).toContain('Waited 10s: timed out: the check did not hold by the timeout');
    expect(text).toMatch(/stripe\.refund\.create \(svc payments\) amount=250 40ms at \+30ms · trace 4bf92f35… span 0000000000000003\n\s+failed: span\.amount = 2500 \(was 250\)/);
  });

  it('finds a span whose name is a near typo of a one-condition filter', () => {
    const { text } = verdict('some "stripe.refund.created"');
    expect(text).toContain('failed: name = "stripe.refund.created" (was "stripe.refund.create")');
    expect(text).not.toContain('failed: name = "stripe.refund.created" (was "email.send")');
  });

  it('lists each match when there are more than allowed', () => {
    const { text } = verdict('at most 1 { span:parentID = "' + root.spanId + '" }');
    expect(text).toContain('Matched (3, 2 more than allowed):');
    expect(text).toContain('refund.requested (svc api)');
    expect(text).toContain('email.send (svc mailer) status=error("smtp refused")');
  });

  it('shows the timing a clause excluded a match for', () => {
    const { text } = verdict('some "refund.requested" after "stripe.refund.create"');
    expect(text).toContain('Received: 0 matching spans (1 matched the selection, 1 excluded by clauses)');
    expect(text).toContain('Excluded by `after { name = "stripe.refund.create" }` (1):');
    expect(text).toContain('started 50ms before stripe.refund.create ended');
  });

  it('says a clause anchor matched nothing, and shows its near misses', () => {
    const { text } = verdict('no "email.send" after "refund.request"');
    expect(text).toContain('Clause failed: after { name = "refund.request" }: no span matched it');
    expect(text).toContain('failed: name = "refund.request" (was "refund.requested")');
  });

  it('shows the trace tree with matches, errors and spans whose parent never arrived', () => {
    const { text } = verdict('exactly 2 "email.send"');
    const tree = text.slice(text.indexOf('Trace tree'));
    expect(tree).toBe([
      'Trace tree (5 spans in 1 trace):',
      `  trace ${TRACE} (5 spans, 120ms)`,
      '    POST /refund (svc web) 120ms',
      '      refund.requested (svc api) 5ms',
      '      stripe.refund.create (svc payments) 40ms',
      '      email.send (svc mailer) 10ms ✗ error ← match',
      '    browser.click (svc browser) 2ms [parent aaaaaaaaaaaaaaaa never arrived]',
    ].join('\n'));
  });

  it('bounds the tree and says how many spans it left out', () => {
    const many = Array.from({ length: 80 }, (_, i) => mk({ name: `step.${i}`, parentSpanId: root.spanId, at: i, ms: 1, svc: 'api' }));
    const { text } = verdict('no "step.3"', [root, ...many]);
    const tree = text.slice(text.indexOf('Trace tree')).split('\n');
    // the title, at most 50 lines of tree (a trace header and 49 spans), and what was left out
    expect(tree.length).toBe(52);
    expect(tree.at(-1)).toBe('  … 32 more spans not shown');
  });

  it('explains an empty run', () => {
    const { text } = verdict('no "x"', [], 'empty-run');
    expect(text).toContain('Received: no spans at all');
    expect(text).toContain('the instrumentation or the run id never');
  });

  it('reports parts of a structural selection that matched nothing', () => {
    const { text } = verdict('some { name = "POST /refund" } > { name = "ledger.write" }');
    expect(text).toContain('{ name = "POST /refund" } matched 1 span');
    expect(text).toContain('{ name = "ledger.write" } matched 0 spans');
  });

  it('says when event conditions hold only on different events', () => {
    const s = mk({ name: 'job', at: 0, ms: 5, svc: 'w', events: [{ name: 'exception', attributes: {} }, { name: 'log', attributes: { 'exception.type': 'Timeout' } }] });
    const { text } = verdict('some { event:name = "exception" && event.exception.type = "Timeout" }', [s]);
    expect(text).toContain('failed: event:name = "exception" && event.exception.type = "Timeout" (no single event or link satisfies all of these together)');
  });

  it('says when a value has another type than the literal', () => {
    const { text } = verdict('some { name = "stripe.refund.create" && span.amount = "250" }');
    expect(text).toContain('failed: span.amount = "250" (was 250, an int, not a string)');
  });

  it('shows the near miss that should have been the missing match', () => {
    const other = mk({ name: 'stripe.refund.create', parentSpanId: root.spanId, at: 90, ms: 5, svc: 'payments', attributes: { amount: 250, currency: 'usd' } });
    const { text } = verdict('exactly 2 { name = "stripe.refund.create" && span.currency = "eur" }', [...run, other]);
    expect(text).toContain('Matched (1):');
    expect(text).toMatch(/Nearest misses[^\n]*\n\s+stripe\.refund\.create \(svc payments\) currency="usd"[^\n]*\n\s+failed: span\.currency = "eur" \(was "usd"\)/);
  });

  it('reads short when the check passed', () => {
    const { text } = verdict('one "stripe.refund.create"');
    expect(text.split('\n')[0]).toBe('✔ one "stripe.refund.create"');
    expect(text).toContain('Waited 0ms: the run was complete (a file) and was evaluated once');
  });
});

describe('verdictJson', () => {
  it('gives the API the matches and the near misses as data', () => {
    const text = 'some { name = "stripe.refund.create" && span.currency = "usd" }';
    const { decision } = verdict(text);
    const json = verdictJson(text, decision, run);
    expect(json).toMatchObject({ pass: false, reason: 'complete', count: 0, expected: 'at least 1 matching span', matches: [] });
    expect(json.nearMisses).toEqual([{
      span: expect.objectContaining({ name: 'stripe.refund.create', service: 'payments', spanId: refund.spanId, durationNanos: '40000000' }),
      filter: '{ name = "stripe.refund.create" && span.currency = "usd" }',
      failed: 'span.currency = "usd"',
      actual: 'was "eur"',
    }]);
    expect(json.message).toContain('Nearest misses');
  });
});
