import { createSpan } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import type { Assertion, Expr } from './ast.js';
import { checkAssertion } from './check.js';
import { checkSpans } from './decide/run-check.js';
import { ParseError } from './errors.js';
import { formatAssertion } from './format.js';
import { LANGUAGE_LIMITS, parseAssertion } from './parser.js';
import { validateAssertion } from './validate.js';

// Deeply nested or very long assertions are refused by the parser with a clear error, before any
// pass can recurse past the stack; everything the parser accepts runs through every pass.

const shapes: Record<string, (n: number) => string> = {
  'parentheses in a filter': (n) => `some { ${'('.repeat(n)}.a = 1${')'.repeat(n)} }`,
  'parentheses around selections': (n) => `some ${'('.repeat(n)}{ .a = 1 }${')'.repeat(n)}`,
  'a >> chain': (n) => `some ${Array(n).fill('{ .a = 1 }').join(' >> ')}`,
  'a || chain': (n) => `some ${Array(n).fill('{ .a = 1 }').join(' || ')}`,
  'a && chain of selections': (n) => `some ${Array(n).fill('{ .a = 1 }').join(' && ')}`,
  '! prefixes': (n) => `some { ${'!'.repeat(n)}(.a = 1) }`,
  '- prefixes': (n) => `some { ${'-'.repeat(n)}1 = .a }`,
  'an && chain of conditions': (n) => `some { ${Array(n).fill('.a = 1').join(' && ')} }`,
  'a + chain': (n) => `some { ${Array(n).fill('1').join(' + ')} = .a }`,
  'a ^ chain (right-associative)': (n) => `some { ${Array(n).fill('2').join(' ^ ')} = .a }`,
  'an after clause': (n) => `some { .a = 1 } after ${'('.repeat(n)}{ .a = 1 }${')'.repeat(n)}`,
};

function accepted(text: string): boolean {
  try {
    validateAssertion(text);
    return true;
  } catch (err) {
    if (err instanceof ParseError && err.code === 'too-deep') return false;
    throw err;
  }
}

/** The largest n the parser accepts for a shape. */
function deepest(shape: (n: number) => string): number {
  let lo = 1;
  let hi = LANGUAGE_LIMITS.maxNesting + 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (accepted(shape(mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const spans = [1, 2, 3].map((i) =>
  createSpan({ traceId: 'ab'.repeat(16), spanId: i.toString(16).padStart(16, '0'), parentSpanId: i === 1 ? '' : '0000000000000001', name: `op${i}`, attributes: { a: i } }),
);

describe('assertion limits', () => {
  it.each(Object.entries(shapes))('refuses %s nested past the limit, at the place it gets too deep', (_, shape) => {
    for (const n of [LANGUAGE_LIMITS.maxNesting + 1, 3_000]) {
      const text = shape(n);
      if (text.length > LANGUAGE_LIMITS.maxLength) continue;
      let error: unknown;
      try {
        parseAssertion(text);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ParseError);
      const e = error as ParseError;
      expect(e.code).toBe('too-deep');
      expect(e.message).toMatch(new RegExp(`more than ${LANGUAGE_LIMITS.maxNesting} levels deep`));
      expect(e.offset).toBeGreaterThan(0);
      expect(e.line).toBe(1);
    }
  });

  it.each(Object.entries(shapes))('runs the deepest accepted %s through checker, evaluator, diagnostics and formatter', (_, shape) => {
    const n = deepest(shape);
    expect(n).toBeGreaterThan(60); // every shape allows real assertions plenty of room
    const text = shape(n);
    const r = checkSpans(spans, text);
    expect(typeof r.decision.pass).toBe('boolean');
    expect(r.message.length).toBeGreaterThan(0);
    JSON.stringify(r.json);
    // What the formatter writes parses again (parentheses it adds for readability included).
    const again = formatAssertion(parseAssertion(text));
    expect(formatAssertion(parseAssertion(again))).toBe(again);
  });

  it('refuses the campaign inputs of 10,000 operators with 400-style errors, never a stack overflow', () => {
    const inputs = [
      `some { ${'('.repeat(3000)}.a = 1${')'.repeat(3000)} }`,
      `some { ${'!'.repeat(10_000)}true }`,
      `some { ${Array(10_000).fill('1').join(' + ')} = 2 }`,
      `some ${Array(5_000).fill('{}').join('>>')}`,
      `some { ${Array(5_000).fill('.a').join('&&')} }`,
    ];
    for (const text of inputs) {
      expect(() => validateAssertion(text)).toThrow(ParseError);
      try {
        validateAssertion(text);
      } catch (err) {
        expect(['too-deep', 'too-long']).toContain((err as ParseError).code);
      }
    }
  });

  it('refuses an assertion longer than maxLength, saying how long it is', () => {
    const text = `some { .a = "${'x'.repeat(LANGUAGE_LIMITS.maxLength)}" }`;
    expect(() => parseAssertion(text)).toThrow(/is 65552 characters long; at most 65536/);
    expect(() => parseAssertion(`some { .a = "${'x'.repeat(LANGUAGE_LIMITS.maxLength - 20)}" }`)).not.toThrow();
  });

  it('refuses a tree built in code deeper than the limit in the checker, without recursing', () => {
    let expr: Expr = { type: 'bool', value: true };
    for (let i = 0; i < 100_000; i++) expr = { type: 'unary', op: '!', operand: expr };
    const ast: Assertion = { type: 'assertion', quantifier: { type: 'quantifier', kind: 'some' }, selection: { type: 'filter', expr }, clauses: [] };
    const [d] = checkAssertion(ast);
    expect(d).toMatchObject({ code: 'too-deep', severity: 'error' });
  });
});
