/**
 * Array cases from pkg/traceql/ast_execute_test.go: an array attribute matches when any element does
 * (`!=` / `!~`: when none does), on either side of the operator. TestBinOp compares statics; its
 * arrays are attributes here (`{ 2 = .arr }`). Its IN / NOT IN / MATCH ANY / MATCH NONE cases test
 * operators that exist only inside Tempo's rewritten AST, with no TraceQL text, and are left out.
 */
import { f } from './fixture.js';
import type { AttrValue, SpanSpec } from './fixture.js';
import type { EvalCase } from './types.js';

const FILE = 'pkg/traceql/ast_execute_test.go';

/** Spans s1, s2, ... with `.foo` set to each value in turn. */
const foos = (...values: AttrValue[]): SpanSpec[] => values.map((foo, i) => ({ label: `s${i + 1}`, attrs: { foo } }));

const arrayCase = (test: string) => (query: string, spans: SpanSpec[], expected: string[]): EvalCase =>
  ({ source: `${FILE} ${test}`, query, spans, expect: { spans: expected } });

const forward = arrayCase('TestSpansetOperationEvaluateArray');
const symmetric = arrayCase('TestSpansetOperationEvaluateArraySymmetric');

const forwardCases: EvalCase[] = [
  forward('{ .foo = `bar` }', foos(['bar', 'baz'], 'b'), ['s1']),
  forward('{ .foo = `bar` || .bat = `baz` }', foos(['bar', 'baz'], 'b'), ['s1']),
  forward('{ .foo != `baz` }', foos(['bar', 'bla'], ['baz']), ['s1']),
  forward('{ .foo =~ `ba.*` }', foos(['bar', 'baz'], ['foo', 'baz'], ['dog', 'cat']), ['s1', 's2']),
  forward('{ .foo !~ `ba.*` }', foos(['foo', 'boo'], ['bar', 'baz'], ['bar']), ['s1']),
  forward('{ .foo = 2 }', foos([1, 2], 'b'), ['s1']),
  forward('{ .foo != 3 }', foos([1, 2], [3, 4], [3, 3]), ['s1']),
  forward('{ .foo = 2.5 }', foos([f(1.5), f(2.5)], 'b'), ['s1']),
  forward('{ .foo = 3.14 }', foos([f(3.14), f(6.28)], [f(1.23), f(4.56)]), ['s1']),
  forward('{ .foo > 1 }', foos([1, 2], [0, 1]), ['s1']),
  forward('{ .foo >= 1 }', foos([1, 2], [0, 1], [0, -1]), ['s1', 's2']),
  forward('{ .foo < 2 }', foos([1, 3], [3, 4]), ['s1']),
  forward('{ .foo <= 2 }', foos([1, 3], [3, 4], [2, 4]), ['s1', 's3']),
  forward('{ .foo != 2.5 }', foos([f(1.5), f(3)], [f(2.5), f(4)], [f(2.5)]), ['s1']),
  forward('{ .foo < 2.0 }', foos([f(1.5), f(3)], [f(2), f(4)]), ['s1']),
  forward('{ .foo <= 2.0 }', foos([f(1.5), f(3)], [f(2), f(4)], [f(3), f(4)]), ['s1', 's2']),
  forward('{ .foo > 2.5 }', foos([f(2), f(3)], [f(1), f(2)]), ['s1']),
  forward('{ .foo >= 2.5 }', foos([f(2), f(3)], [f(1), f(2)], [f(1), f(2.5)]), ['s1', 's3']),
  forward('{ .foo = true }', foos([true, false], 'b'), ['s1']),
  forward('{ .foo = false }', foos([false, false], [true, true]), ['s1']),
  forward('{ .foo != true }', foos([false, false], [true, false], [true, true]), ['s1']),
  forward('{ .foo = !true }', foos([false, false], [true, false], [true, true]), ['s1', 's2']),
  forward('{ .foo = true && .foo = false }', foos([true, false], [true, true], [false, false]), ['s1']),
  forward('{ .foo = 1 }', foos([]), []),
  forward('{ .foo = `test` }', foos([]), []),
];

