import { describe, expect, it } from 'vitest';
import type { Assertion } from '../ast.js';
import { stripLoc } from '../ast.js';
import { formatAssertion } from '../format.js';
import { parseAssertion } from '../parser.js';
import type { BuiltAssertion } from './assertion.js';
import { atLeast, atMost, exactly, no, one, some } from './assertion.js';
import { BuilderError } from './errors.js';
import { attr, eventAttr, instrumentationAttr, intrinsic, linkAttr, neg, not, resourceAttr, spanAttr } from './expression.js';
import { lit } from './literals.js';
import { span } from './selection.js';

const text = (t: string): Assertion => stripLoc(parseAssertion(t));

/** The builder's tree is the text's tree, and prints as text that parses back to it. */
function same(built: BuiltAssertion, source: string): void {
  expect(built.ast).toEqual(text(source));
  expect(text(formatAssertion(built.ast))).toEqual(built.ast);
  expect(String(built)).toBe(formatAssertion(text(source)));
}

function builderError(fn: () => unknown): BuilderError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuilderError) return err;
    throw err;
  }
  throw new Error('expected a BuilderError');
}

describe('assertions read like the text', () => {
  it.each<[string, () => BuiltAssertion, string]>([
    ['the README example', () => exactly(1, span('stripe.refund.create').where({ amount: 2500 }).after('refund.requested')),
      'exactly 1 { name = "stripe.refund.create" && span.amount = 2500 } after "refund.requested"'],
    ['no ... after', () => no(span('charge').after(span('subscription.cancel'))), 'no "charge" after "subscription.cancel"'],
    ['some with a condition', () => some(span().where(attr('http.response.status_code').gte(500))), 'some { .http.response.status_code >= 500 }'],
    ['at least with structure', () => atLeast(2, span({ kind: 'client' }).child(span('db.query'))), 'at least 2 { kind = client } > { name = "db.query" }'],
    ['at most', () => atMost(1, span('webhook.fire')), 'at most 1 "webhook.fire"'],
    ['one', () => one('charge'), 'one "charge"'],
    ['within', () => some(span('a').within('5s')), 'some "a" within 5s'],
    ['within as nanoseconds', () => some(span('a').within(1_500_000_000n)), 'some "a" within 1.5s'],
    ['all clauses in order', () => some(span('a').after('b').before(span('c')).within('1h30m')), 'some "a" after "b" before "c" within 90m'],
    ['a clause anchored on structure', () => some(span('a').after(span('b').child('c'))), 'some "a" after "b" > "c"'],
    ['exactly 0', () => exactly(0, span()), 'exactly 0 { }'],
  ])('%s', (_, build, source) => same(build(), source));
});

describe('where', () => {
  it('types JS values as the text would: integral numbers are ints, others floats, bigints ints', () => {
    same(some(span().where({ a: 2500, b: 2.5, c: 9223372036854775807n, d: 'EUR', e: true, f: false, g: 3.0 })),
      'some { span.a = 2500 && span.b = 2.5 && span.c = 9223372036854775807 && span.d = "EUR" && span.e = true && span.f = false && span.g = 3 }');
  });

  it('writes negative numbers as the parser reads them, -(n)', () => {
    same(some(span().where({ a: -5, b: -2.5, c: -7n })), 'some { span.a = -5 && span.b = -2.5 && span.c = -7 }');
  });

  it('reads null as nil (absent)', () => {
    same(some(span().where({ refund: null })), 'some { span.refund = nil }');
  });

  it('quotes attribute names the lexer would end early', () => {
    same(some(span().where({ 'idempotency key': 'k1', 'a"b': 1 })), 'some { span."idempotency key" = "k1" && span."a\\"b" = 1 }');
  });

  it('chains: several where calls are one && chain, left to right', () => {
    const chained = span('x').where({ a: 1 }).where(spanAttr('b').gt(2)).where({ c: 'z' });
    same(some(chained), 'some { name = "x" && span.a = 1 && span.b > 2 && span.c = "z" }');
  });

  it('keeps an || condition whole: (a || b) && c', () => {
    same(some(span(attr('a').eq(1).or(attr('b').eq(2))).where({ c: 3 })), 'some { (.a = 1 || .b = 2) && span.c = 3 }');
  });

  it.each<[string, Record<string, unknown>]>([
    ['NaN', { a: Number.NaN }],
    ['Infinity', { a: Number.POSITIVE_INFINITY }],
    ['an unsafe integer', { a: 2 ** 60 }],
    ['an int64 overflow', { a: 1n << 63n }],
    ['undefined', { a: undefined }],
    ['an object', { a: { nested: 1 } }],
    ['an array', { a: [1, 2] }],
  ])('rejects %s with code invalid-value', (_, fields) => {
    expect(builderError(() => span().where(fields as never)).code).toBe('invalid-value');
  });

  it('says how to write an unsafe integer exactly', () => {
    expect(builderError(() => span().where({ a: 2 ** 60 })).message).toContain('1152921504606846976n');
  });
});

