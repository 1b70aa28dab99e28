import { createSpan, SpanStore } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { exactly, span } from '../builder/index.js';
import { parseAssertion } from '../parser.js';
import { checkRun, checkSpans } from './run-check.js';
import { storeRunSource } from './store-source.js';

// The one engine behind the API, the CLI and the test integrations: text, AST and builder forms.

let n = 0;
const refund = (payload: unknown) =>
  createSpan({
    traceId: 'a1'.repeat(16),
    spanId: (++n).toString(16).padStart(16, '0'),
    name: 'stripe.refund.create',
    attributes: { 'test.run.id': 'R', amount: 2500, 'effect.payload': JSON.stringify(payload) },
  });

describe('checkSpans / checkRun', () => {
  it('gives the same verdict for text, AST and builder forms', () => {
    const spans = [refund({ charge: 'ch_1', amount: 2500 })];
    const text = 'exactly 1 { name = "stripe.refund.create" && span.amount = 2500 }';
    const built = exactly(1, span('stripe.refund.create').where({ amount: 2500 }));
    for (const form of [text, parseAssertion(text), built]) {
      const r = checkSpans(spans, form);
      expect(r.decision.pass).toBe(true);
      expect(r.assertion).toBe(text);
    }
  });

  it('does not count a match whose payload drifted from the schema, and says which field', () => {
    const schema = z.object({ charge: z.string(), amount: z.number().int() });
    const built = exactly(1, span('stripe.refund.create').payload(schema));
    const r = checkSpans([refund({ charge: 'ch_1', amount: '2500' })], built);
    expect(r.decision.pass).toBe(false);
    expect(r.message).toMatch(/Payload did not fit the schema \(1, not counted\)/);
    expect(r.message).toMatch(/amount/);
    expect(r.json.payloadFailures).toHaveLength(1);
    expect(r.json.payloadFailures[0]).toMatchObject({ span: { name: 'stripe.refund.create' }, reason: 'schema' });
  });

  it('waits on a live run with a builder assertion', async () => {
    const store = new SpanStore();
    const pending = checkRun(storeRunSource(store, 'R'), exactly(1, span('stripe.refund.create')), { settleMs: 50, timeoutMs: 5_000 });
    setTimeout(() => store.add([refund({ charge: 'ch_2', amount: 1 })]), 20);
    const r = await pending;
    expect(r.decision).toMatchObject({ pass: true, reason: 'settled' });
  });
});
