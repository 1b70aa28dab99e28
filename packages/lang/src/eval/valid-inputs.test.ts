/**
 * Every assertion the language accepts (Tempo's valid table and ours) compiles and evaluates over a
 * run with events, links, arrays and a broken parent: the evaluator has no gap the checker lets through.
 */
import { createResource, createSpan } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { oursValid } from '../conformance/ours.js';
import { tempoValid } from '../conformance/tempo.js';
import { validateAssertion } from '../validate.js';
import { compileAssertion } from './assertion.js';

const T = '0af7651916cd43dd8448eb211c80319c';
const root = createSpan({
  traceId: T, spanId: 'b7ad6b7169203331', name: 'GET /', kind: 2, status: { code: 1 },
  attributes: { 'http.status_code': 200, foo: 'bar', flag: true, list: [1, 2], ratio: 0.5 },
  events: [{ name: 'exception', attributes: { 'exception.message': 'boom' } }],
  links: [{ traceId: T, spanId: '00f067aa0ba902b7', attributes: { 'link.kind': 'follows' } }],
  resource: createResource({ 'service.name': 'frontend', cluster: 'prod' }),
});
const child = createSpan({ traceId: T, spanId: '00f067aa0ba902b7', parentSpanId: root.spanId, name: 'db', kind: 3, status: { code: 2, message: 'x' } });
const orphan = createSpan({ traceId: T, spanId: '1111111111111111', parentSpanId: '2222222222222222', name: 'orphan' });
const run = [root, child, orphan];

describe('every accepted assertion evaluates', () => {
  it.each([...tempoValid, ...oursValid].map((c) => [c.input] as const))('%s', (input) => {
    const outcome = compileAssertion(validateAssertion(input).ast).evaluate(run);
    expect(outcome.count).toBeLessThanOrEqual(run.length);
    expect(outcome.matches.every((s) => run.includes(s))).toBe(true);
  });
});