const symmetricCases: EvalCase[] = [
  symmetric('{ `bar` = .foo }', foos(['bar', 'baz']), ['s1']),
  symmetric('{ `baz` != .foo }', foos(['bar', 'bat'], ['baz']), ['s1']),
  symmetric('{ 2 = .foo }', foos([1, 2]), ['s1']),
  symmetric('{ 3 != .foo }', foos([1, 2], [3, 4], [3]), ['s1']),
  symmetric('{ 2 < .foo }', foos([3, 2], [1, 2], [0, 1]), ['s1']),
  symmetric('{ 2 <= .foo }', foos([3, 2], [1, 2], [0, 1]), ['s1', 's2']),
  symmetric('{ 3 > .foo }', foos([1, 3], [3, 4]), ['s1']),
  symmetric('{ 3 >= .foo }', foos([1, 3], [3, 4], [1, 2], [4, 6]), ['s1', 's2', 's3']),
  symmetric('{ 2.5 = .foo }', foos([f(1.5), f(2.5)], [f(1.5), f(3.5)]), ['s1']),
  symmetric('{ 3.14 != .foo }', foos([f(1.23), f(4.56)], [f(3.14), f(6.28)], [f(3.14)]), ['s1']),
  symmetric('{ 2.0 > .foo }', foos([f(2), f(4)], [f(1.5), f(3)]), ['s2']),
  symmetric('{ 2.0 >= .foo }', foos([f(2), f(4)], [f(1.5), f(3)], [f(3.5), f(3)]), ['s1', 's2']),
  symmetric('{ 3.5 < .foo }', foos([f(2), f(3.5)], [f(4), f(3.5)], [f(4), f(5.5)]), ['s2', 's3']),
  symmetric('{ 3.5 <= .foo }', foos([f(2), f(3.5)], [f(4), f(3.5)], [f(4), f(5.5)], [f(2), f(1.5)]), ['s1', 's2', 's3']),
  symmetric('{ true = .foo }', foos([true, false]), ['s1']),
  symmetric('{ false != .foo }', foos([true, false], [false, false], [true, true]), ['s3']),
  symmetric('{ !false = .foo }', foos([true, false], [false, false], [true, true]), ['s1', 's3']),
  symmetric('{ true = .foo && false = .foo }', foos([true, false], [true, true], [false, false]), ['s1']),
];

const BINOP = `${FILE} TestBinOp`;
const binop = (query: string, attrs: SpanSpec['attrs'], match: boolean): EvalCase => ({ source: BINOP, query, spans: [{ label: 's', attrs }], expect: { spans: match ? ['s'] : [] } });
const binOpCases: EvalCase[] = [
  binop('{ "foo" > "" }', {}, true),
  binop('{ "123" > "" }', {}, true),
  binop('{ 2 = .arr }', { arr: [1, 2, 3] }, true),
  binop('{ .arr = 2 }', { arr: [1, 2, 3] }, true),
  binop('{ "1" != .arr }', { arr: ['2', '3', '4'] }, true),
  binop('{ .arr != "1" }', { arr: ['2', '3', '4'] }, true),
  binop('{ "two" =~ .patterns }', { patterns: ['one', 'tw.*', 'three'] }, true),
  binop('{ .arr =~ "tw.*" }', { arr: ['one', 'two', 'three'] }, true),
  binop('{ "one" !~ .patterns }', { patterns: ['tw.*', 'th.*', 'fo.*'] }, true),
  binop('{ .arr !~ "on.*" }', { arr: ['two', 'three', 'four'] }, true),
  {
    source: BINOP, query: '{ .a = .b }', spans: [{ label: 's', attrs: { a: [1, 2], b: [2, 3] } }], expect: { error: 'array operators must consist of a scalar and an array operand' },
    difference: { reason: 'Tempo fails the whole query when both operands are arrays; an assertion cannot fail half-way, so the comparison is false', ours: { spans: [] } },
  },
];

export const astExecuteArrayCases: readonly EvalCase[] = [...forwardCases, ...symmetricCases, ...binOpCases];
