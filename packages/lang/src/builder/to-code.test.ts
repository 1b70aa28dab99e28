import { describe, expect, it } from 'vitest';
import type { Expr } from '../ast.js';
import { stripLoc } from '../ast.js';
import { oursValid } from '../conformance/ours.js';
import { tempoValid } from '../conformance/tempo.js';
import { formatAssertion } from '../format.js';
import { parseAssertion, parseSelection } from '../parser.js';
import { BuilderError } from './errors.js';
import * as builder from './index.js';
import { toBuilderCode } from './to-code.js';

/** Runs builder code with the builder's exports in scope, as a user's test file would. */
function run(code: string): unknown {
  const names = Object.keys(builder);
  return new Function(...names, `return ${code};`)(...names.map((n) => (builder as Record<string, unknown>)[n]));
}

function astOf(code: string): unknown {
  const built = run(code);
  if (built instanceof builder.BuiltAssertion) return built.ast;
  if (built instanceof builder.SpanSet) return built.selection;
  if (built instanceof builder.Expression) return built.expr;
  throw new Error(`not a builder value: ${code}`);
}

describe('toBuilderCode round trip over the conformance table', () => {
  it.each([...tempoValid, ...oursValid])('$origin: $input', ({ input }) => {
    const ast = stripLoc(parseAssertion(input));
    const code = toBuilderCode(ast);
    expect(astOf(code)).toEqual(ast);
    // Same again from the tree with source locations.
    expect(toBuilderCode(parseAssertion(input))).toBe(code);
  });
});

describe('toBuilderCode writes idiomatic builder code', () => {
  it.each([
    ['exactly 1 { name = "stripe.refund.create" && span.amount = 2500 } after "refund.requested"',
      "exactly(1, span('stripe.refund.create').where({ amount: 2500 }).after('refund.requested'))"],
    ['no "charge" after "subscription.cancel"', "no(span('charge').after('subscription.cancel'))"],
    ['some { .http.response.status_code >= 500 }', "some(span(attr('http.response.status_code').gte(500)))"],
    ['at least 2 { kind = client } > "db.query"', "atLeast(2, span({ kind: 'client' }).child(span('db.query')))"],
    ['at most 1 { name = "a" && status = error && span.x = nil }', "atMost(1, span({ name: 'a', status: 'error' }).where(spanAttr('x').missing()))"],
    ['one { span.currency = "EUR" && span.amount = -2.5 && span."retry-count" = 9223372036854775807 }',
      "one(span().where({ currency: 'EUR', amount: -2.5, 'retry-count': 9223372036854775807n }))"],
    ['some { duration > 1.5s && resource.service.name != nil } within 10s',
      "some(span(intrinsic('duration').gt('1s500ms')).where(resourceAttr('service.name').exists()).within('10s'))"],
    ['some { span.a = 1 && span.a = 2 }', "some(span().where({ a: 1 }).where({ a: 2 }))"],
    ['some { span.a = 1.0 }', "some(span(spanAttr('a').eq(lit.float(1))))"],
    ['some { span.s = ok }', "some(span(spanAttr('s').eq(lit.status('ok'))))"],
    ['some { !(.a = 1 || .b =~ "x.*") }', "some(span(not(attr('a').eq(1).or(attr('b').matches('x.*')))))"],
    ['some "a" !> ("b" &>> "c")', "some(span('a').notChild(span('b').unionDescendant(span('c'))))"],
    ["some { .k = \"it's\" }", "some(span(attr('k').eq('it\\'s')))"],
    ['some { -.a * 2 = nil != .b }', "some(span(neg(attr('a').times(2)).missing().ne(attr('b'))))"],
    ['some { nil = nil && .a }', "some(span(lit.nil.eq(lit.nil)).where(attr('a')))"],
  ])('%s', (input, expected) => {
    const code = toBuilderCode(parseAssertion(input));
    expect(code).toBe(expected);
    expect(astOf(code)).toEqual(stripLoc(parseAssertion(input)));
  });

  it('prints selections and expressions too', () => {
    const sel = parseSelection('{ kind = server } >> { span.amount > 10 }');
    expect(toBuilderCode(sel)).toBe("span({ kind: 'server' }).descendant(span(spanAttr('amount').gt(10)))");
    expect(astOf(toBuilderCode(sel))).toEqual(stripLoc(sel));
    const expr = (parseSelection('{ -1.5 < .x }') as { expr: Expr }).expr;
    expect(toBuilderCode(expr)).toBe("lit.float(-1.5).lt(attr('x'))");
  });

  it('avoids object keys a JS object literal would reorder or drop', () => {
    const input = 'some { span.b = 1 && span.10 = 2 && span.__proto__ = 3 }';
    const code = toBuilderCode(parseAssertion(input));
    expect(code).toBe("some(span().where({ b: 1 }).where(spanAttr('10').eq(2)).where(spanAttr('__proto__').eq(3)))");
    expect(astOf(code)).toEqual(stripLoc(parseAssertion(input)));
  });

  it('keeps the exact shape of -0, big ints and odd strings', () => {
    const input = 'some { .a = -0 && .b = -0.0 && .c = 9007199254740993 && .d = "\\u2028\\"\'\\\\" && .e = -9223372036854775807 }';
    const code = toBuilderCode(parseAssertion(input));
    expect(astOf(code)).toEqual(stripLoc(parseAssertion(input)));
  });

  it('says which nodes the builder cannot make', () => {
    const unresolved = parseAssertion('some { attribute = 4 }');
    expect(() => toBuilderCode(unresolved)).toThrow(BuilderError);
    const negative: Expr = { type: 'binary', op: '=', left: { type: 'attribute', scope: 'unscoped', name: 'a' }, right: { type: 'int', value: -5n } };
    // -5n as a literal node: not one the parser makes (it reads -(5)); the plain value path takes it no further.
    expect(() => toBuilderCode({ type: 'unary', op: '!', operand: { type: 'int', value: -5n } })).toThrow(expect.objectContaining({ code: 'unrepresentable' }));
    expect(() => toBuilderCode(negative)).toThrow(expect.objectContaining({ code: 'unrepresentable' }));
  });

  it('formats the built tree as the text it came from', () => {
    const input = 'exactly 2 { span.amount = 2500 } > { name = "x" } before "y"';
    expect(String(run(toBuilderCode(parseAssertion(input))))).toBe(formatAssertion(parseAssertion(input)));
  });
});
