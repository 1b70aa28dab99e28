/**
 * Cases from Tempo's evaluator tests, pkg/traceql/ast_execute_test.go (and engine_test.go,
 * spanset_filter_match_test.go): mock spans with attributes, evaluated without storage. Mock span
 * attributes (`NewAttribute`) are span attributes here; a mock span's nested-set numbers become a
 * parent link, and mock spans whose nested-set parent is not among them are roots (Tempo numbers
 * every root's parent alike, so they are siblings). Left out: TestGroup, TestCoalesce,
 * TestScalarFilterEvaluate (pipelines and aggregates).
 */
import { f } from './fixture.js';
import type { SpanSpec } from './fixture.js';
import type { EvalCase } from './types.js';

const FILE = 'pkg/traceql/ast_execute_test.go';
const one = (attrs: SpanSpec['attrs'], resource?: SpanSpec['resource']): SpanSpec[] => [{ label: 's', attrs, resource }];
const S = ['s'];

const filterMatches = (query: string, spans: SpanSpec[], match: boolean, note?: string): EvalCase =>
  ({ source: `${FILE} TestSpansetFilter_matches`, query, spans, expect: { spans: match ? S : [] }, ...(note === undefined ? {} : { note }) });

const matches: EvalCase[] = [
  filterMatches('{ ("foo" != "bar") && !("foo" = "bar") }', one({}), true),
  filterMatches('{ .foo = .bar }', one({ foo: 'bzz', bar: 'bzz' }), true),
  filterMatches('{ .foo = "bar" }', one({ fzz: 'bar' }), false),
  filterMatches('{ .foo = .bar }', one({ foo: 'str', bar: 5 }), false),
  filterMatches('{ .foo =~ .bar }', one({ foo: 3, bar: 5 }), false),
  filterMatches('{ .field1 =~ "hello w.*" && .field2 !~ "bye b.*" }', one({ field1: 'hello world', field2: 'bye world' }), true),
  filterMatches('{ .foo > 2 && .foo >= 3.5 && .foo < 5 && .foo <= 3.5 && .duration > 1800ms }', one({ foo: f(3.5), duration: 2_000_000_000 }), true,
    'the mock attribute .duration is a Tempo duration (2s); OTLP attributes have none, so it is the int 2000000000, which Tempo compares with 1800ms the same way (as float64 nanoseconds)'),
  filterMatches('{ .foo = "scope_span" }', one({ foo: 'scope_span' }, { foo: 'scope_resource' }), true),
  filterMatches('{ .foo = "scope_resource" }', one({}, { foo: 'scope_resource' }), true),
  filterMatches('{ span.foo = "scope_span" }', one({ foo: 'scope_span' }, { foo: 'scope_resource' }), true),
  filterMatches('{ resource.foo = "scope_resource" }', one({ foo: 'scope_span' }, { foo: 'scope_resource' }), true),
];

const SPANSET = `${FILE} TestSpansetOperationEvaluate`;
const parentChild: SpanSpec[] = [{ label: 'p', attrs: { parent: true } }, { label: 'c', parent: 'p', attrs: { child: true } }];
// Mock spans (parent, left, right): A (0,1,4) .parent, B (1,2,3) .child, C (0,1,4) .child. A and C
// share their numbers; B is written under C.
const sharedBounds: SpanSpec[] = [{ label: 'A', attrs: { parent: true } }, { label: 'B', parent: 'C', attrs: { child: true } }, { label: 'C', attrs: { child: true } }];
// A (0,1,4) .parent, A2 (1,2,3) .parent, B (1,2,3) .child: A2 and B under A.
const twoUnderA: SpanSpec[] = [{ label: 'A', attrs: { parent: true } }, { label: 'A2', parent: 'A', attrs: { parent: true } }, { label: 'B', parent: 'A', attrs: { child: true } }];
const twoRoots: SpanSpec[] = [{ label: 'c1', attrs: { child1: true } }, { label: 'c2', attrs: { child2: true } }];
const ROOTS_NOTE = 'the mock spans name a nested-set parent that is not among them; here they are roots of one trace, which Tempo also numbers as siblings';

