import { describe, expect, it } from 'vitest';
import { quantifierBounds, stripLoc } from './ast.js';
import type { Expr, Selection } from './ast.js';
import { ParseError } from './errors.js';
import { formatExpr, formatSelection } from './format.js';
import { parseAssertion, parseSelection } from './parser.js';

/** The field expression of `{ text }`, printed with every binary and unary node parenthesized. */
function shape(text: string): string {
  const sel = parseSelection(`{ ${text} }`);
  if (sel.type !== 'filter' || sel.expr === null) throw new Error('not a filter');
  const show = (e: Expr): string => (e.type === 'binary' ? `(${show(e.left)} ${e.op} ${show(e.right)})` : e.type === 'unary' ? `(${e.op}${show(e.operand)})` : formatExpr(e));
  return show(sel.expr);
}

function selShape(text: string): string {
  const show = (s: Selection): string => (s.type === 'filter' ? formatSelection(s) : `(${show(s.left)} ${s.op} ${show(s.right)})`);
  return show(parseSelection(text));
}

describe('parseAssertion', () => {
  it('reads quantifier, selection and clauses', () => {
    const a = stripLoc(parseAssertion('exactly 1 { name = "stripe.refund.create" && span.amount = 2500 } after "refund.requested" within 5s'));
    expect(a.quantifier).toEqual({ type: 'quantifier', kind: 'exactly', count: 1 });
    expect(a.selection).toEqual({
      type: 'filter',
      expr: {
        type: 'binary', op: '&&',
        left: { type: 'binary', op: '=', left: { type: 'intrinsic', name: 'name' }, right: { type: 'string', value: 'stripe.refund.create' } },
        right: { type: 'binary', op: '=', left: { type: 'attribute', scope: 'span', name: 'amount' }, right: { type: 'int', value: 2500n } },
      },
    });
    expect(a.clauses).toEqual([
      { type: 'after', selection: stripLoc(parseSelection('{ name = "refund.requested" }')) },
      { type: 'within', nanos: 5_000_000_000n },
    ]);
  });

  it('reads every quantifier and its bounds', () => {
    const bounds = (t: string) => quantifierBounds(parseAssertion(`${t} { }`).quantifier);
    expect(bounds('exactly 3')).toEqual({ min: 3, max: 3 });
    expect(bounds('at least 2')).toEqual({ min: 2, max: undefined });
    expect(bounds('at most 4')).toEqual({ min: 0, max: 4 });
    expect(bounds('no')).toEqual({ min: 0, max: 0 });
    expect(bounds('some')).toEqual({ min: 1, max: undefined });
    expect(bounds('one')).toEqual({ min: 1, max: 1 });
  });

  it('reads "x" as { name = "x" } anywhere a selection goes', () => {
    expect(stripLoc(parseSelection('"a" > "b"'))).toEqual(stripLoc(parseSelection('{ name = "a" } > { name = "b" }')));
  });

  it('lets a clause selection run until the next clause', () => {
    const a = parseAssertion('some "a" after "b" && "c" before "d"');
    expect(a.clauses.map((c) => c.type)).toEqual(['after', 'before']);
    expect(a.clauses[0]!.type === 'after' && a.clauses[0]!.selection.type).toBe('spanset');
  });

  it('records source offsets and parentheses in loc', () => {
    const sel = parseSelection('({ .a } || { .b }) && { .c }');
    expect(sel.type === 'spanset' && sel.left.loc).toEqual({ start: 0, end: 18, parens: true });
    expect(sel.loc).toEqual({ start: 0, end: 28 });
  });
});

describe('precedence (TraceQL expr.y)', () => {
  it('gives && and || equal precedence, left to right', () => {
    expect(shape('.a || .b && .c')).toBe('((.a || .b) && .c)');
    expect(selShape('{ .a } && { .b } || { .c }')).toBe('(({ .a } && { .b }) || { .c })');
  });

  it('binds comparisons tighter than && and looser than arithmetic', () => {
    expect(shape('.a + 1 = 2 && .b * 2 > 3')).toBe('(((.a + 1) = 2) && ((.b * 2) > 3))');
  });

  it('binds prefix ! and - tighter than + and comparisons, looser than * and ^', () => {
    expect(shape('!.a = 2')).toBe('((!.a) = 2)');
    expect(shape('-.a + 1 = 2')).toBe('(((-.a) + 1) = 2)');
    expect(shape('-.a * 2 = 4')).toBe('((-(.a * 2)) = 4)');
  });

  it('makes ^ right-associative and the rest left-associative', () => {
    expect(shape('2 ^ 3 ^ 2 = 1')).toBe('((2 ^ (3 ^ 2)) = 1)');
    expect(shape('10 - 2 - 3 = 5')).toBe('(((10 - 2) - 3) = 5)');
  });

  it('binds structural operators tighter than && and ||', () => {
    expect(selShape('{ .a } && { .b } > { .c } >> { .d }')).toBe('({ .a } && (({ .b } > { .c }) >> { .d }))');
  });

  it('keeps nil as a direct operand of = and !=', () => {
    expect(shape('.a = nil && .b != nil')).toBe('((.a = nil) && (.b != nil))');
    expect(shape('nil != .a + 1')).toBe('(nil != (.a + 1))');
  });
});

describe('syntax errors', () => {
  const fail = (text: string): ParseError => {
    try {
      parseAssertion(text);
    } catch (err) {
      if (err instanceof ParseError) return err;
      throw err;
    }
    throw new Error('parsed');
  };

  it('name line, column and what was expected', () => {
    const err = fail('some { .a = 1 }\n  && { .b = }');
    expect(err).toMatchObject({ code: 'unexpected-token', offset: 28, line: 2, column: 13 });
    expect(err.expected).toContain("'('");
  });

  it('explain TraceQL features an assertion leaves out', () => {
    expect(fail('some { .a = 1 } | count() > 1')).toMatchObject({ code: 'unsupported', message: expect.stringContaining('pipelines') });
    expect(fail('some count() > 1')).toMatchObject({ code: 'unsupported', message: expect.stringContaining('count()') });
  });

  it('say to write a single-quoted string in double quotes or backticks', () => {
    const err = fail("some { name = 'x' }");
    expect(err).toMatchObject({ code: 'unexpected-character', line: 1, column: 15, end: 17 });
    expect(err.message).toBe('strings are written in double quotes or backticks, not single quotes: write "x" or `x`');
    expect(fail("some 'charge' after \"cart\"").message).toBe('strings are written in double quotes or backticks, not single quotes: write "charge" or `charge`');
    expect(fail("some { name = 'x }").message).toBe('strings are written in double quotes or backticks, not single quotes');
  });

  it('point at a missing quantifier', () => {
    expect(fail('{ .a = 1 }')).toMatchObject({ offset: 0, message: expect.stringContaining('starts with a quantifier') });
  });
});