describe('span({ ... }) compares intrinsics', () => {
  it('in key order, words as enum literals', () => {
    same(some(span({ kind: 'server', status: 'error', name: 'GET /x', statusMessage: 'boom' })),
      'some { kind = server && status = error && name = "GET /x" && statusMessage = "boom" }');
  });

  it('rejects unknown keys, pointing at where()', () => {
    const err = builderError(() => span({ amount: 1 } as never));
    expect(err.code).toBe('unknown-field');
    expect(err.message).toContain('where');
    expect(builderError(() => span({ toString: 'x' } as never)).code).toBe('unknown-field');
  });

  it('rejects a kind or status that is not one', () => {
    expect(builderError(() => span({ kind: 'clinet' as never })).code).toBe('invalid-value');
    expect(builderError(() => span({ status: 'failed' as never })).code).toBe('invalid-value');
  });
});

describe('conditions', () => {
  it.each<[string, () => BuiltAssertion, string]>([
    ['intrinsics', () => some(span(intrinsic('duration').gt('250ms').and(intrinsic('status').eq('error')))), 'some { duration > 250ms && status = error }'],
    ['scoped intrinsics', () => some(span(intrinsic('span:kind').ne('server').and(intrinsic('trace:rootService').eq('web')))), 'some { span:kind != server && trace:rootService = "web" }'],
    ['event and link intrinsics', () => some(span(intrinsic('event:name').eq('exception').and(eventAttr('exception.type').eq('TimeoutError')))), 'some { event:name = "exception" && event.exception.type = "TimeoutError" }'],
    ['every scope', () => some(span(resourceAttr('service.name').eq('pay').and(linkAttr('l').exists()).and(instrumentationAttr('i').missing()))),
      'some { resource.service.name = "pay" && link.l != nil && instrumentation.i = nil }'],
    ['regex', () => some(span(attr('url').matches('https://api\\.stripe\\.com/.*').and(intrinsic('name').notMatches('health.*')))), 'some { .url =~ "https://api\\\\.stripe\\\\.com/.*" && name !~ "health.*" }'],
    ['orderings', () => some(span(attr('a').lt(1).and(attr('b').lte(2.5)).and(attr('c').gt('m')).and(attr('d').gte(4n)))), 'some { .a < 1 && .b <= 2.5 && .c > "m" && .d >= 4 }'],
    ['not', () => some(span(not(spanAttr('x').eq(1)))), 'some { !(span.x = 1) }'],
    ['bare attribute', () => some(span(attr('flag'))), 'some { .flag }'],
    ['or of ands', () => some(span(attr('a').eq(1).and(attr('b').eq(2)).or(attr('c').eq(3)))), 'some { (.a = 1 && .b = 2) || .c = 3 }'],
    ['and of or on the right', () => some(span(attr('a').eq(1).and(attr('b').eq(2).or(attr('c').eq(3))))), 'some { .a = 1 && (.b = 2 || .c = 3) }'],
    ['arithmetic', () => some(span(attr('a').plus(1).times(attr('b')).gt(lit.int(10).pow(2)))), 'some { (.a + 1) * .b > 10 ^ 2 }'],
    ['more arithmetic', () => some(span(neg(attr('a')).minus(attr('b').div(2)).mod(3).eq(0))), 'some { (-.a - .b / 2) % 3 = 0 }'],
    ['duration arithmetic', () => some(span(intrinsic('duration').minus('1s').gt('250ms'))), 'some { duration - 1s > 250ms }'],
    ['explicit literals', () => some(span(lit.int(1).eq(2).or(lit.str('a').matches('a')))), 'some { 1 = 2 || "a" =~ "a" }'],
    ['floats with integral values', () => some(span(attr('f').eq(lit.float(3)))), 'some { .f = 3.0 }'],
    ['negative literals', () => some(span(attr('f').eq(lit.float(-3)).and(lit.int(-1).eq(attr('i'))))), 'some { .f = -3.0 && -1 = .i }'],
    ['status and kind next to an attribute', () => some(span(attr('s').eq(lit.status('ok')).or(attr('k').eq(lit.kind('client'))))), 'some { .s = ok || .k = client }'],
    ['nil', () => some(span(lit.nil.eq(attr('a')))), 'some { nil = .a }'],
    ['eq(null) is a presence test', () => some(span(attr('a').ne(null))), 'some { .a != nil }'],
  ])('%s', (_, build, source) => same(build(), source));

  it('rejects a duration that does not parse, with code invalid-duration', () => {
    expect(builderError(() => intrinsic('duration').gt('5 seconds' as never)).code).toBe('invalid-duration');
    expect(builderError(() => span('a').within('soon' as never)).code).toBe('invalid-duration');
  });

  it('rejects an unknown intrinsic, suggesting the nearest name as the text checker does', () => {
    expect(builderError(() => intrinsic('trace:status' as never))).toMatchObject({ code: 'unknown-field', message: "unknown intrinsic 'trace:status'; did you mean 'span:status'?" });
    expect(builderError(() => intrinsic('nme' as never)).message).toBe(`unknown intrinsic 'nme'; did you mean 'name'? (for an attribute, write attr("nme"))`);
    expect(builderError(() => intrinsic('span:nmae' as never)).message).toBe("unknown intrinsic 'span:nmae'; did you mean 'span:name'?");
    expect(builderError(() => intrinsic('http.method' as never)).message).toBe(`unknown intrinsic 'http.method' (for an attribute, write attr("http.method"))`);
  });
});

