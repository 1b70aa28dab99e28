/**
 * The deciding flags a compiled assertion gives `decide`: `passesEarly` (no later span can make a
 * holding check false) and `hopeless` (no later span can make a failing check true).
 */
import type { Span } from '@tracecheck/model';
import { createSpan } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { decide, decideComplete } from '../decide/decide.js';
import { parseAssertion } from '../parser.js';
import { compileAssertion } from './assertion.js';

const compile = (text: string) => compileAssertion(parseAssertion(text));

describe('passesEarly', () => {
  it.each([
    ['some "a"', true],
    ['at least 2 { span.x = 1 }', true],
    ['some { } > { name = "b" }', true],
    ['some { } >> { } && { name = "b" }', true],
    ['some "a" after "b"', true],
    ['some "a" before "b"', true],
    ['some { !(span.x = 1) }', true],
    ['some { trace:id = "ab" }', true],
    ['exactly 1 "a"', false],
    ['at most 1 "a"', false],
    ['no "a"', false],
    ['one "a"', false],
    ['some { } !> { name = "b" }', false],
    ['some { name = "a" } !~ { }', false],
    ['some { trace:rootName = "a" }', false],
    ['some { rootServiceName = "a" }', false],
    ['some { traceDuration > 1s }', false],
    ['some { span:childCount = 0 }', false],
    ['some "a" within 5s', false],
    ['some "a" after ({ } !> { name = "b" })', false],
  ])('%s -> %s', (text, expected) => {
    expect(compile(text).passesEarly).toBe(expected);
  });
});

const T = 'ab'.repeat(16);
const spanNamed = (name: string, i: number, parent = ''): Span =>
  createSpan({ traceId: T, spanId: i.toString(16).padStart(16, '0'), parentSpanId: parent, name });

describe('hopeless', () => {
  const two = [spanNamed('a', 1), spanNamed('a', 2)];
  it.each([
    ['at most 1 "a"', true],
    ['exactly 1 "a"', true],
    ['no "a"', true],
    ['one "a"', true],
    ['at least 3 "a"', false],
    ['exactly 3 "a"', false],
    ['at most 1 { trace:rootName = "a" }', false],
    ['at most 1 { } !> { name = "a" }', false],
    ['at most 1 "a" within 1h', false],
    ['no "a" after "b"', false],
  ])('%s over two matching spans -> %s', (text, expected) => {
    const outcome = compile(text).evaluate(two);
    expect(outcome.holds).toBe(false);
    expect(outcome.hopeless).toBe(expected);
  });
});

describe('with decide', () => {
  it('fails at once when too many spans matched', async () => {
    const spans = [spanNamed('a', 1), spanNamed('a', 2)];
    const source = { spans: () => spans, subscribe: () => () => {}, lastArrival: () => Date.now() };
    const decision = await decide(source, compile('at most 1 "a"'), { timeoutMs: 5_000 });
    expect(decision).toMatchObject({ pass: false, reason: 'hopeless' });
    expect(decision.outcome.count).toBe(2);
  });

  it('passes a positive check the moment it holds', async () => {
    const spans = [spanNamed('a', 1)];
    const source = { spans: () => spans, subscribe: () => () => {}, lastArrival: () => Date.now() };
    const decision = await decide(source, compile('some "a"'), { timeoutMs: 5_000, settleMs: 60_000 });
    expect(decision).toMatchObject({ pass: true, reason: 'held' });
  });

  it('decides a complete run once', () => {
    expect(decideComplete([spanNamed('b', 1)], compile('no "a"'))).toMatchObject({ pass: true, reason: 'complete' });
  });
});