const spansetOps: EvalCase[] = [
  { source: SPANSET, query: '{ .foo = `a` } && { .foo = `b` }', spans: [{ label: 's1', attrs: { foo: 'a' } }, { label: 's2', attrs: { foo: 'b' } }, { label: 's3', trace: 't2', attrs: { foo: 'b' } }], expect: { spans: ['s1', 's2'] } },
  { source: SPANSET, query: '{ .foo = `a` } || { .foo = `b` }', spans: [{ label: 's1', attrs: { foo: 'a' } }, { label: 's2', attrs: { foo: 'b' } }, { label: 's3', trace: 't2', attrs: { foo: 'b' } }, { label: 's4', trace: 't2', attrs: { foo: 'c' } }], expect: { spans: ['s1', 's2', 's3'] } },
  { source: SPANSET, query: '{ true } && { true } && { true }', spans: one({ foo: 'a' }), expect: { spans: S } },
  { source: SPANSET, query: '{ true } || { true } || { true }', spans: one({ foo: 'a' }), expect: { spans: S } },
  { source: SPANSET, query: '{ .parent } >> { .child }', spans: parentChild, expect: { spans: ['c'] } },
  { source: SPANSET, query: '{ .child } << { .parent }', spans: parentChild, expect: { spans: ['p'] } },
  { source: SPANSET, query: '{ .parent } > { .child }', spans: parentChild, expect: { spans: ['c'] } },
  { source: SPANSET, query: '{ .child } < { .parent }', spans: parentChild, expect: { spans: ['p'] } },
  { source: SPANSET, query: '{ .child1 } ~ { .child2 }', spans: twoRoots, expect: { spans: ['c2'] }, note: ROOTS_NOTE },
  { source: SPANSET, query: '{ } !< { .child }', spans: sharedBounds, expect: { spans: ['B'] } },
  { source: SPANSET, query: '{ } !> { .parent }', spans: twoUnderA, expect: { spans: ['A'] } },
  { source: SPANSET, query: '{ .child1 } !~ { .child2 }', spans: [{ label: 'c1', attrs: { child1: true } }, { label: 'c2a', attrs: { child2: true } }, { label: 'c2b', parent: 'c2a', attrs: { child2: true } }], expect: { spans: ['c2b'] }, note: ROOTS_NOTE },
  { source: SPANSET, query: '{ } !<< { .child }', spans: sharedBounds, expect: { spans: ['B'] } },
  { source: SPANSET, query: '{ } !>> { .parent }', spans: twoUnderA, expect: { spans: ['A'] } },
  { source: SPANSET, query: '{ } > { } > { } > { }', spans: twoRoots, expect: { spans: [] }, note: ROOTS_NOTE },
  { source: SPANSET, query: '{ } < { } < { } < { }', spans: twoRoots, expect: { spans: [] }, note: ROOTS_NOTE },
  { source: SPANSET, query: '{ } &< { } &< { } &< { }', spans: twoRoots, expect: { spans: [] }, note: ROOTS_NOTE },
  { source: `${FILE} TestNotParentWithEmptyLHS`, query: '{ span:name = `some-span-that-does-not-exist` } !< { span:name = `list-articles` }', spans: [{ label: 's', name: 'list-articles' }], expect: { spans: S } },
];

const NUMBERS = `${FILE} TestBinaryOperationsWorkAcrossNumberTypes`;
const NUMBERS_NOTE = "the test's third span holds a Tempo duration attribute, which OTLP attributes cannot; it is left out";
const intAndFloat: SpanSpec[] = [{ label: 's1', attrs: { foo: 1 } }, { label: 's2', attrs: { foo: f(1) } }];
const fooBar = (s1: [number, number], s2: [number, number]): SpanSpec[] => [{ label: 's1', attrs: { foo: s1[0], bar: f(s1[1]) } }, { label: 's2', attrs: { foo: s2[0], bar: f(s2[1]) } }];
const numberTypes: EvalCase[] = [
  ...['{ .foo > 0 }', '{ .foo < 2 }', '{ .foo = 1 }', '{ .foo > 0. }', '{ .foo < 2. }', '{ .foo = 1. }', '{ .foo > 0ns }', '{ .foo < 2ns }', '{ .foo = 1ns }']
    .map((query): EvalCase => ({ source: NUMBERS, query, spans: intAndFloat, expect: { spans: ['s1', 's2'] }, note: NUMBERS_NOTE })),
  ...['{ 1 > 0. }', '{ 0 < 2. }', '{ 1 = 1. }', '{ 1ms = 1ms }', '{ 1ns = 1 }']
    .map((query): EvalCase => ({ source: NUMBERS, query, spans: intAndFloat, expect: { spans: ['s1', 's2'] } })),
  { source: NUMBERS, query: '{ .foo < .bar }', spans: fooBar([1, 2], [2, 1]), expect: { spans: ['s1'] } },
  { source: NUMBERS, query: '{ .bar > .foo }', spans: fooBar([1, 2], [2, 1]), expect: { spans: ['s1'] } },
  { source: NUMBERS, query: '{ .foo = .bar }', spans: fooBar([1, 1], [2, 1]), expect: { spans: ['s1'] } },
];