describe('spanset operators', () => {
  const a = span('a');
  it.each<[string, () => BuiltAssertion, string]>([
    ['and', () => some(a.and('b')), 'some "a" && "b"'],
    ['or', () => some(a.or(span('b'))), 'some "a" || "b"'],
    ['child', () => some(a.child('b')), 'some "a" > "b"'],
    ['descendant', () => some(a.descendant('b')), 'some "a" >> "b"'],
    ['parent', () => some(a.parent('b')), 'some "a" < "b"'],
    ['ancestor', () => some(a.ancestor('b')), 'some "a" << "b"'],
    ['sibling', () => some(a.sibling('b')), 'some "a" ~ "b"'],
    ['notChild', () => some(a.notChild('b')), 'some "a" !> "b"'],
    ['notDescendant', () => some(a.notDescendant('b')), 'some "a" !>> "b"'],
    ['notParent', () => some(a.notParent('b')), 'some "a" !< "b"'],
    ['notAncestor', () => some(a.notAncestor('b')), 'some "a" !<< "b"'],
    ['notSibling', () => some(a.notSibling('b')), 'some "a" !~ "b"'],
    ['unionChild', () => some(a.unionChild('b')), 'some "a" &> "b"'],
    ['unionDescendant', () => some(a.unionDescendant('b')), 'some "a" &>> "b"'],
    ['unionParent', () => some(a.unionParent('b')), 'some "a" &< "b"'],
    ['unionAncestor', () => some(a.unionAncestor('b')), 'some "a" &<< "b"'],
    ['unionSibling', () => some(a.unionSibling('b')), 'some "a" &~ "b"'],
    ['left to right', () => some(a.child('b').descendant('c')), 'some "a" > "b" >> "c"'],
    ['grouped on the right', () => some(a.child(span('b').descendant('c'))), 'some "a" > ("b" >> "c")'],
    ['logical under structural', () => some(a.or('b').child('c')), 'some ("a" || "b") > "c"'],
    ['mixed && and || stay as built', () => some(a.and('b').or('c')), 'some ("a" && "b") || "c"'],
  ])('%s', (_, build, source) => same(build(), source));

  it('refuses a selection with clauses as an operand', () => {
    const withClause = span('b').after('c');
    expect(builderError(() => span('a').child(withClause as never)).code).toBe('invalid-selection');
    expect(builderError(() => span('a').after(withClause as never)).code).toBe('invalid-selection');
  });
});

describe('quantifiers', () => {
  it.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects the count %s with code invalid-count', (n) => {
    expect(builderError(() => exactly(n, 'a')).code).toBe('invalid-count');
    expect(builderError(() => atLeast(n, 'a')).code).toBe('invalid-count');
    expect(builderError(() => atMost(n, 'a')).code).toBe('invalid-count');
  });

  it('checks the assertion as the text would be checked, naming it', () => {
    let caught: unknown;
    try {
      some(span(intrinsic('name').eq(lit.int(5) as never)));
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ name: 'CheckError', code: 'type-mismatch' });
    expect((caught as Error).message).toContain('in: some { name = 5 }');
  });

  it('reports invalid regexes with the checker code', () => {
    expect(() => some(span(attr('a').matches('(')))).toThrow(expect.objectContaining({ code: 'invalid-regex' }));
  });

  it('keeps the checker hints', () => {
    expect(atLeast(0, 'a').hints.map((h) => h.code)).toEqual(['always-true']);
    expect(some(span(attr('flag'))).hints.map((h) => h.code)).toEqual(['bare-attribute']);
  });
});

describe('printing parts', () => {
  it('prints expressions, selections and selections with clauses as text', () => {
    expect(String(attr('a').plus(1).gt(2).and(not(intrinsic('status').eq('error'))))).toBe('.a + 1 > 2 && !(status = error)');
    expect(String(span({ kind: 'server' }).descendant('db.query'))).toBe('{ kind = server } >> { name = "db.query" }');
    expect(String(span('a').after('b').within('1m'))).toBe('{ name = "a" } after { name = "b" } within 1m');
  });
});