const ARITH = `${FILE} TestArithmetic`;
const oneAndOne = one({ foo: 1, bar: f(1) });
const threeAndSeven = one({ foo: 3, bar: f(7) });
const arithmetic: EvalCase[] = [
  ...['{ 1 + 1 = 2 }', '{ 2 - 2 > -1 }', '{ 1 / 10. = .1 }', '{ 1 / 10 = 0 }', '{ 3 * 2 = 6 }', '{ 10 % 3 = 1 }', '{ 2 ^ 2 = 4 }', '{ 2m + 2m = 4m }', '{ 2m * 2 = 4m }',
    '{ .foo + .bar = 2 }', '{ .foo - 2 = -1 }', '{ .foo / .bar != 3 }', '{ .foo * .bar = 1 }', '{ .foo % .bar = 0 }', '{ .foo ^ .bar < 3 }', '{ .foo * 3ms = 3ms }']
    .map((query): EvalCase => ({ source: ARITH, query, spans: oneAndOne, expect: { spans: S } })),
  ...['{ (2 - .bar) * .foo = -15}', '{ 2 - .bar * .foo = -19}', '{ 2 ^ (.bar * .foo) = 2097152}', '{ .bar % 2 = .foo - 2 }']
    .map((query): EvalCase => ({ source: ARITH, query, spans: threeAndSeven, expect: { spans: S } })),
  ...['{ (2 - .bar) * .foo < -15}', '{ 2 - .bar * .foo > -19}', '{ 2 ^ (.bar * .foo) != 2097152}', '{ .bar % 2 < .foo - 2 }']
    .map((query): EvalCase => ({ source: ARITH, query, spans: threeAndSeven, expect: { spans: [] } })),
];

const EXIST = `${FILE} TestSpansetExistence`;
const existence: EvalCase[] = [
  { source: EXIST, query: '{ .foo != nil }', spans: one({ bar: 'bzz' }), expect: { spans: [] } },
  { source: EXIST, query: '{ .bar != nil }', spans: one({ bar: 'bzz' }), expect: { spans: S } },
  { source: EXIST, query: '{ .int != nil }', spans: one({ int: 1 }), expect: { spans: S } },
  { source: EXIST, query: '{ .duration != nil }', spans: one({ duration: 60_000_000_000 }), expect: { spans: S }, note: 'the mock attribute is a Tempo duration (1m); OTLP attributes have none, so it is the int 60000000000' },
  { source: EXIST, query: '{ .float != nil }', spans: one({ float: f(2) }), expect: { spans: S } },
  { source: EXIST, query: '{ nil = nil }', spans: one({ float: f(2) }), expect: { spans: [] } },
  { source: EXIST, query: '{ nil != nil }', spans: one({ float: f(2) }), expect: { spans: [] } },
];

const QUERY_FAILS = 'Tempo fails the whole query; an assertion is evaluated on every arrival and cannot fail half-way, so the comparison is nil and matches nothing';
const failures: EvalCase[] = [
  ...['{ 5 / 0 = 1 }', '{ 5 % 0 = 1 }'].map((query): EvalCase => ({ source: `${FILE} TestIntDivisionByZero`, query, spans: one({}), expect: { error: 'division by zero' }, difference: { reason: QUERY_FAILS, ours: { spans: [] } } })),
  ...['{ 5.0 / 0.0 = 1.0 }', '{ 5.0 % 0.0 = 1.0 }'].map((query): EvalCase => ({ source: `${FILE} TestFloatDivisionByZero`, query, spans: one({}), expect: { spans: [] } })),
  ...['{ .foo + 3 = 4 }', '{ 4 = .foo + 3 }'].map((query): EvalCase => ({ source: `${FILE} TestSpansetOperationEvaluateArrayUnsupported`, query, spans: one({ foo: [1, 2] }), expect: { error: 'arithmetic on an array' }, difference: { reason: QUERY_FAILS, ours: { spans: [] } } })),
];

const engine: EvalCase = {
  source: 'pkg/traceql/engine_test.go TestEngine_Execute',
  query: '{ .foo = .bar }',
  spans: [
    { label: 's1', attrs: { foo: 'value' } },
    { label: 's2', attrs: { foo: 'value', bar: 'value' } },
    { label: 's3', attrs: { foo: 'value', bar: 'value' } },
    { label: 's4', attrs: { foo: 'value', bar: 'diff' } },
    { label: 's5', attrs: { foo: 'value', bar: 'value' } },
    { label: 'other', trace: 't2', attrs: { bar: 'value' } },
  ],
  expect: { spans: ['s2', 's3', 's5'] },
  note: 'the test asks for two spans per spanset and sees s2 and s3 of the first trace, nothing of the second; s5 is the third match',
};

const FILTER_MATCH = 'pkg/traceql/spanset_filter_match_test.go';
const spansetFilterMatch: EvalCase[] = [
  { source: `${FILTER_MATCH} TestSpansetFilterMatchSpans`, query: '{ .http.status_code = 500 }', spans: [{ label: 's1', attrs: { 'http.status_code': 500 } }, { label: 's2', attrs: { 'http.status_code': 200 } }], expect: { spans: ['s1'] } },
  { source: `${FILTER_MATCH} TestSpansetFilterMatchAll`, query: '{}', spans: [{ label: 's1' }, { label: 's2' }], expect: { spans: ['s1', 's2'] } },
];

export const astExecuteCases: readonly EvalCase[] = [...matches, ...spansetOps, ...numberTypes, ...arithmetic, ...existence, ...failures, engine, ...spansetFilterMatch];
